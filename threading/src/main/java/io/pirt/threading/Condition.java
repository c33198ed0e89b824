package io.pirt.threading;

import java.util.function.BooleanSupplier;

/**
 * A condition variable bound to a {@link Lock}: a thread holding the lock can
 * {@link #await(long)} (release the lock, wait to be signalled, hold the lock again) and
 * {@link #signal(int)} waiters. Waiters are signalled highest effective priority first
 * (the longest waiting among equals). A signalled waiter returns only once it holds the
 * lock again, which the signaller still holds until it releases it.
 *
 * <p>{@code await}, {@code waitFor}, {@code signal} and {@code signalAll} throw
 * {@link IllegalMonitorStateException} unless the calling thread holds the lock (it is the
 * thread that acquired it). Timeouts are in milliseconds: negative waits without bound.
 * Thread-safe.
 */
public class Condition {
    private final Lock lock;
    /** Waiters not yet signalled. Guarded by Scheduler.LOCK. */
    private final WaitQueue waiters = new WaitQueue(null);

    /** A condition with a new Lock of its own. */
    public Condition() {
        this(null);
    }

    /** A condition bound to {@code lock}; null means a new Lock of its own. */
    public Condition(Lock lock) {
        this.lock = lock != null ? lock : new Lock();
    }

    /** Acquires the lock; see {@link Lock#acquire()}. */
    public boolean acquire() {
        return lock.acquire();
    }

    /** Acquires the lock; see {@link Lock#acquire(boolean)}. */
    public boolean acquire(boolean blocking) {
        return lock.acquire(blocking);
    }

    /** Acquires the lock; see {@link Lock#acquire(long)}. */
    public boolean acquire(long timeoutMs) {
        return lock.acquire(timeoutMs);
    }

    /** Acquires the lock; see {@link Lock#acquire(boolean, long)}. */
    public boolean acquire(boolean blocking, long timeoutMs) {
        return lock.acquire(blocking, timeoutMs);
    }

    /** Releases the lock; see {@link Lock#release()}. */
    public void release() {
        lock.release();
    }

    /** Acquires the lock; {@link Hold#close()} releases it. */
    public Hold hold() {
        return lock.hold();
    }

    /** Waits without bound until signalled. Returns true. */
    public boolean await() {
        return await(-1);
    }

    /**
     * Releases the lock, waits until signalled or {@code timeoutMs} passes, then acquires the
     * lock again (however long that takes) and returns: false if and only if the timeout
     * expired. A waiter signalled and interrupted at about the same time returns true with
     * its interrupt status set, so the signal is not lost.
     *
     * @throws IllegalMonitorStateException if the caller does not hold the lock
     * @throws ThreadInterruptedException if interrupted before being signalled (the lock is held again)
     */
    public boolean await(long timeoutMs) {
        Thread me = checkHolder();
        return awaitNanos(me, timeoutMs >= 0, timeoutMs >= 0 ? System.nanoTime() + Scheduler.nanos(timeoutMs) : 0);
    }

    /** Waits without bound until {@code predicate} is true; returns true. */
    public boolean waitFor(BooleanSupplier predicate) {
        return waitFor(predicate, -1);
    }

    /**
     * Waits until {@code predicate} (evaluated with the lock held) is true, or until
     * {@code timeoutMs} passes for the whole call. Returns the predicate's last value.
     *
     * @throws IllegalMonitorStateException if the caller does not hold the lock
     * @throws ThreadInterruptedException if interrupted while waiting (the lock is held again)
     */
    public boolean waitFor(BooleanSupplier predicate, long timeoutMs) {
        Thread me = checkHolder();
        boolean timed = timeoutMs >= 0;
        long deadlineNanos = timed ? System.nanoTime() + Scheduler.nanos(timeoutMs) : 0;
        boolean result = predicate.getAsBoolean();
        while (!result) {
            if (timed && deadlineNanos - System.nanoTime() <= 0) return false;
            awaitNanos(me, timed, deadlineNanos);
            result = predicate.getAsBoolean();
        }
        return true;
    }

    /** Wakes the first waiter, if any. */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} waiters, highest priority first. They return from their wait
     * once they hold the lock again.
     *
     * @throws IllegalMonitorStateException if the caller does not hold the lock
     */
    public void signal(int n) {
        int myPriority = checkHolder().effectivePriority();
        java.lang.Thread wake = null; // a waiter that took the lock (another thread released it meanwhile)
        Scheduler.LOCK.lock();
        try {
            for (int i = 0; i < n; i++) {
                Waiter w = waiters.removeFirst();
                if (w == null) break;
                w.thread.blockedOn = null;
                w.status = Waiter.SIGNALLED;
                // From here the waiter waits for the lock like any other, and lends the holder its priority.
                // It can take the lock only if it is free, and then holds it: at most once per call.
                if (lock.enqueueOrTake(w)) {
                    if (!Scheduler.mayFinishLater(w, myPriority)) {
                        java.util.concurrent.locks.LockSupport.unpark(w.carrier); // it outranks this thread: now
                    } else {
                        wake = w.carrier;
                    }
                }
            }
        } finally {
            Scheduler.LOCK.unlock();
        }
        if (wake != null) java.util.concurrent.locks.LockSupport.unpark(wake); // outside Scheduler.LOCK
    }

    /** Wakes every waiter. */
    public void signalAll() {
        signal(Integer.MAX_VALUE);
    }

    private Thread checkHolder() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("thread " + java.lang.Thread.currentThread().getName()
                    + " does not hold this condition's lock");
        }
        return Thread.current();
    }

    private boolean awaitNanos(Thread me, boolean timed, long deadlineNanos) {
        Waiter w = me.waiter();
        Scheduler.LOCK.lock();
        try {
            if (w.carrier.isInterrupted()) throw new ThreadInterruptedException();
            Scheduler.enqueue(waiters, w);
        } finally {
            Scheduler.LOCK.unlock();
        }
        try {
            lock.release();
        } catch (IllegalStateException e) {
            // Another thread released our lock (any thread may release a Lock): take the waiter back out.
            boolean granted = false;
            Scheduler.LOCK.lock();
            try {
                if (w.status == Waiter.WAITING) Scheduler.dequeue(w); // still ours to withdraw
                else if (!Scheduler.grantedOrInFlight(w)) lock.giveUp(w); // signalled meanwhile, queued on the lock
                else granted = true; // signalled and handed the lock already (its status may be in flight)
            } finally {
                Scheduler.LOCK.unlock();
            }
            if (granted) {
                Scheduler.parkUntilGranted(w, this);
                lock.release(); // we are not waiting any more: pass it on
            }
            throw new IllegalMonitorStateException("thread " + me.getName()
                    + " no longer holds this condition's lock: another thread released it");
        }
        int outcome = Scheduler.park(w, timed, deadlineNanos, this);
        if (outcome != Scheduler.PARK_GRANTED) {
            Scheduler.LOCK.lock();
            try {
                if (w.status == Waiter.WAITING) {
                    Scheduler.dequeue(w); // gave up before any signal
                } else {
                    outcome = Scheduler.PARK_GRANTED; // signalled meanwhile: the signal counts
                }
            } finally {
                Scheduler.LOCK.unlock();
            }
        }
        if (outcome == Scheduler.PARK_GRANTED) {
            Scheduler.parkUntilGranted(w, this); // signalled: now queued on the lock, or already holding it
            return true;
        }
        lock.acquireUninterruptibly(me);
        if (outcome == Scheduler.PARK_INTERRUPTED) throw new ThreadInterruptedException();
        return false;
    }

    @Override
    public String toString() {
        return "Condition[" + lock + "]";
    }
}
