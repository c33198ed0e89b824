package io.pirt.runtime.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Real file operations that stop the world before operation number {@code cutAt} (0-based),
 * throwing {@link PowerCut}. With a {@code lostWrites} random, the cut also models the page
 * cache being lost: every file written since its last fsync is truncated to a random prefix
 * of what it held. Not modelled: directory entries lost for want of a directory fsync.
 *
 * <p>Writes, renames, creations and deletions are done for real; fsyncs are only recorded:
 * no real power is lost here, so what a cut keeps is decided by this model, and skipping the
 * device flush keeps hundreds of reboots fast on a shared machine. Single-threaded, like the
 * store's changes.
 */
final class CrashingFileOps implements FileOps {
    private final FileOps real = FileOps.durable(warning -> {
        throw new AssertionError("unexpected warning in tests: " + warning);
    });
    private final long cutAt;
    /** Null when unsynced writes survive the cut. */
    private final Random lostWrites;
    /** Operations done so far. */
    private long done;
    /** Files written and not fsynced since; paths follow renames. */
    private final Set<Path> unsynced = new HashSet<>();

    /** Cuts before operation {@code cutAt}; {@code Long.MAX_VALUE} never cuts (to count operations). */
    CrashingFileOps(long cutAt, Random lostWrites) {
        this.cutAt = cutAt;
        this.lostWrites = lostWrites;
    }

    long operationsDone() {
        return done;
    }

    /** The power going off after the last operation done. */
    void cutNow() throws IOException {
        if (lostWrites == null) {
            return;
        }
        for (Path file : unsynced) {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                long size = Files.size(file);
                long keep = size == 0 ? 0 : lostWrites.nextLong(size + 1);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(keep);
                }
            }
        }
        unsynced.clear();
    }

    private void step(String what) throws IOException {
        if (done == cutAt) {
            cutNow();
            throw new PowerCut("power cut before operation " + done + ": " + what);
        }
        done++;
    }

    @Override
    public void write(Path file, byte[] bytes) throws IOException {
        step("write " + file);
        real.write(file, bytes);
        unsynced.add(file);
    }

    @Override
    public void fsync(Path file) throws IOException {
        step("fsync " + file);
        unsynced.remove(file);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        step("fsync directory " + dir);
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        step("move " + from + " to " + to);
        real.move(from, to);
        List<Path> moved = new ArrayList<>();
        for (Path p : unsynced) {
            if (p.startsWith(from)) {
                moved.add(p);
            }
        }
        unsynced.remove(to);
        for (Path p : moved) {
            unsynced.remove(p);
            unsynced.add(to.resolve(from.relativize(p)));
        }
    }

    @Override
    public void createDirectory(Path dir) throws IOException {
        step("create directory " + dir);
        real.createDirectory(dir);
    }

    @Override
    public void delete(Path path) throws IOException {
        step("delete " + path);
        real.delete(path);
        unsynced.remove(path);
    }
}
