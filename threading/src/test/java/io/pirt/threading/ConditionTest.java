package io.pirt.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Condition: its lock, await/waitFor/signal only by the lock's holder, the lock released while
 * waiting and held again on return, signal(n) waking at most n, waitFor's timeout bounding the
 * whole call.
 */
@Timeout(20)
@SuppressWarnings("try") // a Hold is often only closed, never referenced
class ConditionTest {
    // ---- the lock

    @Test
    void conditionWithoutALockMakesItsOwn() {
        for (Condition cv : List.of(new Condition(), new Condition(null))) {
            assertTrue(cv.acquire());
            assertFalse(cv.acquire(false), "its lock is locked");
            cv.release();
            assertTrue(cv.acquire(false));
            cv.release();
        }
    }

    @Test
    void conditionUsesTheLockItIsGiven() {
        Lock lock = new Lock();
        Condition cv = new Condition(lock);
        cv.acquire();
        assertSame(Thread.current(), lock.holder());
        cv.release();
        assertFalse(lock.isLocked());

        lock.acquire();
        cv.signal(); // held through the Lock itself: allowed
        cv.signalAll();
        assertFalse(cv.acquire(false));
        cv.release();
        assertFalse(lock.isLocked());
    }

    @Test
    void twoConditionsCanShareOneLock() {
        Lock lock = new Lock();
        Condition a = new Condition(lock);
        Condition b = new Condition(lock);
        a.acquire();
        assertFalse(b.acquire(false));
        b.signal(); // b's lock is held by this thread through a
        b.release();
        assertFalse(lock.isLocked());
    }

