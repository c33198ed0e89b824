package io.pirt.threading;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lock: two states, any thread may release, not reentrant, Hold releases. */
@Timeout(20)
@SuppressWarnings("try") // a Hold is often only closed, never referenced
class LockTest {
    @Test
    void newLockIsUnlockedAndAcquireLocksIt() {
        Lock lock = new Lock();
        assertFalse(lock.isLocked());
        assertTrue(lock.acquire());
        assertTrue(lock.isLocked());
        assertSame(Thread.current(), lock.holder());
        lock.release();
        assertFalse(lock.isLocked());
        assertNull(lock.holder());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"acquire()", "acquire(true)", "acquire(false)", "acquire(-1)", "acquire(0)", "acquire(10)",
            "acquire(true, -1)", "acquire(true, 0)", "acquire(true, 10)", "acquire(false, -1)", "acquire(false, -7)"})
    void everyAcquireFormTakesAFreeLockAtOnce(String form) {
        Lock lock = new Lock();
        assertTrue(acquireBy(form).test(lock));
        assertTrue(lock.isLocked());
        assertSame(Thread.current(), lock.holder());
        lock.release();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"acquire(false)", "acquire(0)", "acquire(true, 0)", "acquire(false, -1)", "acquire(false, -7)"})
    void pollsOfALockedLockFailWithoutChangingIt(String form) {
        Lock lock = new Lock();
        BlockingCall.lockFromAnotherThread(lock);
        Thread holder = lock.holder();
        assertFalse(acquireBy(form).test(lock));
        assertSame(holder, lock.holder());
        lock.release();
        assertFalse(lock.isLocked());
    }

    private static Predicate<Lock> acquireBy(String form) {
        return switch (form) {
            case "acquire()" -> Lock::acquire;
            case "acquire(true)" -> l -> l.acquire(true);
            case "acquire(false)" -> l -> l.acquire(false);
            case "acquire(-1)" -> l -> l.acquire(-1);
            case "acquire(0)" -> l -> l.acquire(0);
            case "acquire(10)" -> l -> l.acquire(10);
            case "acquire(true, -1)" -> l -> l.acquire(true, -1);
            case "acquire(true, 0)" -> l -> l.acquire(true, 0);
            case "acquire(true, 10)" -> l -> l.acquire(true, 10);
            case "acquire(false, -1)" -> l -> l.acquire(false, -1);
            case "acquire(false, -7)" -> l -> l.acquire(false, -7);
            default -> throw new IllegalArgumentException(form);
        };
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 5, Long.MAX_VALUE})
    void nonBlockingAcquireWithATimeoutThrows(long timeoutMs) {
        Lock lock = new Lock();
        assertThrows(IllegalArgumentException.class, () -> lock.acquire(false, timeoutMs));
        assertFalse(lock.isLocked(), "a rejected call takes nothing");
        lock.acquire();
        assertThrows(IllegalArgumentException.class, () -> lock.acquire(false, timeoutMs));
        assertSame(Thread.current(), lock.holder());
        lock.release();
    }

    @Test
    void releaseOfAnUnlockedLockThrows() {
        Lock lock = new Lock();
        assertThrows(IllegalStateException.class, lock::release);
        lock.acquire();
        lock.release();
        assertThrows(IllegalStateException.class, lock::release, "released twice");
        assertFalse(lock.isLocked());
    }

    @Test
    void lockIsNotReentrant() {
        Lock lock = new Lock();
        lock.acquire();
        assertFalse(lock.acquire(false), "the holder cannot take it again");
        assertFalse(lock.acquire(20), "... not even by waiting");
        assertSame(Thread.current(), lock.holder());
        lock.release();
    }

    @Test
    void waiterBlocksUntilRelease() {
        Lock lock = new Lock();
        lock.acquire();
        AtomicReference<Thread> holderSeen = new AtomicReference<>();
        Thread waiter = Threading.thread(() -> {
            lock.acquire();
            holderSeen.set(lock.holder());
            lock.release();
        });
        Await.parked(waiter, lock);
        assertTrue(waiter.isAlive());
        lock.release();
        Await.ended(waiter);
        assertSame(waiter, holderSeen.get());
        assertFalse(lock.isLocked());
    }

    @Test
    void releaseByNonOwnerWakesWaiter() {
        Lock lock = new Lock();
        Thread a = Threading.thread(lock::acquire); // takes the lock and ends, still holding it
        Await.ended(a);
        assertSame(a, lock.holder());

        AtomicReference<Thread> holderSeenByC = new AtomicReference<>();
        Event releaseNow = new Event();
        Thread c = Threading.thread(() -> {
            lock.acquire();
            holderSeenByC.set(lock.holder());
            releaseNow.await();
            lock.release();
        });
        Await.parked(c, lock);

        Thread b = Threading.thread(lock::release);
        Await.ended(b);
        Await.parked(c, releaseNow);
        assertSame(c, holderSeenByC.get());
        assertSame(c, lock.holder());
        releaseNow.set();
        Await.ended(c);
        assertFalse(lock.isLocked());
    }

    @Test
    void releaseWithAWaiterHandsTheLockOverWithoutUnlocking() {
        Lock lock = new Lock();
        lock.acquire();
        Event done = new Event();
        Thread waiter = Threading.thread(() -> {
            lock.acquire();
            done.await();
            lock.release();
        });
        Await.parked(waiter, lock);
        lock.release();
        assertTrue(lock.isLocked(), "the lock passes straight to the waiter");
        assertFalse(lock.acquire(false), "nobody can barge in ahead of the waiter");
        done.set();
        Await.ended(waiter);
        assertFalse(lock.isLocked());
    }

    @Test
    void holdReleasesOnClose() {
        Lock lock = new Lock();
        try (Hold h = lock.hold()) {
            assertTrue(lock.isLocked());
            assertSame(Thread.current(), lock.holder());
        }
        assertFalse(lock.isLocked());
    }

    @Test
    void holdReleasesWhenTheBodyThrows() {
        Lock lock = new Lock();
        assertThrows(IllegalStateException.class, () -> {
            try (Hold h = lock.hold()) {
                throw new IllegalStateException("body failed");
            }
        });
        assertFalse(lock.isLocked());
    }

    @Test
    void holdClosedTwiceReleasesTwice() {
        Lock lock = new Lock();
        Hold h = lock.hold();
        h.close();
        assertThrows(IllegalStateException.class, h::close, "the second release finds the lock unlocked");
    }

    @Test
    void holdWaitsForTheLock() {
        Lock lock = new Lock();
        lock.acquire();
        AtomicBoolean heldInside = new AtomicBoolean();
        Thread t = Threading.thread(() -> {
            try (Hold h = lock.hold()) {
                heldInside.set(lock.holder() == Thread.current());
            }
        });
        Await.parked(t, lock);
        lock.release();
        Await.ended(t);
        assertTrue(heldInside.get());
        assertFalse(lock.isLocked());
    }
}
