package io.pirt.runtime.store;

import io.pirt.bundle.Durable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@link FileOps} on the real filesystem, through bundle's {@link Durable} (the one
 * implementation of pirt's fsyncs and atomic rename); what it adds is the store's policy for
 * a filesystem that refuses to fsync a directory. Thread-safe.
 */
final class DurableFileOps implements FileOps {
    private final Consumer<String> warnings;
    /** Set once a directory fsync was refused and reported; later refusals are expected, not news. */
    private final AtomicBoolean directoryFsyncRefused = new AtomicBoolean();

    DurableFileOps(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    @Override
    public void write(Path file, byte[] bytes) throws IOException {
        Durable.write(file, bytes);
    }

    @Override
    public void fsync(Path file) throws IOException {
        Durable.syncFile(file);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        // Only "not supported" is tolerated (Linux filesystems support it; some others do not,
        // and the store cannot do better there): a real I/O error is thrown, as for a file.
        if (!Durable.syncDirectory(dir) && directoryFsyncRefused.compareAndSet(false, true)) {
            warnings.accept("this filesystem does not support fsync of a directory (" + dir
                    + "); bundle store changes rely on it to order renames; keep STATE on ext4 to be power-loss safe");
        }
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        Durable.moveAtomically(from, to);
    }

    @Override
    public void createDirectory(Path dir) throws IOException {
        Files.createDirectory(dir);
    }

    @Override
    public void delete(Path path) throws IOException {
        Files.delete(path);
    }
}