    @Test
    void everyAcquireFormWorksOnTheLock() {
        Condition cv = new Condition();
        assertTrue(cv.acquire(true));
        cv.release();
        assertTrue(cv.acquire(0));
        cv.release();
        assertTrue(cv.acquire(10));
        cv.release();
        assertTrue(cv.acquire(true, -1));
        assertFalse(cv.acquire(false, -1), "a plain poll of a locked lock");
        assertFalse(cv.acquire(0));
        cv.release();
        assertTrue(cv.acquire(false, -1));
        cv.release();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 5})
    void nonBlockingAcquireWithATimeoutThrows(long timeoutMs) {
        Lock lock = new Lock();
        Condition cv = new Condition(lock);
        assertThrows(IllegalArgumentException.class, () -> cv.acquire(false, timeoutMs));
        assertFalse(lock.isLocked());
    }

    @Test
    void releaseOfAnUnlockedConditionThrows() {
        Condition cv = new Condition();
        assertThrows(IllegalStateException.class, cv::release);
        cv.acquire();
        cv.release();
        assertThrows(IllegalStateException.class, cv::release);
    }

    @Test
    void holdReleasesTheLock() {
        Lock lock = new Lock();
        Condition cv = new Condition(lock);
        try (Hold h = cv.hold()) {
            assertSame(Thread.current(), lock.holder());
            assertFalse(cv.await(1), "await works inside a hold");
            assertSame(Thread.current(), lock.holder());
        }
        assertFalse(lock.isLocked());
    }

    // ---- IllegalMonitorStateException

    static Stream<Named<Consumer<Condition>>> holderOnlyMethods() {
        return Stream.of(
                Named.of("await()", Condition::await),
                Named.of("await(10)", cv -> cv.await(10)),
                Named.of("await(0)", cv -> cv.await(0)),
                Named.of("waitFor(p)", cv -> cv.waitFor(() -> true)),
                Named.of("waitFor(p, 10)", cv -> cv.waitFor(() -> true, 10)),
                Named.of("signal()", Condition::signal),
                Named.of("signal(3)", cv -> cv.signal(3)),
                Named.of("signalAll()", Condition::signalAll));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holderOnlyMethods")
    void callWhenNobodyHoldsTheLockThrows(Consumer<Condition> method) {
        Lock lock = new Lock();
        Condition cv = new Condition(lock);
        assertThrows(IllegalMonitorStateException.class, () -> method.accept(cv));
        assertFalse(lock.isLocked());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holderOnlyMethods")
    void callWhileAnotherThreadHoldsTheLockThrows(Consumer<Condition> method) {
        Lock lock = new Lock();
        Condition cv = new Condition(lock);
        BlockingCall.lockFromAnotherThread(lock);
        Thread holder = lock.holder();
        assertThrows(IllegalMonitorStateException.class, () -> method.accept(cv));
        assertSame(holder, lock.holder(), "the holder keeps the lock");
        lock.release();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("holderOnlyMethods")
    void callAfterAnotherThreadReleasedOurLockThrows(Consumer<Condition> method) {
        Lock lock = new Lock();
        Condition cv = new Condition(lock);
        cv.acquire();
        Await.ended(Threading.thread(lock::release));
        assertThrows(IllegalMonitorStateException.class, () -> method.accept(cv));
    }

    @Test
    void waitForWhoseLockAnotherThreadReleasesLeavesNoPhantomWaiter() {
        Lock lock = new Lock();
        Condition cv = new Condition(lock);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread a = new Thread(() -> {
            cv.acquire();
            try {
                cv.waitFor(() -> {
                    // Any thread may release a Lock: another one does while a evaluates its predicate.
                    Await.ended(Threading.thread(lock::release));
                    return false;
                }, 1_000);
            } catch (RuntimeException e) {
                thrown.set(e);
            }
        }, "a");
        a.start();
        Await.ended(a);
        assertNotNull(thrown.get(), "a cannot wait on a lock it no longer holds");
        // a has left, whatever it threw: a signal must not be spent on it, nor the lock handed to it.
        cv.acquire();
        cv.signal();
        cv.release();
        assertFalse(lock.isLocked(), "the lock was handed to " + lock.holder() + ", which is not waiting (a threw "
                + thrown.get() + ")");
    }

    // ---- await and signal

    @Test
    void awaitReleasesTheLockWhileWaitingAndHoldsItOnReturn() {
        Lock lock = new Lock();
        Condition cv = new Condition(lock);
        AtomicBoolean result = new AtomicBoolean();
        AtomicBoolean heldOnReturn = new AtomicBoolean();
        Thread waiter = Threading.thread(() -> {
            cv.acquire();
            result.set(cv.await(60_000));
            heldOnReturn.set(lock.holder() == Thread.current());
            cv.release();
        });
        Await.parked(waiter, cv);
        assertFalse(lock.isLocked(), "the waiter let go of the lock");
        cv.acquire();
        cv.signal();
        cv.release();
        Await.ended(waiter);
        assertTrue(result.get(), "signalled, not timed out");
        assertTrue(heldOnReturn.get());
        assertFalse(lock.isLocked());
    }

    @Test
    void signalledWaiterReturnsOnlyAfterTheSignallerReleases() {
        Lock lock = new Lock();
        Condition cv = new Condition(lock);
        AtomicBoolean returned = new AtomicBoolean();
        Thread waiter = Threading.thread(() -> {
            cv.acquire();
            cv.await();
            returned.set(true);
            cv.release();
        });
        Await.parked(waiter, cv);
        cv.acquire();
        cv.signal();
        assertSame(Thread.current(), lock.holder(), "signal does not release the lock");
        Await.parked(waiter, cv); // woken, it now waits for the lock
        assertFalse(returned.get(), "cannot return while the signaller holds the lock");
        cv.release();
        Await.ended(waiter);
        assertTrue(returned.get());
    }

    @Test
    void awaitTimesOutReturningFalseWithTheLockHeld() {
        Lock lock = new Lock();
        Condition cv = new Condition(lock);
        cv.acquire();
        assertFalse(cv.await(20));
        assertSame(Thread.current(), lock.holder());
        assertFalse(cv.await(0));
        assertSame(Thread.current(), lock.holder());
        cv.release();
    }

    @Test
    void signalWithNoWaitersIsANoOp() {
        Condition cv = new Condition();
        cv.acquire();
        cv.signal();
        cv.signal(5);
        cv.signalAll();
        assertFalse(cv.await(10), "an earlier signal is not remembered");
        cv.release();
    }

    @Test
    void signalWakesOneWaiterAndSignalNWakesAtMostN() {
        Lock lock = new Lock();
        Condition cv = new Condition(lock);
        AtomicInteger returned = new AtomicInteger();
        List<Thread> waiters = startWaiters(cv, 5, returned);

        cv.acquire();
        cv.signal(0);
        cv.signal();
        cv.signal(2);
        assertEquals(2, unsignalledWaiters(waiters), "signal() woke one, signal(2) two, signal(0) none");
        cv.release();
        Await.ended(waiters.get(0), waiters.get(1), waiters.get(2)); // first come, first signalled
        assertEquals(3, returned.get());

        cv.acquire();
        cv.signal(10); // more than are waiting
        cv.release();
        Await.ended(waiters.toArray(new Thread[0]));
        assertEquals(5, returned.get());
    }

    @Test
    void signalAllWakesEveryWaiter() {
        Condition cv = new Condition();
        AtomicInteger returned = new AtomicInteger();
        List<Thread> waiters = startWaiters(cv, 4, returned);
        cv.acquire();
        cv.signalAll();
        assertEquals(0, unsignalledWaiters(waiters));
        cv.release();
        Await.ended(waiters.toArray(new Thread[0]));
        assertEquals(4, returned.get());
    }

    /** Starts {@code n} threads that each await {@code cv} (unbounded), one after the other. */
    private static List<Thread> startWaiters(Condition cv, int n, AtomicInteger returned) {
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread w = new Thread(() -> {
                cv.acquire();
                if (cv.await()) returned.incrementAndGet();
                cv.release();
            }, "cv-waiter-" + i);
            w.start();
            Await.parked(w, cv);
            waiters.add(w);
        }
        return waiters;
    }

    /** How many of {@code waiters} still wait on the condition itself, not yet signalled (read under the scheduler lock). */
    private static int unsignalledWaiters(List<Thread> waiters) {
        Scheduler.LOCK.lock();
        try {
            int n = 0;
            for (Thread t : waiters) {
                if (t.blockedOn != null && t.blockedOn.status == Waiter.WAITING && t.blockedOn.queue.lock == null) n++;
            }
            return n;
        } finally {
            Scheduler.LOCK.unlock();
        }
    }

    // ---- waitFor

    @Test
    void waitForReturnsAtOnceWhenThePredicateHolds() {
        Condition cv = new Condition();
        cv.acquire();
        assertTrue(cv.waitFor(() -> true));
        assertTrue(cv.waitFor(() -> true, 0));
        assertTrue(cv.waitFor(() -> true, 60_000));
        assertFalse(cv.waitFor(() -> false, 0), "a false predicate with timeout 0 is a poll");
        cv.release();
    }

    @Test
    void waitForReturnsTrueOnceThePredicateBecomesTrue() {
        Lock lock = new Lock();
        Condition cv = new Condition(lock);
        AtomicInteger stage = new AtomicInteger(); // written under lock
        AtomicBoolean result = new AtomicBoolean();
        AtomicBoolean evaluatedWithLockHeld = new AtomicBoolean(true);
        Thread waiter = Threading.thread(() -> {
            cv.acquire();
            result.set(cv.waitFor(() -> {
                if (lock.holder() != Thread.current()) evaluatedWithLockHeld.set(false);
                return stage.get() == 2;
            }, 60_000));
            cv.release();
        });
        Await.parked(waiter, cv);
        cv.acquire();
        stage.set(1); // not yet: waitFor must wait again
        cv.signal();
        cv.release();
        Await.parked(waiter, cv);
        assertTrue(waiter.isAlive());
        cv.acquire();
        stage.set(2);
        cv.signal();
        cv.release();
        Await.ended(waiter);
        assertTrue(result.get());
        assertTrue(evaluatedWithLockHeld.get(), "the predicate runs with the lock held");
    }

    @Test
    void waitForTimeoutBoundsTheWholeCallNotEachWait() {
        Condition cv = new Condition();
        Event stop = new Event();
        AtomicInteger signals = new AtomicInteger();
        Thread signaller = Threading.thread(() -> {
            while (!stop.await(10)) { // a signal every 10 ms, none of which makes the predicate true
                cv.acquire();
                cv.signalAll();
                cv.release();
                signals.incrementAndGet();
            }
        });
        try {
            cv.acquire();
            long startNanos = System.nanoTime();
            boolean result = cv.waitFor(() -> false, 100);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            cv.release();
            assertFalse(result);
            assertTrue(elapsedMs >= 100, "returned after " + elapsedMs + " ms");
            assertTrue(elapsedMs < 1_000, "took " + elapsedMs + " ms: the timeout restarted with each wake-up");
        } finally {
            stop.set();
            Await.ended(signaller);
        }
        assertTrue(signals.get() > 0, "the signaller ran");
    }
}
