package io.pirt.threading;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every blocking primitive of this package shares: the lock that guards all wait
 * queues and the priority-inheritance graph, the propagation of effective priorities
 * along that graph, and the parking of a waiting thread.
 *
 * <p>Implementation notes. Each primitive has a lock-free fast path (one CAS on its own
 * state) for the cases that need no waiting. Everything that involves a waiter — queueing,
 * granting, cancelling after a timeout or interrupt, handing a Lock to the next holder,
 * moving a signalled Condition waiter to its Lock — runs under the one {@link #LOCK}.
 * One lock makes transitive priority inheritance a plain walk along the chain
 * thread -> lock it waits for -> holder -> lock that holder waits for -> ..., with no
 * lock ordering to get wrong; on a 2- to 4-core board the slow paths it serialises are
 * short (no user code, no allocation beyond one waiter node, at most one system call per
 * priority change) and rare compared with the parks and wake-ups around them.
 *
 * <p>Granting happens in two halves. Under LOCK the granter (a release, a signal, a set)
 * takes the waiter out of its queue and does the bookkeeping: the Lock's new holder,
 * inherited priorities ({@link #beginGrant}). After releasing LOCK it writes the waiter's
 * status and unparks its thread ({@link #finishGrant}), so that the woken thread, which
 * soon needs LOCK again (to release the Lock it was handed, say), does not find it still
 * taken by its waker and block on it. Between the halves the waiter is "in flight"; a
 * waiter that times out or is interrupted meanwhile finds itself out of its queue under
 * LOCK, keeps the grant and waits for the status write before it returns
 * ({@link #grantedOrInFlight}), so no late write can land on its next wait. The second
 * half runs under LOCK instead where waking later could cost a higher-priority thread:
 * when the waiter outranks the granter ({@link #mayFinishLater}), and when a Lock's
 * releaser loses a boost with the hand-off (see Lock).
 *
 * <p>A waiting thread first spins on its waiter's status for a short, bounded time, then
 * parks; whoever grants it sets the status and unparks it directly. The spin is not
 * polling: it is what java.util.concurrent's AbstractQueuedSynchronizer and Exchanger do
 * before they park, for the same reason. When the granting thread is running on another
 * CPU, the grant typically comes within a microsecond, far sooner than a park and the
 * unpark's wake-up (several microseconds of system calls and scheduling), and the waiter
 * takes it without ever sleeping. The spin is bounded ({@link #MAX_SPIN_NANOS}, a few
 * microseconds, on every path: untimed, timed, or interrupted while spinning, after which
 * the usual checks run), adapted per thread ({@link #spinUntil}: a thread whose spins end
 * without a grant spins less, down to {@link #MIN_SPIN_NANOS}), and never happens on one
 * CPU or when the sink pins every thread to one CPU, where the granter cannot run while
 * the waiter spins. Spinning only delays a park: every wait still ends parked, woken by
 * its granter or its deadline; nothing waits by polling.
 */
final class Scheduler {
    /** Guards every WaitQueue, every Thread's inheritance state and every Lock's holder while queued. */
    static final ReentrantLock LOCK = new ReentrantLock();

    /** The configuration handed in before first use, or null for the system properties. Guarded by Scheduler.class. */
    private static RealtimeConfig config;
    /** Where effective priorities reach the operating system; decided once, at first use. */
    private static volatile PrioritySink sink;

    /** Longest wait measured in nanoseconds (about 146 years); longer timeouts are clamped to it. */
    private static final long MAX_WAIT_NANOS = 1L << 62;

    /**
     * The longest a waiter spins before parking: about what a park and unpark cost on a
     * 2-core board (a few microseconds); spinning longer than blocking costs gains nothing.
     */
    static final long MAX_SPIN_NANOS = 5_000;
    /**
     * The shortest spin of a thread whose spins keep failing: short enough that a failed
     * spin costs a small part of the park that follows it, long enough to see a grant that
     * comes while both threads run (a hand-off between two running threads takes well under
     * a microsecond), so that a thread whose spins start succeeding again can learn so.
     */
    static final long MIN_SPIN_NANOS = 500;
    /**
     * Whether waiters spin at all: not on one CPU, nor once the sink pins every thread to one
     * CPU, where the thread that would grant a waiter cannot run while it spins. Set once,
     * when the sink is decided.
     */
    private static volatile boolean spinning = Runtime.getRuntime().availableProcessors() > 1;
    /** Status reads between two reads of the clock while spinning. */
    private static final int SPINS_PER_CLOCK_READ = 32;

    /** Outcomes of {@link #park}. */
    static final int PARK_GRANTED = 0, PARK_TIMED_OUT = 1, PARK_INTERRUPTED = 2;

    private Scheduler() {
    }

    /**
     * Sets the configuration the scheduling mode will be decided with.
     *
     * @throws IllegalStateException if the mode was already decided
     */
    static synchronized void configure(RealtimeConfig newConfig) {
        if (sink != null) {
            throw new IllegalStateException("scheduling was already decided at first use (" + sink.description()
                    + "); configure it before the first thread starts");
        }
        config = newConfig;
    }

    /** The sink in force, deciding it (and saying so on standard error) on first use. */
    static PrioritySink sink() {
        PrioritySink s = sink;
        return s != null ? s : decideSink();
    }

    private static synchronized PrioritySink decideSink() {
        if (sink == null) {
            PrioritySink decided = LinuxScheduling.decide(config != null ? config : RealtimeConfig.fromSystemProperties());
            System.err.println(decided.description());
            if (decided.pinsToOneCpu()) spinning = false;
            sink = decided;
        }
        return sink;
    }

    /** Nanoseconds to wait for a timeout in milliseconds >= 0, clamped so deadline arithmetic cannot overflow. */
    static long nanos(long timeoutMs) {
        return timeoutMs >= TimeUnit.NANOSECONDS.toMillis(MAX_WAIT_NANOS) ? MAX_WAIT_NANOS : TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    /**
     * Parks the calling thread until {@code w} leaves {@link Waiter#WAITING}, its deadline
     * passes, or the thread is interrupted. With {@code timed} false the deadline is ignored.
     * A timeout is reported only once the deadline has really passed: parks that return
     * early are resumed. Spins for a short while first ({@link #spinUntil}) (see the class notes).
     */
    static int park(Waiter w, boolean timed, long deadlineNanos, Object blocker) {
        spinUntil(w, Waiter.SIGNALLED);
        for (;;) {
            if (w.status != Waiter.WAITING) return PARK_GRANTED;
            if (w.carrier.isInterrupted()) return PARK_INTERRUPTED;
            if (timed) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) return PARK_TIMED_OUT;
                LockSupport.parkNanos(blocker, remaining);
            } else {
                LockSupport.park(blocker);
            }
        }
    }

    /**
     * Parks the calling thread, deaf to interrupts, until {@code w} is {@link Waiter#GRANTED}.
     * The interrupt status is cleared while parked (park would return at once otherwise)
     * and set again before returning if it was set. Spins for a short while first ({@link #spinUntil}).
     */
    static void parkUntilGranted(Waiter w, Object blocker) {
        spinUntil(w, Waiter.GRANTED);
        boolean interrupted = false;
        while (w.status != Waiter.GRANTED) {
            LockSupport.park(blocker);
            interrupted |= java.lang.Thread.interrupted();
        }
        if (interrupted) w.carrier.interrupt();
    }

    /**
     * Spins until {@code w}'s status is at least {@code status}, for at most the spin bound
     * of {@code w}'s thread, and adapts that bound: doubled (up to {@link #MAX_SPIN_NANOS})
     * when the spin saw the grant, halved (down to {@link #MIN_SPIN_NANOS}) when it did not.
     * On a loaded machine, where the granting thread is often not running, spins fail and
     * stay short; where the two threads run at once, they succeed and the waiter never
     * parks. Returns at once where waiters do not spin.
     */
    private static void spinUntil(Waiter w, int status) {
        if (!spinning) return;
        long bound = w.spinNanos;
        long start = System.nanoTime();
        do {
            for (int i = 0; i < SPINS_PER_CLOCK_READ; i++) {
                if (w.status >= status) {
                    w.spinNanos = Math.min(MAX_SPIN_NANOS, bound << 1);
                    return;
                }
                java.lang.Thread.onSpinWait();
            }
        } while (System.nanoTime() - start < bound);
        w.spinNanos = Math.max(MIN_SPIN_NANOS, bound >> 1);
    }

    /**
     * Takes {@code w} out of its queue to be granted and records that its thread is no
     * longer blocked. Caller holds LOCK, and must call {@link #finishGrant} with {@code w}
     * once it has released LOCK. In between, {@code w} is in flight: out of every queue,
     * its status not yet GRANTED (see {@link Waiter}).
     */
    static void beginGrant(Waiter w) {
        if (w.queue != null) w.queue.remove(w);
        w.thread.blockedOn = null;
    }

    /**
     * Sets {@code w} granted and wakes its thread: the second half of {@link #beginGrant},
     * called without LOCK. Once the status is written {@code w} may be reused at once by its
     * thread for another wait, so the carrier is read before; the unpark of a thread that
     * has moved on is a spurious wake-up, which every parking loop absorbs.
     */
    static void finishGrant(Waiter w) {
        java.lang.Thread carrier = w.carrier;
        w.status = Waiter.GRANTED;
        LockSupport.unpark(carrier);
    }

    /**
     * True if the grant of {@code w} may be finished after LOCK is released, by a thread
     * running at {@code callerPriority}: only if {@code w}'s thread has no higher priority.
     * Releasing LOCK can wake a thread waiting for LOCK that preempts the caller; if that
     * thread's priority lies between the caller's and the waiter's, the waiter must have
     * been woken already (with native priorities, it would otherwise wait for a lower
     * priority thread: an inversion). Caller holds LOCK.
     */
    static boolean mayFinishLater(Waiter w, int callerPriority) {
        return w.thread.effectivePriority() <= callerPriority;
    }

    /**
     * True if {@code w}, which its own thread enqueued, has been granted or is being granted
     * (taken out of its queue by a grant whose status write is still in flight). Its thread
     * must then not reuse {@code w} before the status is GRANTED: it calls
     * {@link #parkUntilGranted} once it has released LOCK. Caller holds LOCK.
     */
    static boolean grantedOrInFlight(Waiter w) {
        return w.queue == null;
    }

    /** Puts {@code w} in {@code q} and records what its thread is blocked on. Caller holds LOCK. */
    static void enqueue(WaitQueue q, Waiter w) {
        q.add(w);
        w.thread.blockedOn = w;
    }

    /** Takes {@code w} out of its queue after a timeout or interrupt. Caller holds LOCK. */
    static void dequeue(Waiter w) {
        w.queue.remove(w);
        w.thread.blockedOn = null;
    }

    /**
     * What {@code t}'s effective priority should be: the maximum of its own priority and the
     * priorities of the first waiters of the Locks it holds. Caller holds LOCK.
     */
    static int inheritedPriority(Thread t) {
        int p = t.getPriority();
        for (int i = 0, n = t.contendedLocks.size(); i < n; i++) {
            p = Math.max(p, t.contendedLocks.get(i).waiters.topPriority());
        }
        return p;
    }

    /**
     * Recomputes {@code t}'s effective priority — the maximum of its own priority and the
     * priorities of the first waiters of the Locks it holds — and, if it changed, moves
     * {@code t} in the queue it waits in and does the same for the holder of that Lock,
     * and so on along the chain. Caller holds LOCK. Terminates on cycles (a deadlock)
     * because priorities only move to a fixed point in a bounded range.
     */
    static void updateEffectivePriority(Thread t) {
        while (t != null) {
            int p = inheritedPriority(t);
            if (p == t.effectivePriority()) return;
            t.setEffectivePriority(p);
            sink().effectivePriorityChanged(t, p);
            Waiter w = t.blockedOn;
            if (w == null || w.queue == null) return;
            w.queue.reorder(w);
            t = w.queue.holder();
        }
    }
}
