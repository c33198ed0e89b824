package io.pirt.threading;

/**
 * A flag threads can wait for: {@link #set()} raises it and wakes every waiter,
 * {@link #clear()} lowers it, {@link #await(long)} waits until it is raised. Initially
 * lowered.
 *
 * <p>Timeouts are in milliseconds: negative waits without bound, 0 does not wait.
 * {@code set()} happens-before a waiter it wakes returns. Thread-safe.
 */
public class Event {
    /** The flag. Written under Scheduler.LOCK when set (so no waiter can queue after the check and miss it). */
    private volatile boolean flag;
    /** Guarded by Scheduler.LOCK. */
    private final WaitQueue waiters = new WaitQueue(null);

    /** A lowered event. */
    public Event() {
    }

    /** Raises the flag and wakes every thread waiting for it. */
    public void set() {
        Scheduler.LOCK.lock();
        try {
            flag = true;
            for (Waiter w; (w = waiters.removeFirst()) != null; ) {
                Scheduler.grant(w);
            }
        } finally {
            Scheduler.LOCK.unlock();
        }
    }

    /** True if and only if the flag is raised. */
    public boolean isSet() {
        return flag;
    }

    /** Lowers the flag; later waits block until the next {@link #set()}. */
    public void clear() {
        flag = false;
    }

    /** Waits without bound until the flag is raised. Returns true. */
    public boolean await() {
        return await(-1);
    }

    /**
     * Waits until the flag is raised or {@code timeoutMs} passes. Returns true if and only if
     * the flag was raised before or during the wait (even if lowered again since).
     *
     * @throws ThreadInterruptedException if interrupted while waiting
     */
    public boolean await(long timeoutMs) {
        if (flag) return true;
        if (timeoutMs == 0) return false;
        long deadlineNanos = timeoutMs > 0 ? System.nanoTime() + Scheduler.nanos(timeoutMs) : 0;
        Waiter w = Thread.current().waiter();
        Scheduler.LOCK.lock();
        try {
            if (flag) return true;
            if (w.carrier.isInterrupted()) throw new ThreadInterruptedException();
            Scheduler.enqueue(waiters, w);
        } finally {
            Scheduler.LOCK.unlock();
        }
        int outcome = Scheduler.park(w, timeoutMs > 0, deadlineNanos, this);
        if (outcome == Scheduler.PARK_GRANTED) return true;
        Scheduler.LOCK.lock();
        try {
            if (w.status == Waiter.GRANTED) return true;
            Scheduler.dequeue(w);
        } finally {
            Scheduler.LOCK.unlock();
        }
        if (outcome == Scheduler.PARK_INTERRUPTED) throw new ThreadInterruptedException();
        return false;
    }

    @Override
    public String toString() {
        return "Event[" + (flag ? "set" : "clear") + "]";
    }
}
