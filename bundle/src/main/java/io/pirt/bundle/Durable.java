package io.pirt.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Making file system changes survive a power cut: the one implementation of pirt's fsync of
 * files and directories and its atomic rename, used by the bundle format's writers and by the
 * runtime's bundle store (through its FileOps seam). The recipe is always: write a new file or
 * directory under a temporary name, {@link #syncFile} it, {@link #moveAtomically} into place,
 * {@link #syncDirectory} the parent so the rename itself is on the device. Stateless;
 * every method throws the IOException of the system call that failed.
 */
public final class Durable {
    /** Windows cannot open a directory to fsync it; NTFS journals the rename itself. */
    private static final boolean CAN_SYNC_DIRECTORIES =
            !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private Durable() {
    }

    /** Creates {@code file} or truncates it, then writes all of {@code bytes}; not durable until {@link #syncFile}. */
    public static void write(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    /** Forces {@code file}'s content and metadata to the device. */
    public static void syncFile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /**
     * Flushes a directory's entries (a created, renamed or deleted file) to the device.
     *
     * @return true if the directory was synced; false if this filesystem does not support
     *         syncing a directory (it answers EINVAL or ENOTSUP, or the JDK cannot do it; on
     *         Windows, which cannot open a directory, always: NTFS journals renames itself),
     *         so the caller can only rely on the filesystem's own ordering
     * @throws IOException a real failure (the directory is missing or unreadable, an I/O error
     *         of the device): the change may not be on the device
     */
    public static boolean syncDirectory(Path directory) throws IOException {
        if (!CAN_SYNC_DIRECTORIES) return false;
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        } catch (IOException e) {
            if (meansNotSupported(e)) return false;
            throw e;
        }
    }

    /**
     * Whether a failed directory fsync says the filesystem does not support it (EINVAL,
     * ENOTSUP/EOPNOTSUPP: the JDK puts the system's strerror text in the message) rather
     * than that something failed.
     */
    static boolean meansNotSupported(IOException e) {
        String m = e.getMessage();
        return e.getClass() == IOException.class && m != null
                && (m.equals("Invalid argument") || m.equals("Operation not supported") || m.equals("Not supported"));
    }

    /**
     * Renames {@code from} to {@code to} in one step (rename(2)): a power cut leaves one or the
     * other, never a mix. Replaces {@code to} if it is a file (or, on Linux, an empty directory).
     * Durable once the parent directory is {@linkplain #syncDirectory synced}.
     *
     * @throws java.nio.file.AtomicMoveNotSupportedException if the two are on different filesystems
     */
    public static void moveAtomically(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Empties a directory a failed write filled, keeping the directory; see {@link #deleteQuietlyInto}. */
    static void deleteChildrenInto(Path directory, Exception failure) {
        try (Stream<Path> children = Files.list(directory)) {
            for (Path child : children.toList()) deleteQuietlyInto(child, failure);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Deletes a file or a directory tree left by a failed write. A failure to delete is
     * added to {@code failure} as suppressed, so the original cause stays first.
     */
    static void deleteQuietlyInto(Path path, Exception failure) {
        try {
            if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            } else {
                Files.deleteIfExists(path);
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
