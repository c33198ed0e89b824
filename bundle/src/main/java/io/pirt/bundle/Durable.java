package io.pirt.bundle;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/** Making file system changes survive a power cut: fsync of directories, and cleanup of partial results. */
final class Durable {
    /** Windows cannot open a directory to fsync it; NTFS journals the rename itself. */
    private static final boolean CAN_SYNC_DIRECTORIES =
            !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private Durable() {
    }

    /** Flushes a directory's entries (a created or renamed file) to the device. */
    static void syncDirectory(Path directory) throws IOException {
        if (!CAN_SYNC_DIRECTORIES) return;
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        }
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
