package io.pirt.bundle;

import java.util.Objects;
import java.util.Optional;

/**
 * The board a bundle is verified for (docs/bundle.md, sections 5 and 8).
 *
 * @param boardId          the board's profile id, e.g. {@code rpi-4b}
 * @param runtimeVersion   the version of the runtime that will run the app
 * @param developmentMode  accept unsigned bundles and downgrades
 * @param committedVersion the version of the app now committed on the board; empty if none
 * @param force            accept a downgrade (and nothing else) for this one install
 */
public record Target(String boardId, Version runtimeVersion, boolean developmentMode,
                     Optional<Version> committedVersion, boolean force) {
    public Target {
        Objects.requireNonNull(boardId, "boardId");
        Objects.requireNonNull(runtimeVersion, "runtimeVersion");
        Objects.requireNonNull(committedVersion, "committedVersion (Optional.empty() when none)");
    }
}
