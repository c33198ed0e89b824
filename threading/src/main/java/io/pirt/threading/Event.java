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
        int callerPriority = Thread.currentPriority();
        Waiter first = null, last = null; // the waiters to wake, linked through Waiter.nextGranted
        Scheduler.LOCK.lock();
        try {
            flag = true;
            for (Waiter w; (w = waiters.first()) != null; ) {
                Scheduler.beginGrant(w);
                if (!Scheduler.mayFinishLater(w, callerPriority)) {
                    Scheduler.finishGrant(w); // it outranks this thread: woken now
                    continue;
                }
                w.nextGranted = null;
                if (last == null) first = w; else last.nextGranted = w;
                last = w;
            }
        } finally {
            Scheduler.LOCK.unlock();
        }
        // Woken outside Scheduler.LOCK, highest priority first. Each link is read before the
        // status write that lets its waiter go (and reuse the node).
        for (Waiter w = first, next; w != null; w = next) {
            next = w.nextGranted;
            Scheduler.finishGrant(w);
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
        boolean granted;
        Scheduler.LOCK.lock();
        try {
            granted = Scheduler.grantedOrInFlight(w);
            if (!granted) Scheduler.dequeue(w);
        } finally {
            Scheduler.LOCK.unlock();
        }
        if (granted) {
            Scheduler.parkUntilGranted(w, this); // the set's status write may still be on its way
            return true;
        }
        if (outcome == Scheduler.PARK_INTERRUPTED) throw new ThreadInterruptedException();
        return false;
    }

    @Override
    public String toString() {
        return "Event[" + (flag ? "set" : "clear") + "]";
    }
}
