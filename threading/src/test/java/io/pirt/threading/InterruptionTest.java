package io.pirt.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A thread blocked in any blocking call and interrupted (Thread.interrupt(), or the Java thread's
 * interrupt for a foreign thread) gets a ThreadInterruptedException with its interrupt status still set; Condition calls hold the lock again when they throw; a waiter
 * that gives up leaves no trace in the primitive.
 */
@Timeout(20)
class InterruptionTest {
    /** What a thread saw when its blocking call ended. */
    private static final class Outcome {
        final AtomicReference<Object> result = new AtomicReference<>();
        final AtomicBoolean interruptStatusInCatch = new AtomicBoolean();

        /** Runs {@code call}, recording its result or the ThreadInterruptedException and the interrupt status then. */
        Runnable recording(Supplier<Object> call) {
            return () -> {
                try {
                    result.set(call.get());
                } catch (ThreadInterruptedException e) {
                    interruptStatusInCatch.set(java.lang.Thread.currentThread().isInterrupted());
                    result.set(e);
                }
            };
        }

        void assertInterrupted() {
            Object r = result.get();
            assertTrue(r instanceof ThreadInterruptedException, "expected ThreadInterruptedException, the call gave " + r);
            assertTrue(interruptStatusInCatch.get(), "the interrupt status must still be set when the exception is thrown");
        }
    }

    static Stream<Arguments> callsBoundedAndUnbounded() {
        return BlockingCall.all().stream().flatMap(c -> Stream.of(-1L, 60_000L).map(t -> Arguments.of(c, t)));
    }

