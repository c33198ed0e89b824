package io.pirt.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * An application's allocation, to give the garbage collector work while latency is measured:
 * every millisecond it allocates {@code bytesPerSecond / 1000} bytes as 1 KiB arrays, keeping
 * the latest {@code retainedBytes} of them reachable in a ring so that some survive young
 * collections, as an application's buffers and messages do. Runs until {@link #stop()}.
 *
 * <p>{@link #run()} on one thread, {@link #stop()} from any.
 */
final class GarbageMaker implements Runnable {
    private static final int CHUNK_BYTES = 1024;
    private static final long PERIOD_NS = 1_000_000;

    private final long bytesPerSecond;
    /** The retained arrays; slot {@code next % ring.length} is overwritten next. Touched only by the running thread. */
    private final byte[][] ring;
    private volatile boolean stopped;
    /** Bytes allocated so far; written by the running thread, read after it ends. */
    private volatile long allocatedBytes;

    /** @throws IllegalArgumentException if a size is negative */
    GarbageMaker(long bytesPerSecond, long retainedBytes) {
        if (bytesPerSecond < 0 || retainedBytes < 0) {
            throw new IllegalArgumentException("allocation rate " + bytesPerSecond + " B/s and retained " + retainedBytes + " B must be >= 0");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.ring = new byte[(int) Math.max(1, retainedBytes / CHUNK_BYTES)][];
    }

    @Override
    public void run() {
        long chunksPerPeriod = Math.max(1, bytesPerSecond / 1000 / CHUNK_BYTES);
        long next = 0, deadlineNs = System.nanoTime();
        while (!stopped) {
            for (long i = 0; i < chunksPerPeriod; i++, next++) {
                byte[] chunk = new byte[CHUNK_BYTES];
                chunk[(int) (next % CHUNK_BYTES)] = (byte) next; // written, so it cannot be optimised away
                ring[(int) (next % ring.length)] = chunk;
            }
            allocatedBytes = next * CHUNK_BYTES;
            deadlineNs += PERIOD_NS;
            for (long now; !stopped && (now = System.nanoTime()) - deadlineNs < 0; ) LockSupport.parkNanos(deadlineNs - now);
        }
    }

    void stop() {
        stopped = true;
    }

    long allocatedBytes() {
        return allocatedBytes;
    }
}
