package io.pirt.hal;

import io.pirt.threading.Thread;
import io.pirt.threading.ThreadInterruptedException;

/**
 * An edge callback on one input pin, running on a thread of its own at the priority it was
 * given. Close it to stop the callbacks (the pin stays open).
 *
 * <p>With a debounce time, a change counts only once the pin has stayed at its new level for
 * that long (so contact bounce of a button fires once); without, every change counts.
 *
 * <p>The callback thread is the thread that takes the pin's level changes from the backend:
 * on a real board it blocks on the kernel's event queue of the line itself, so from the
 * kernel's interrupt thread to the callback nothing runs below the callback's priority.
 * Changes lost because they came faster than the callback returned are counted and reported
 * on standard error with the pin's name.
 */
public final class EdgeWatch implements AutoCloseable {
    /*
     * Implementation notes. The callback thread is the only one that takes from `changes`
     * (GpioLines.LevelChanges), debounces and calls back; it closes `changes` when it ends,
     * so nothing is freed under a take in progress. close() only sets `closed` and wakes the
     * taker, then waits for the thread to end.
     */
    private final String pinName;
    private final Edge edge;
    private final long debounceMs;
    private final EdgeCallback callback;
    /** Taken from by the callback thread only; closed by it when it ends. */
    private final GpioLines.LevelChanges changes;
    private volatile boolean closed;
    private final Thread thread;
    /** The level the callback thread last acted on: the settled level. Only the callback thread touches it. */
    private boolean settled;

    /**
     * Starts the callback thread at {@code priority}, taking from {@code changes}, which
     * start at {@code initialLevel}.
     */
    EdgeWatch(String pinName, Edge edge, long debounceMs, int priority, boolean initialLevel,
            GpioLines.LevelChanges changes, EdgeCallback callback) {
        if (debounceMs < 0) throw new IllegalArgumentException("debounce " + debounceMs + " ms is negative");
        this.pinName = pinName;
        this.edge = edge;
        this.debounceMs = debounceMs;
        this.callback = callback;
        this.changes = changes;
        this.settled = initialLevel;
        this.thread = new Thread(this::dispatch, "gpio-" + pinName);
        thread.start(priority);
    }

    /** The callback thread: takes changes in order, debounces, calls back; closes the changes when it ends. */
    private void dispatch() {
        boolean waitingToSettle = false;
        boolean candidate = false;
        long candidateNanos = 0;
        try {
            while (!closed) {
                boolean got = changes.take(waitingToSettle ? Math.max(1, debounceMs - elapsedMs(candidateNanos)) : -1);
                if (closed) break;
                reportDropped(changes.takeDropped());
                if (!got) {
                    if (waitingToSettle && elapsedMs(candidateNanos) >= debounceMs) { // stayed at `candidate` long enough
                        waitingToSettle = false;
                        fireIfEdge(candidate, candidateNanos);
                    }
                    continue;
                }
                if (debounceMs == 0) {
                    fireIfEdge(changes.level(), changes.nanos());
                } else {
                    waitingToSettle = true;
                    candidate = changes.level();
                    candidateNanos = changes.nanos();
                }
            }
        } catch (ThreadInterruptedException e) {
            if (!closed) throw e;
        } finally {
            changes.close();
        }
    }

    private void reportDropped(long n) {
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

    /** The thread running the callbacks, which also takes the pin's level changes. */
    public Thread thread() {
        return thread;
    }

    /** Stops the callbacks and waits (at most 1 s) for the callback thread to end. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        changes.wakeUp();
        if (Thread.current() != thread) thread.join(1_000);
    }
}
