package io.pirt.threading;

import static org.junit.jupiter.api.Assertions.fail;

/** Test support: waits (bounded) until a thread is parked inside a blocking call of this package. */
final class Parking {
    private static final long BOUND_NANOS = 5_000_000_000L;

    private Parking() {
    }

    /**
     * Returns once {@code t} is queued as a waiter and parked. Polls the thread's state:
     * there is no event to wait for, since being parked is exactly the absence of activity.
     */
    static void awaitParked(Thread t) {
        long deadline = System.nanoTime() + BOUND_NANOS;
        for (;;) {
            java.lang.Thread c = t.carrier();
            java.lang.Thread.State s = c == null ? null : c.getState();
            boolean queued;
            Scheduler.LOCK.lock();
            try {
                queued = t.blockedOn != null;
            } finally {
                Scheduler.LOCK.unlock();
            }
            if (queued && (s == java.lang.Thread.State.WAITING || s == java.lang.Thread.State.TIMED_WAITING)) return;
            if (System.nanoTime() - deadline > 0) fail(t.getName() + " did not block within 5 s (state " + s + ")");
            java.lang.Thread.onSpinWait();
            java.lang.Thread.yield();
        }
    }
}
