package io.pirt.hal.sim;

import io.pirt.hal.GpioLines;
import io.pirt.threading.Semaphore;

/**
 * The level changes of one watched simulated pin: the writer's thread records them, the
 * pin's callback thread takes them. {@link #record} never blocks and allocates nothing, so a
 * write is not held up by application code; changes that find the ring full are counted as
 * dropped, never lost silently.
 */
final class LevelRing implements GpioLines.LevelChanges {
    /*
     * Implementation notes. record() puts (level, nanos) in the ring and releases one permit
     * of `pending`; take() acquires one and takes the oldest entry. wakeUp() releases a
     * permit without an entry, so take() then finds none and returns false; `woken` makes
     * every later take() return false at once.
     */
    static final int CAPACITY = 1024;

    private final Semaphore pending = new Semaphore(0);
    /** Ring of changes; guarded by `this`. */
    private final long[] ringNanos = new long[CAPACITY];
    private final boolean[] ringLevels = new boolean[CAPACITY];
    /** Entries written and read since the start; written - read <= CAPACITY. Guarded by `this`. */
    private long written, read;
    /** Changes that found the ring full since the last takeDropped(). Guarded by `this`. */
    private long dropped;
    private volatile boolean woken;
    /** The change take() took last; only the taking thread touches them. */
    private boolean takenLevel;
    private long takenNanos;

    /** Called on the writer's thread for each level change; never blocks. */
    void record(boolean active, long nanos) {
        synchronized (this) {
            if (written - read == CAPACITY) {
                dropped++;
                return;
            }
            int i = (int) (written++ % CAPACITY);
            ringNanos[i] = nanos;
            ringLevels[i] = active;
        }
        pending.release();
    }

    @Override
    public boolean take(long timeoutMs) {
        if (woken) return false;
        boolean got = timeoutMs < 0 ? pending.acquire() : pending.acquire(timeoutMs);
        if (!got || woken) return false;
        synchronized (this) {
            if (read == written) return false;
            int i = (int) (read++ % CAPACITY);
            takenLevel = ringLevels[i];
            takenNanos = ringNanos[i];
            return true;
        }
    }

    @Override
    public boolean level() {
        return takenLevel;
    }

    @Override
    public long nanos() {
        return takenNanos;
    }

    @Override
    public synchronized long takeDropped() {
        long n = dropped;
        dropped = 0;
        return n;
    }

    @Override
    public void wakeUp() {
        woken = true;
        pending.release();
    }

    /** Nothing to free: the simulation stops recording into a ring once its pin is released or watched anew. */
    @Override
    public void close() {
    }
}
