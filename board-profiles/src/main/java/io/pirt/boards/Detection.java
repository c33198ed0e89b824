package io.pirt.boards;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link BoardDetector#detect} found. Immutable.
 *
 * @param profile   the board's profile; {@code virtual} when the machine has no
 *                  device-tree model
 * @param model     the model string read (without its trailing NUL), or empty when there
 *                  was no model file
 * @param modelFile the file the model was read from, or empty
 * @param reason    one sentence a person can read: which model matched which prefix, or
 *                  why the virtual board was chosen
 */
public record Detection(BoardProfile profile, Optional<String> model, Optional<Path> modelFile, String reason) {

    /** Checks that no component is null. */
    public Detection {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(reason, "reason");
    }

    /** Whether no device-tree model was found and the virtual board was chosen. */
    public boolean isVirtual() {
        return model.isEmpty();
    }
}
