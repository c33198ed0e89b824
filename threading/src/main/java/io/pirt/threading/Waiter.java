package io.pirt.threading;

/**
 * One thread blocked in one call: a node of a {@link WaitQueue}. Each thread has one,
 * reused for every wait ({@link Thread#waiter()}), since a thread blocks in one call at a
 * time and every wait ends with its waiter out of every queue; so waiting allocates nothing.
 *
 * <p>{@code status} is written under {@link Scheduler#LOCK} and read without it by the
 * parked thread, hence volatile. The links and {@code key} are guarded by
 * {@link Scheduler#LOCK}.
 */
final class Waiter {
    /** Queued on a Lock, Semaphore or Event and not yet granted; or on a Condition, not yet signalled. */
    static final int WAITING = 0;
    /** Signalled on a Condition and moved to its Lock's queue; the lock is not yet granted. */
    static final int SIGNALLED = 1;
    /** What the thread waited for is its own: lock granted, permit taken, event set. */
    static final int GRANTED = 2;

    final Thread thread;
    /** The Java thread that waits; set by reset(), by that thread. */
    java.lang.Thread carrier;
    volatile int status = WAITING;

    /** The queue this waiter is in, null once removed. Guarded by Scheduler.LOCK. */
    WaitQueue queue;
    /** The priority the queue orders this waiter by: its thread's effective priority. Guarded by Scheduler.LOCK. */
    int key;
    Waiter prev, next;

    Waiter(Thread thread) {
        this.thread = thread;
    }

    /**
     * Makes this waiter ready for a new wait of the calling thread. A late unpark left over
     * from the previous wait can only cause a spurious wake-up, which the parking loops absorb.
     */
    Waiter reset() {
        carrier = java.lang.Thread.currentThread();
        queue = null;
        prev = next = null;
        status = WAITING;
        return this;
    }
}
