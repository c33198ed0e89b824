package io.pirt.threading;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter of permits: {@link #release()} adds one, {@link #acquire()} takes one, waiting
 * while there are none. A released permit goes straight to the waiter of highest
 * effective priority (the longest waiting among equals).
 *
 * <p>Timeouts are in milliseconds: negative waits without bound, 0 does not wait. A
 * release happens-before the acquisition that takes its permit returns. Thread-safe.
 */
public class Semaphore {
    /*
     * Implementation notes. `state` is the number of permits when it is >= 0, and QUEUED
     * (-1) when there are no permits and threads wait in `waiters`. Invariant: while
     * anyone waits there are no permits, because a release hands its permit to the first
     * waiter instead of adding it. The fast paths are one CAS on a state >= 0; a QUEUED
     * state changes only under Scheduler.LOCK, so it is stable while that is held. The
     * waiter given a permit is taken out of the queue under Scheduler.LOCK and woken after
     * it is released, unless it outranks the releasing thread (Scheduler's notes).
     */
    private static final int QUEUED = -1;
    /** What {@link #handOff(int)} returns when the state changed under it. */
    private static final Waiter RETRY = new Waiter(null);
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Semaphore.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state;
    /** Guarded by Scheduler.LOCK. */
    private final WaitQueue waiters = new WaitQueue(null);

    /** A semaphore with one permit. */
    public Semaphore() {
        this(1);
    }

    /**
     * A semaphore with {@code value} permits.
     *
     * @throws IllegalArgumentException if {@code value < 0}
     */
    public Semaphore(int value) {
        if (value < 0) throw new IllegalArgumentException("initial value " + value + " is negative; it must be >= 0");
        this.state = value;
    }

    /** Takes a permit, waiting without bound. Returns true. */
    public boolean acquire() {
        return acquire(true, -1);
    }

    /** Takes a permit, waiting without bound if {@code blocking}, else only if one is there now. */
    public boolean acquire(boolean blocking) {
        return acquire(blocking, -1);
    }

    /** Takes a permit, waiting at most {@code timeoutMs} (negative: no bound; 0: not at all). */
    public boolean acquire(long timeoutMs) {
        return acquire(true, timeoutMs);
    }

    /**
     * Takes a permit. Returns true if taken, false if not blocking and there was none, or
     * if the timeout expired first.
     *
     * @throws IllegalArgumentException if {@code blocking} is false and {@code timeoutMs >= 0}
     * @throws ThreadInterruptedException if interrupted while waiting
     */
    public boolean acquire(boolean blocking, long timeoutMs) {
        if (!blocking && timeoutMs >= 0) {
            throw new IllegalArgumentException("a timeout (" + timeoutMs + " ms) cannot be given with blocking=false");
        }
        for (int s; (s = state) > 0; ) {
            if (STATE.compareAndSet(this, s, s - 1)) return true;
        }
        if (!blocking || timeoutMs == 0) return false;
        return acquireSlow(timeoutMs >= 0, timeoutMs >= 0 ? System.nanoTime() + Scheduler.nanos(timeoutMs) : 0);
    }

    /** Takes a permit; {@link Hold#close()} gives it back. */
    public Hold hold() {
        acquire();
        return this::release;
    }

    /**
     * Adds a permit, or hands it to the first waiter.
     *
     * @throws IllegalStateException if the count would pass Integer.MAX_VALUE
     */
    public void release() {
        for (;;) {
            int s = state;
            if (s == QUEUED) {
                Waiter next = handOff(Thread.currentPriority());
                if (next != RETRY) {
                    if (next != null) Scheduler.finishGrant(next); // outside Scheduler.LOCK
                    return;
                }
            } else {
                if (s == Integer.MAX_VALUE) throw new IllegalStateException("semaphore value would overflow Integer.MAX_VALUE");
                if (STATE.compareAndSet(this, s, s + 1)) return;
            }
        }
    }

    /** The number of permits available now. */
    public int getValue() {
        return Math.max(state, 0);
    }

    private boolean acquireSlow(boolean timed, long deadlineNanos) {
        Waiter w = Thread.current().waiter();
        Scheduler.LOCK.lock();
        try {
            if (w.carrier.isInterrupted()) throw new ThreadInterruptedException();
            for (;;) {
                int s = state;
                if (s > 0) {
                    if (STATE.compareAndSet(this, s, s - 1)) return true;
                } else if (s == QUEUED || STATE.compareAndSet(this, 0, QUEUED)) {
                    break;
                }
            }
            Scheduler.enqueue(waiters, w);
        } finally {
            Scheduler.LOCK.unlock();
        }
        int outcome = Scheduler.park(w, timed, deadlineNanos, this);
        if (outcome == Scheduler.PARK_GRANTED) return true;
        boolean granted;
        Scheduler.LOCK.lock();
        try {
            granted = Scheduler.grantedOrInFlight(w); // a permit arrived as we gave up: keep it
            if (!granted) {
                Scheduler.dequeue(w);
                if (waiters.isEmpty()) state = 0;
            }
        } finally {
            Scheduler.LOCK.unlock();
        }
        if (granted) {
            Scheduler.parkUntilGranted(w, this); // the grant's status write may still be on its way
            return true;
        }
        if (outcome == Scheduler.PARK_INTERRUPTED) throw new ThreadInterruptedException();
        return false;
    }

    /**
     * Gives a permit to the first waiter. Returns that waiter if its grant is still to be
     * finished ({@link Scheduler#finishGrant}, which the caller does once Scheduler.LOCK is
     * released); null if it was finished here, because the waiter outranks the calling
     * thread, running at {@code callerPriority} (see {@link Scheduler#mayFinishLater});
     * {@link #RETRY} if the state was not QUEUED any more.
     */
    private Waiter handOff(int callerPriority) {
        Scheduler.LOCK.lock();
        try {
            if (state != QUEUED) return RETRY;
            Waiter next = waiters.first();
            Scheduler.beginGrant(next);
            if (waiters.isEmpty()) state = 0;
            if (Scheduler.mayFinishLater(next, callerPriority)) return next;
            Scheduler.finishGrant(next);
            return null;
        } finally {
            Scheduler.LOCK.unlock();
        }
    }

    @Override
    public String toString() {
        return "Semaphore[value=" + getValue() + "]";
    }
}
