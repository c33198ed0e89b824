package io.pirt.threading;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Test support: bounded waits, so that a bug fails a test within seconds instead of hanging it.
 *
 * <p>{@link #parked} and {@link #blockedOnMonitor} are the one place that polls. Being parked is the absence of activity, so
 * there is nothing to wait for but the thread's state: it returns once the thread is
 * {@code WAITING}/{@code TIMED_WAITING} with the park blocker the call under test passes to
 * {@code LockSupport.park} (the Lock, Semaphore, Event or Condition itself; {@code Threading.class}
 * for sleep). Matching the blocker tells "parked in the call under test" apart from "waiting for
 * the scheduler's internal lock on the way in".
 */
final class Await {
    /** How long any single step of a test may take before it counts as hung. */
    static final long BOUND_MS = 5_000;

    private Await() {
    }

    /** Returns once {@code t} is parked with a blocker {@code blockerMatches} accepts; fails after {@link #BOUND_MS}. */
    static void parked(java.lang.Thread t, Predicate<Object> blockerMatches) {
        until(t, s -> (s == java.lang.Thread.State.WAITING || s == java.lang.Thread.State.TIMED_WAITING)
                && blockerMatches.test(LockSupport.getBlocker(t)));
    }

    /** Returns once {@code t} is parked on {@code blocker}. */
    static void parked(java.lang.Thread t, Object blocker) {
        parked(t, b -> b == blocker);
    }

    /** Returns once the started pirt thread {@code t} is parked on {@code blocker}. */
    static void parked(Thread t, Object blocker) {
        parked(t.carrier(), blocker);
    }

    /** Returns once {@code t} is blocked entering a {@code synchronized} block. */
    static void blockedOnMonitor(java.lang.Thread t) {
        until(t, s -> s == java.lang.Thread.State.BLOCKED);
    }

    private static void until(java.lang.Thread t, Predicate<java.lang.Thread.State> reached) {
        long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        for (;;) {
            java.lang.Thread.State s = t.getState();
            if (reached.test(s)) return;
            if (s == java.lang.Thread.State.TERMINATED) fail(t.getName() + " ended instead of blocking");
            if (System.nanoTime() - deadlineNanos > 0) {
                fail(t.getName() + " did not block as expected within " + BOUND_MS + " ms (state " + s
                        + ", park blocker " + LockSupport.getBlocker(t) + ")");
            }
            LockSupport.parkNanos(50_000); // a light poll: the machine is shared
        }
    }

    /** Waits (bounded) for {@code latch} to reach zero. */
    static void done(CountDownLatch latch, String what) {
        try {
            assertTrue(latch.await(BOUND_MS, TimeUnit.MILLISECONDS), what + " did not happen within " + BOUND_MS + " ms");
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            fail("interrupted while waiting for: " + what);
        }
    }

    /** Joins every thread (bounded) and fails with what a thread's run() threw, if anything. */
    static void ended(Thread... threads) {
        for (Thread t : threads) {
            t.join(BOUND_MS);
            assertFalse(t.isAlive(), t.getName() + " did not end within " + BOUND_MS + " ms");
            if (t.getExc() != null) throw new AssertionError(t.getName() + " failed", t.getExc());
        }
    }

    /** Joins a foreign thread (bounded). */
    static void ended(java.lang.Thread t) {
        try {
            t.join(BOUND_MS);
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            fail("interrupted while joining " + t.getName());
        }
        assertFalse(t.isAlive(), t.getName() + " did not end within " + BOUND_MS + " ms");
    }
}
