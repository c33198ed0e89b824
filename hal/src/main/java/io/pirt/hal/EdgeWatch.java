package io.pirt.hal;

import io.pirt.threading.Semaphore;
import io.pirt.threading.Thread;
import io.pirt.threading.ThreadInterruptedException;

/**
 * An edge callback on one input pin, running on a thread of its own at the priority it was
 * given. Close it to stop the callbacks (the pin stays open).
 *
 * <p>With a debounce time, a change counts only once the pin has stayed at its new level for
 * that long (so contact bounce of a button fires once); without, every change counts.
 */
public final class EdgeWatch implements AutoCloseable {
    /*
     * Implementation notes. The backend calls record() on its own thread for each level
     * change; record() only puts (level, nanos) in a ring and releases one permit of
     * `pending`, so the backend never waits for application code and nothing is allocated
     * per event. The callback thread takes one permit per event. Events that arrive while
     * the ring is full are counted in `dropped` and reported, never silently lost.
     */
    private static final int CAPACITY = 1024;

    private final String pinName;
    private final Edge edge;
    private final long debounceMs;
    private final EdgeCallback callback;
    private final Semaphore pending = new Semaphore(0);
    /** Ring of events; guarded by `this`. */
    private final long[] eventNanos = new long[CAPACITY];
    private final boolean[] eventLevels = new boolean[CAPACITY];
    private long written, read;
    private long dropped;
    private volatile boolean closed;
    private final Thread thread;
    /** The level the callback thread last acted on: the settled level. Only the callback thread touches it. */
    private boolean settled;

    EdgeWatch(String pinName, Edge edge, long debounceMs, int priority, boolean initialLevel, EdgeCallback callback) {
        if (debounceMs < 0) throw new IllegalArgumentException("debounce " + debounceMs + " ms is negative");
        this.pinName = pinName;
        this.edge = edge;
        this.debounceMs = debounceMs;
        this.callback = callback;
        this.settled = initialLevel;
        this.thread = new Thread(this::dispatch, "gpio-" + pinName);
        thread.start(priority);
    }

    /** Called by the backend on each level change; never blocks. */
    void record(boolean active, long nanos) {
        synchronized (this) {
            if (written - read == CAPACITY) {
                dropped++;
                return;
            }
            int i = (int) (written++ % CAPACITY);
            eventNanos[i] = nanos;
            eventLevels[i] = active;
        }
        pending.release();
    }

    /** The callback thread: takes events in order, debounces, calls back. */
    private void dispatch() {
        boolean waitingToSettle = false;
        boolean candidate = false;
        long candidateNanos = 0;
        try {
            while (!closed) {
                boolean got = waitingToSettle ? pending.acquire(Math.max(1, debounceMs - elapsedMs(candidateNanos))) : pending.acquire();
                if (closed) break;
                if (!got) { // stayed at `candidate` for the debounce time
                    waitingToSettle = false;
                    fireIfEdge(candidate, candidateNanos);
                    continue;
                }
                if (!take()) continue;
                boolean level = takenLevel;
                long nanos = takenNanos;
                reportDropped();
                if (debounceMs == 0) {
                    fireIfEdge(level, nanos);
                } else {
                    waitingToSettle = true;
                    candidate = level;
                    candidateNanos = nanos;
                }
            }
        } catch (ThreadInterruptedException e) {
            if (!closed) throw e;
        }
    }

    /** The event take() took last; only the callback thread touches them. */
    private boolean takenLevel;
    private long takenNanos;

    /** Takes the oldest event into takenLevel/takenNanos; false if there is none. */
    private boolean take() {
        synchronized (this) {
            if (read == written) return false;
            int i = (int) (read++ % CAPACITY);
            takenLevel = eventLevels[i];
            takenNanos = eventNanos[i];
            return true;
        }
    }

    private void reportDropped() {
        long n;
        synchronized (this) {
            n = dropped;
            dropped = 0;
        }
        if (n > 0) System.err.println("pirt: pin " + pinName + ": " + n + " level changes dropped (callback too slow)");
    }

    private static long elapsedMs(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    private void fireIfEdge(boolean level, long nanos) {
        if (level == settled) return; // bounced back, or a repeat
        settled = level;
        if (!edge.matches(level)) return;
        try {
            callback.onEdge(level, nanos);
        } catch (ThreadInterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            System.err.println("pirt: edge callback of pin " + pinName + " failed; callbacks go on:");
            e.printStackTrace();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** The thread running the callbacks. */
    public Thread thread() {
        return thread;
    }

    /** Stops the callbacks and waits (at most 1 s) for the callback thread to end. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        pending.release();
        if (Thread.current() != thread) thread.join(1_000);
    }
}