    @ParameterizedTest(name = "{0} with timeout {1}")
    @MethodSource("callsBoundedAndUnbounded")
    void interruptedWaiterThrowsWithInterruptStatusKept(Supplier<BlockingCall> fixture, long timeoutMs) {
        try (BlockingCall c = fixture.get()) {
            Outcome outcome = new Outcome();
            Thread waiter = Threading.thread(outcome.recording(() -> c.call(timeoutMs)));
            Await.parked(waiter.carrier(), c::isBlocker);
            waiter.interrupt();
            Await.ended(waiter); // a Condition call that threw without the lock fails here (see BlockingCall)
            outcome.assertInterrupted();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.pirt.threading.BlockingCall#all")
    void interruptPendingOnEntryThrowsWithoutWaiting(Supplier<BlockingCall> fixture) {
        try (BlockingCall c = fixture.get()) {
            Outcome outcome = new Outcome();
            Thread waiter = Threading.thread(outcome.recording(() -> {
                java.lang.Thread.currentThread().interrupt();
                return c.call(-1);
            }));
            Await.ended(waiter);
            outcome.assertInterrupted();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.pirt.threading.BlockingCall#all")
    void foreignJavaThreadInterruptedInCallThrowsToo(Supplier<BlockingCall> fixture) {
        try (BlockingCall c = fixture.get()) {
            Outcome outcome = new Outcome();
            java.lang.Thread waiter = new java.lang.Thread(outcome.recording(() -> c.call(-1)), "foreign-waiter");
            waiter.start();
            Await.parked(waiter, c::isBlocker);
            waiter.interrupt();
            Await.ended(waiter);
            outcome.assertInterrupted();
        }
    }

    @Test
    void interruptedSleepThrowsWithInterruptStatusKept() {
        Outcome outcome = new Outcome();
        Thread sleeper = Threading.thread(outcome.recording(() -> {
            Threading.sleep(60_000);
            return "slept";
        }));
        Await.parked(sleeper, Threading.class);
        sleeper.interrupt();
        Await.ended(sleeper);
        outcome.assertInterrupted();
    }

    @Test
    void sleepWithInterruptPendingThrowsWithoutSleeping() {
        Outcome outcome = new Outcome();
        Thread sleeper = Threading.thread(outcome.recording(() -> {
            java.lang.Thread.currentThread().interrupt();
            Threading.sleep(60_000);
            return "slept";
        }));
        Await.ended(sleeper);
        outcome.assertInterrupted();
    }

    @Test
    void conditionAwaitHoldsTheLockAgainWhenItThrows() {
        Lock lock = new Lock();
        Condition cv = new Condition(lock);
        AtomicBoolean heldInCatch = new AtomicBoolean();
        Thread waiter = Threading.thread(() -> {
            cv.acquire();
            try {
                cv.await();
            } catch (ThreadInterruptedException e) {
                heldInCatch.set(lock.holder() == Thread.current());
            } finally {
                cv.release();
            }
        });
        Await.parked(waiter, cv);
        // Hold the lock while interrupting: the waiter must wait for it before it may throw.
        assertTrue(cv.acquire(Await.BOUND_MS));
        waiter.interrupt();
        Await.parked(waiter, lock); // now waiting for the lock again, deaf to the interrupt
        assertTrue(waiter.isAlive(), "the interrupted waiter must not leave without the lock");
        cv.release();
        Await.ended(waiter);
        assertTrue(heldInCatch.get(), "the lock is held again when ThreadInterruptedException is thrown");
        assertFalse(lock.isLocked());
    }

    @Test
    void conditionWaitForHoldsTheLockAgainWhenItThrows() {
        Lock lock = new Lock();
        Condition cv = new Condition(lock);
        AtomicBoolean heldInCatch = new AtomicBoolean();
        Thread waiter = Threading.thread(() -> {
            cv.acquire();
            try {
                cv.waitFor(() -> false, 60_000);
            } catch (ThreadInterruptedException e) {
                heldInCatch.set(lock.holder() == Thread.current() && java.lang.Thread.currentThread().isInterrupted());
            } finally {
                cv.release();
            }
        });
        Await.parked(waiter, cv);
        waiter.interrupt();
        Await.ended(waiter);
        assertTrue(heldInCatch.get());
        assertFalse(lock.isLocked());
    }

    @Test
    void interruptedLockWaiterLeavesTheQueue() {
        Lock lock = new Lock();
        lock.acquire();
        Outcome interrupted = new Outcome();
        Thread a = Threading.thread(interrupted.recording(lock::acquire));
        Await.parked(a, lock);
        AtomicReference<Thread> holderSeenByC = new AtomicReference<>();
        Thread c = Threading.thread(() -> {
            lock.acquire();
            holderSeenByC.set(lock.holder());
            lock.release();
        });
        Await.parked(c, lock);
        a.interrupt();
        Await.ended(a);
        interrupted.assertInterrupted();

        lock.release(); // goes to c: a gave up its place
        Await.ended(c);
        assertSame(c, holderSeenByC.get());
        assertFalse(lock.isLocked(), "a, interrupted, must not have been handed the lock");
    }

    @Test
    void lastLockWaiterInterruptedLeavesLockFreeAfterRelease() {
        Lock lock = new Lock();
        lock.acquire();
        Outcome outcome = new Outcome();
        Thread a = Threading.thread(outcome.recording(lock::acquire));
        Await.parked(a, lock);
        a.interrupt();
        Await.ended(a);
        outcome.assertInterrupted();
        assertSame(Thread.current(), lock.holder(), "giving up does not change the holder");
        lock.release();
        assertFalse(lock.isLocked());
        assertTrue(lock.acquire(false), "the lock works as before");
        lock.release();
    }

    @Test
    void interruptedSemaphoreWaiterTakesNoPermit() {
        Semaphore sem = new Semaphore(0);
        Outcome interrupted = new Outcome();
        Thread a = Threading.thread(interrupted.recording(sem::acquire));
        Await.parked(a, sem);
        a.interrupt();
        Await.ended(a);
        interrupted.assertInterrupted();
        sem.release();
        assertEquals(1, sem.getValue(), "the permit is not handed to the waiter that gave up");
    }

    @Test
    void interruptedEventWaiterLeavesOthersWaiting() {
        Event event = new Event();
        Outcome interrupted = new Outcome();
        Outcome other = new Outcome();
        Thread a = Threading.thread(interrupted.recording(event::await));
        Thread b = Threading.thread(other.recording(event::await));
        Await.parked(a, event);
        Await.parked(b, event);
        a.interrupt();
        Await.ended(a);
        interrupted.assertInterrupted();
        assertTrue(b.isAlive(), "interrupting one waiter wakes no other");
        event.set();
        Await.ended(b);
        assertEquals(Boolean.TRUE, other.result.get());
    }

    @Test
    void interruptedConditionWaiterIsNotSignalledLater() {
        Condition cv = new Condition();
        Outcome interrupted = new Outcome();
        Thread a = Threading.thread(interrupted.recording(() -> {
            cv.acquire();
            try {
                return cv.await();
            } finally {
                cv.release();
            }
        }));
        Await.parked(a, cv);
        a.interrupt();
        Await.ended(a);
        interrupted.assertInterrupted();

        AtomicBoolean signalled = new AtomicBoolean();
        Thread b = Threading.thread(() -> {
            cv.acquire();
            signalled.set(cv.await(Await.BOUND_MS));
            cv.release();
        });
        Await.parked(b, cv);
        cv.acquire();
        cv.signal(); // must reach b: a left the queue
        cv.release();
        Await.ended(b);
        assertTrue(signalled.get());
    }

    @Test
    void joinOfInterruptedJoinerLeavesTargetRunning() {
        Event finish = new Event();
        Thread target = Threading.thread(finish::await);
        Outcome outcome = new Outcome();
        Thread joiner = Threading.thread(outcome.recording(() -> {
            target.join();
            return "joined";
        }));
        Await.parked(joiner.carrier(), b -> b instanceof Event);
        joiner.interrupt();
        Await.ended(joiner);
        outcome.assertInterrupted();
        assertTrue(target.isAlive());
        assertNull(target.getExc());
        finish.set();
        Await.ended(target);
        assertNotNull(target.getIdent());
    }
}
