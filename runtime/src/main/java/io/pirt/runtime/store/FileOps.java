package io.pirt.runtime.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Every change the store makes to the disk: the one seam through which a test can cut the
 * power at each write, fsync and rename. Reads do not go through it. See docs/store.md for
 * the recipes built on these operations.
 */
public interface FileOps {
    /** Creates {@code file} or truncates it, then writes {@code bytes}; not durable until {@link #fsync}. */
    void write(Path file, byte[] bytes) throws IOException;

    /** Forces {@code file}'s content and metadata to the device. */
    void fsync(Path file) throws IOException;

    /**
     * Forces {@code dir}'s entries (creations, renames, deletions in it) to the device. A
     * filesystem that does not support it is not an error; a failure (I/O error, missing
     * directory) is thrown.
     */
    void fsyncDirectory(Path dir) throws IOException;

    /** Renames {@code from} to {@code to} atomically, replacing {@code to} if it is a file. */
    void move(Path from, Path to) throws IOException;

    /** Creates the directory {@code dir}, whose parent exists. */
    void createDirectory(Path dir) throws IOException;

    /** Deletes a file or an empty directory, which must exist. */
    void delete(Path path) throws IOException;

    /**
     * The real operations. A filesystem that refuses to fsync a directory (some do) is
     * reported once to {@code warnings}, then trusted to order its renames itself.
     */
    static FileOps durable(Consumer<String> warnings) {
        return new DurableFileOps(warnings);
    }
}
