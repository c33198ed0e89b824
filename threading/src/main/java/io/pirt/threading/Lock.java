package io.pirt.threading;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lock with two states, locked and unlocked, that any thread may release (not only the
 * one that acquired it) and that a thread cannot acquire twice. When it is released with
 * threads waiting, it passes straight to the waiter of highest effective priority (the
 * longest waiting among equals) and stays locked.
 *
 * <p>Priority inheritance: while a thread waits for this lock, the holder runs at least at
 * the waiter's effective priority, transitively through chains of locks (see
 * {@link Thread#getEffectivePriority()}).
 *
 * <p>Timeouts are in milliseconds: negative waits without bound, 0 does not wait.
 * Releasing happens-before the next acquisition returns. Thread-safe.
 */
public class Lock {
    /*
     * Implementation notes. `state` is the whole truth about the lock:
     *   null                unlocked, no waiters;
     *   a java.lang.Thread  locked by that thread, no waiters;
     *   QUEUED              locked by `queuedHolder`, waiters in `waiters`.
     * The fast paths are one CAS: null -> Thread.currentThread() to acquire (the Java thread,
     * which costs nothing to find; its pirt Thread is looked up only on the slow path, where
     * priority inheritance needs it), holder -> null to release. Once a
     * waiter arrives the state becomes QUEUED under Scheduler.LOCK, and from then on every
     * change goes through Scheduler.LOCK: neither fast path can move a QUEUED state, so it
     * is stable while that lock is held. Release hands the lock to the first waiter
     * (state stays QUEUED, or becomes the new holder when it was the last waiter), so the
     * lock is never seen unlocked while threads wait for it and nobody can barge ahead of
     * a waiter.
     *
     * A hand-off makes the waiter the holder under Scheduler.LOCK, then (normally) wakes it
     * after releasing Scheduler.LOCK (see Scheduler's notes: the grant's two halves); the
     * waiter, which spun briefly before parking, usually sees the grant while still
     * spinning. Two cases wake it under Scheduler.LOCK, before anything else can run: the
     * waiter outranks the releasing thread, or the releaser was boosted for the waiters and
     * drops that boost with this hand-off. With native priorities that drop can let a
     * thread of middle priority preempt the releaser at once, and the waiter the boost was
     * for must already be awake by then (PriorityInversionTest).
     */
    private static final Object QUEUED = new Object();
    /** What {@link #handOff(int)} returns when the state changed under it. */
    private static final Waiter RETRY = new Waiter(null);
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Lock.class, "state", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // read and written through STATE and directly
    private volatile Object state;
    /** The holder while state == QUEUED; meaningless otherwise. Written under Scheduler.LOCK. */
    private volatile Thread queuedHolder;
    /** Guarded by Scheduler.LOCK. */
    final WaitQueue waiters = new WaitQueue(this);

    /** An unlocked lock. */
    public Lock() {
    }

    /** Acquires the lock, waiting without bound. Returns true. */
    public boolean acquire() {
        return acquire(true, -1);
    }

    /** Acquires the lock if {@code blocking} waits without bound, else only if it is free now. */
    public boolean acquire(boolean blocking) {
        return acquire(blocking, -1);
    }

    /** Acquires the lock, waiting at most {@code timeoutMs} (negative: no bound; 0: not at all). */
    public boolean acquire(long timeoutMs) {
        return acquire(true, timeoutMs);
    }

    /**
     * Acquires the lock. Returns true if acquired, false if not blocking and it was
     * locked, or if the timeout expired first.
     *
     * @throws IllegalArgumentException if {@code blocking} is false and {@code timeoutMs >= 0}
     * @throws ThreadInterruptedException if interrupted while waiting
     */
    public boolean acquire(boolean blocking, long timeoutMs) {
        if (!blocking && timeoutMs >= 0) {
            throw new IllegalArgumentException("a timeout (" + timeoutMs + " ms) cannot be given with blocking=false");
        }
        if (STATE.compareAndSet(this, null, java.lang.Thread.currentThread())) return true;
        if (!blocking || timeoutMs == 0) return false;
        return acquireSlow(Thread.current(), timeoutMs >= 0, timeoutMs >= 0 ? System.nanoTime() + Scheduler.nanos(timeoutMs) : 0);
    }

    /** Acquires the lock; {@link Hold#close()} releases it. */
    public Hold hold() {
        acquire();
        return this::release;
    }

    /**
     * Unlocks the lock, or hands it to the first waiter. Any thread may call it.
     *
     * @throws IllegalStateException if the lock is not locked
     */
    public void release() {
        for (;;) {
            Object s = state;
            if (s == null) throw new IllegalStateException("release of a Lock that is not locked");
            if (s != QUEUED) {
                if (STATE.compareAndSet(this, s, null)) return;
            } else {
                Waiter next = handOff(Thread.currentPriority());
                if (next != RETRY) {
                    if (next != null) Scheduler.finishGrant(next); // outside Scheduler.LOCK: the new holder finds it free
                    return;
                }
            }
        }
    }

    /** True if some thread holds the lock. */
    public boolean isLocked() {
        return state != null;
    }

    /** The thread holding the lock, or null. */
    Thread holder() {
        Object s = state;
        return s == QUEUED ? queuedHolder : s == null ? null : Thread.of((java.lang.Thread) s);
    }

    /** True if the calling thread holds the lock. */
    boolean isHeldByCurrentThread() {
        Object s = state;
        java.lang.Thread self = java.lang.Thread.currentThread();
        return s == self || s == QUEUED && queuedHolder.carrier() == self;
    }

    /** The holder while waiters are queued. Caller holds Scheduler.LOCK. */
    Thread holderUnderSchedulerLock() {
        return state == QUEUED ? queuedHolder : null;
    }

    private boolean acquireSlow(Thread me, boolean timed, long deadlineNanos) {
        Waiter w = me.waiter();
        Scheduler.LOCK.lock();
        try {
            if (w.carrier.isInterrupted()) throw new ThreadInterruptedException();
            if (enqueueOrTake(w)) return true;
        } finally {
            Scheduler.LOCK.unlock();
        }
        int outcome = Scheduler.park(w, timed, deadlineNanos, this);
        if (outcome == Scheduler.PARK_GRANTED) return true;
        boolean granted;
        Scheduler.LOCK.lock();
        try {
            // Granted between the wake-up and here: the lock is ours, keep it (an interrupt stays pending).
            granted = Scheduler.grantedOrInFlight(w);
            if (!granted) giveUp(w);
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
     * Takes the lock for {@code w}'s thread if it is free, else queues {@code w} and lends the
     * holder its priority. Returns true if taken (w is then granted). Caller holds Scheduler.LOCK.
     */
    boolean enqueueOrTake(Waiter w) {
        for (;;) {
            Object s = state;
            if (s == null) {
                if (STATE.compareAndSet(this, null, w.carrier)) {
                    w.status = Waiter.GRANTED;
                    return true;
                }
            } else if (s == QUEUED) {
                break;
            } else {
                queuedHolder = Thread.of((java.lang.Thread) s);
                if (STATE.compareAndSet(this, s, QUEUED)) {
                    queuedHolder.contendedLocks.add(this);
                    break;
                }
            }
        }
        Scheduler.enqueue(waiters, w);
        Scheduler.updateEffectivePriority(queuedHolder);
        return false;
    }

    /** Takes a timed-out, interrupted or withdrawn waiter out of the queue. Caller holds Scheduler.LOCK; state is QUEUED. */
    void giveUp(Waiter w) {
        Scheduler.dequeue(w);
        Thread holder = queuedHolder;
        if (waiters.isEmpty()) {
            holder.contendedLocks.remove(this);
            state = holder.carrier();
        }
        Scheduler.updateEffectivePriority(holder);
    }

    /**
     * Passes the lock to the first waiter. Returns that waiter if its grant is still to be
     * finished ({@link Scheduler#finishGrant}, which the caller does once Scheduler.LOCK is
     * released, so that the new holder does not find it taken); null if the grant was
     * finished here; {@link #RETRY} if the state was not QUEUED any more. The grant is
     * finished here if the waiter outranks the calling thread, running at
     * {@code callerPriority} (see {@link Scheduler#mayFinishLater}).
     *
     * <p>When the releasing holder loses a boost (a waiter lent it a higher priority), the
     * new holder is woken first, under Scheduler.LOCK, and the boost dropped after: with
     * native priorities, the drop can let another thread preempt the releaser at once, and
     * the waiter it was boosted for must not be left waiting for the releaser to run again.
     */
    private Waiter handOff(int callerPriority) {
        Scheduler.LOCK.lock();
        try {
            if (state != QUEUED) return RETRY;
            Thread previous = queuedHolder;
            Waiter next = waiters.first();
            Scheduler.beginGrant(next);
            previous.contendedLocks.remove(this);
            if (waiters.isEmpty()) {
                state = next.carrier;
            } else {
                queuedHolder = next.thread;
                next.thread.contendedLocks.add(this);
            }
            Scheduler.updateEffectivePriority(next.thread);
            if (Scheduler.inheritedPriority(previous) == previous.effectivePriority()
                    && Scheduler.mayFinishLater(next, callerPriority)) {
                return next;
            }
            Scheduler.finishGrant(next);
            Scheduler.updateEffectivePriority(previous);
            return null;
        } finally {
            Scheduler.LOCK.unlock();
        }
    }

    /**
     * Acquires the lock for the calling thread without reacting to interrupts (a Condition
     * waiter must hold the lock again before it may throw). Caller does not hold Scheduler.LOCK.
     */
    void acquireUninterruptibly(Thread me) {
        if (STATE.compareAndSet(this, null, java.lang.Thread.currentThread())) return;
        Waiter w = me.waiter();
        Scheduler.LOCK.lock();
        try {
            if (enqueueOrTake(w)) return;
        } finally {
            Scheduler.LOCK.unlock();
        }
        Scheduler.parkUntilGranted(w, this);
    }

    @Override
    public String toString() {
        Thread h = holder();
        return "Lock[" + (h == null ? "unlocked" : "locked by " + h.getName()) + "]";
    }
}
