package io.pirt.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A serial cable in memory, for tests: two directions, each a bounded pipe, with a fault
 * injector that flips, drops and duplicates bytes at given rates (from a seed, so a failure
 * can be replayed) and can cut the line in both directions for a while once a number of
 * bytes went from host to board.
 *
 * <p>Like a real port, each end can be closed and opened again: {@link #hostIn()} and the
 * other accessors open that end anew on each call. Bytes written while the far end is
 * closed are lost, as on a wire with nobody listening. Closing an input stream makes a
 * blocked read return -1. Thread-safe.
 */
public final class MemoryCable implements AutoCloseable {

    /** Per-byte fault probabilities of one direction. */
    public record Faults(double flipRate, double dropRate, double duplicateRate) {
        public static final Faults NONE = new Faults(0, 0, 0);

        /** Flips, drops and duplicates, each at {@code rate}. */
        public static Faults each(double rate) {
            return new Faults(rate, rate, rate);
        }

        boolean any() {
            return flipRate > 0 || dropRate > 0 || duplicateRate > 0;
        }
    }

    private static final int PIPE_BYTES = 64 * 1024;

    private final Wire toBoard;
    private final Wire toHost;
    private final CountDownLatch cut = new CountDownLatch(1);
    private final Object cutLock = new Object();
    /** Host-to-board bytes after which the line goes dead; -1 when no cut is planned. Guarded by cutLock. */
    private long cutAtBytes = -1;
    private long cutNanos;
    /** The line is dead until this nanoTime; meaningful once {@link #cut} is released. */
    private volatile long deadUntilNanos;

    public MemoryCable(Faults hostToBoard, Faults boardToHost, long seed) {
        this.toBoard = new Wire("host->board", hostToBoard, new SplittableRandom(seed), true);
        this.toHost = new Wire("board->host", boardToHost, new SplittableRandom(seed ^ 0x5DEECE66DL), false);
    }

    public static MemoryCable clean() {
        return new MemoryCable(Faults.NONE, Faults.NONE, 1);
    }

    public InputStream hostIn() {
        return toHost.openReader();
    }

    public OutputStream hostOut() {
        return toBoard.writer();
    }

    public InputStream boardIn() {
        return toBoard.openReader();
    }

    public OutputStream boardOut() {
        return toHost.writer();
    }

    /** Once {@code hostToBoardBytes} have been written from the host, both directions lose everything for {@code durationMs}. */
    public void cutAt(long hostToBoardBytes, long durationMs) {
        synchronized (cutLock) {
            cutAtBytes = hostToBoardBytes;
            cutNanos = TimeUnit.MILLISECONDS.toNanos(durationMs);
        }
    }

    /** Waits until the planned cut happened. */
    public boolean awaitCut(long timeoutMs) throws InterruptedException {
        return cut.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Bytes written into the host-to-board direction, faults not counted. */
    public long hostToBoardBytes() {
        return toBoard.written();
    }

    /** Faults injected so far in both directions (flips, drops, duplicates). */
    public long faultsInjected() {
        return toBoard.faults() + toHost.faults();
    }

    @Override
    public void close() {
        toBoard.close();
        toHost.close();
    }

    private boolean dead(long now) {
        return cut.getCount() == 0 && now - deadUntilNanos < 0;
    }

    /** Called per write from the host: starts the cut when its byte count is reached. */
    private void countHostBytes(long total) {
        synchronized (cutLock) {
            if (cutAtBytes >= 0 && total >= cutAtBytes && cut.getCount() > 0) {
                deadUntilNanos = System.nanoTime() + cutNanos;
                cut.countDown();
            }
        }
    }

    /** One direction: a ring of bytes between one writer side and one reader at a time. */
    private final class Wire {
        private final String name;
        private final Faults faults;
        private final SplittableRandom random;
        private final boolean fromHost;
        private final byte[] ring = new byte[PIPE_BYTES];
        // guarded by this
        private int head;
        private int count;
        /** The reader currently open; null while the far end is closed. */
        private Reader reader;
        private boolean closed;
        private long written;
        private long faultCount;

        Wire(String name, Faults faults, SplittableRandom random, boolean fromHost) {
            this.name = name;
            this.faults = faults;
            this.random = random;
            this.fromHost = fromHost;
        }

        synchronized InputStream openReader() {
            if (reader != null) reader.closed = true;
            head = 0;
            count = 0;
            reader = new Reader();
            notifyAll();
            return reader;
        }

        OutputStream writer() {
            return new OutputStream() {
                private boolean streamClosed;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (streamClosed) throw new IOException(name + ": this end was closed");
                    put(b, off, len);
                }

                @Override
                public void close() {
                    streamClosed = true;
                }
            };
        }

        synchronized long written() {
            return written;
        }

        synchronized long faults() {
            return faultCount;
        }

        private synchronized void put(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                if (closed) throw new IOException(name + ": the cable was unplugged");
                written++;
                if (fromHost) countHostBytes(written);
                if (dead(System.nanoTime())) continue;
                byte v = b[i];
                int copies = 1;
                if (faults.any()) {
                    double r = random.nextDouble();
                    if (r < faults.dropRate()) {
                        copies = 0;
                        faultCount++;
                    } else if ((r -= faults.dropRate()) < faults.flipRate()) {
                        v ^= (byte) (1 << random.nextInt(8));
                        faultCount++;
                    } else if (r - faults.flipRate() < faults.duplicateRate()) {
                        copies = 2;
                        faultCount++;
                    }
                }
                for (int c = 0; c < copies; c++) {
                    while (count == ring.length && reader != null && !reader.closed && !closed) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException(name + ": interrupted while the pipe was full");
                        }
                    }
                    if (reader == null || reader.closed || closed) continue; // nobody listening: lost
                    ring[(head + count) % ring.length] = v;
                    count++;
                }
            }
            notifyAll();
        }

        synchronized void close() {
            closed = true;
            notifyAll();
        }

        private final class Reader extends InputStream {
            /** Guarded by Wire.this. */
            private boolean closed;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                synchronized (Wire.this) {
                    while (count == 0 && !closed && !Wire.this.closed) {
                        try {
                            Wire.this.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException(name + ": interrupted while reading");
                        }
                    }
                    if (closed || Wire.this.closed) return -1;
                    int n = Math.min(len, count);
                    for (int i = 0; i < n; i++) b[off + i] = ring[(head + i) % ring.length];
                    head = (head + n) % ring.length;
                    count -= n;
                    Wire.this.notifyAll();
                    return n;
                }
            }

            @Override
            public void close() {
                synchronized (Wire.this) {
                    closed = true;
                    if (reader == this) reader = null;
                    Wire.this.notifyAll();
                }
            }
        }
    }
}
