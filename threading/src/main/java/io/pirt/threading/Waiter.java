package io.pirt.threading;

/**
 * One thread blocked in one call: a node of a {@link WaitQueue}. A waiter is created for
 * each wait and dropped after it.
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
    final java.lang.Thread carrier;
    volatile int status = WAITING;

    /** The queue this waiter is in, null once removed. Guarded by Scheduler.LOCK. */
    WaitQueue queue;
    /** The priority the queue orders this waiter by: its thread's effective priority. Guarded by Scheduler.LOCK. */
    int key;
    Waiter prev, next;

    Waiter(Thread thread) {
        this.thread = thread;
        this.carrier = java.lang.Thread.currentThread();
    }
}
