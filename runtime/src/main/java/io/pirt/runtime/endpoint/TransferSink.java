package io.pirt.runtime.endpoint;

import io.pirt.wire.*;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Takes files that arrived whole and whose SHA-256 matched the one the sender announced;
 * the board's bundle store implements it. It is never given anything else. Called on the
 * endpoint's worker thread, once per verified file. The file belongs to the sink during
 * the call: move or copy it; whatever is left at {@code file} is deleted afterwards.
 */
@FunctionalInterface
public interface TransferSink {
    /**
     * @param name      the name the sender gave, {@code [A-Za-z0-9._-]}, 1..128 bytes
     * @param file      the verified file, in the endpoint's transfer directory
     * @param sha256Hex its SHA-256, 64 lowercase hex digits
     * @throws IOException if the file cannot be taken; the sender is told the message
     */
    void accept(String name, Path file, String sha256Hex) throws IOException;
}
