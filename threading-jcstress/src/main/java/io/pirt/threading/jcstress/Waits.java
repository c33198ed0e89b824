package io.pirt.threading.jcstress;

/**
 * The bounds every blocking actor waits with (a jcstress actor must never block for good)
 * and the delay that aims a release at a waiter's deadline.
 */
final class Waits {
    /**
     * For a wait that must succeed: 10 s. A correct hand-off takes microseconds, but an actor
     * can be kept off its CPU for a long time: jcstress pins each actor to one CPU, and on a
     * busy 2-core machine (running, among others, SCHED_FIFO threads, which Linux lets take
     * up to 950 ms of every second of a CPU) an actor was seen not to run at all for more
     * than a second, so a 1 s bound reported lost wake-ups that were not. Running out of
     * 10 s means a lost wake-up.
     */
    static final long MUST_SUCCEED_MS = 10_000;

    /** For a wait that races a release: 1 ms, the shortest timeout that really parks. */
    static final long RACE_MS = 1;

    private Waits() {
    }

    /**
     * Spins for about {@code nanos}, so that a release issued after it lands near the
     * deadline of a {@link #RACE_MS} wait started at the same moment, where a timeout and a
     * hand-off race.
     */
    static void spinNanos(long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (System.nanoTime() - deadline < 0) {
            java.lang.Thread.onSpinWait();
        }
    }

    /** Spins until {@code condition} holds or {@link #MUST_SUCCEED_MS} passes; returns whether it holds. */
    static boolean spinUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + MUST_SUCCEED_MS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) return false;
            java.lang.Thread.onSpinWait();
        }
        return true;
    }
}
