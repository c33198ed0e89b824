package io.pirt.runtime.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** {@link FileOps} on the real filesystem. Thread-safe. */
final class DurableFileOps implements FileOps {
    private final Consumer<String> warnings;
    /** Set once a directory fsync was refused and reported; later refusals are expected, not news. */
    private final AtomicBoolean directoryFsyncRefused = new AtomicBoolean();

    DurableFileOps(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    @Override
    public void write(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    @Override
    public void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Linux filesystems allow this; some others refuse with an IOException. The store
            // cannot do better there, so it says so once and relies on the filesystem's ordering.
            if (directoryFsyncRefused.compareAndSet(false, true)) {
                warnings.accept("this filesystem refuses to fsync a directory (" + dir + ": " + e
                        + "); bundle store changes rely on it to order renames; keep STATE on ext4 to be power-loss safe");
            }
        }
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
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
