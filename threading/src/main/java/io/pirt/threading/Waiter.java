package io.pirt.threading;

/**
 * One thread blocked in one call: a node of a {@link WaitQueue}. Each thread has one,
 * reused for every wait ({@link Thread#waiter()}), since a thread blocks in one call at a
 * time and every wait ends with its waiter out of every queue; so waiting allocates nothing.
 *
 * <p>Life of a wait: its thread enqueues it under {@link Scheduler#LOCK} (status WAITING,
 * {@code queue} set). A grant takes it out of its queue under LOCK
 * ({@link Scheduler#beginGrant}) and, after releasing LOCK, writes GRANTED and unparks the
 * thread ({@link Scheduler#finishGrant}). In between it is <em>in flight</em>: out of every
 * queue ({@code queue == null}) but not yet GRANTED; the thread, should it time out or be
 * interrupted meanwhile, finds it so under LOCK and waits for the GRANTED status before it
 * returns (the grant is its own), so that a late status write can never land on the node's
 * next wait. A Condition waiter goes WAITING -> SIGNALLED (moved to the Lock's queue, under
 * LOCK) -> GRANTED.
 *
 * <p>{@code status} is read without LOCK by the waiting thread, hence volatile. The links,
 * {@code queue} and {@code key} are guarded by {@link Scheduler#LOCK}; {@code nextGranted}
 * belongs to the granter while the waiter is in flight.
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
    /** How long this thread spins before parking, adapted by Scheduler.spinUntil. Only this thread uses it. */
    long spinNanos = Scheduler.MIN_SPIN_NANOS;
    /** The next waiter to finish granting after this one, when one call grants several (Event.set). */
    Waiter nextGranted;

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
        prev = next = nextGranted = null;
        status = WAITING;
        return this;
    }
}
