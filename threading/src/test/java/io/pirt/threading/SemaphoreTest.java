package io.pirt.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Semaphore: a counter of permits that never goes negative. */
@Timeout(20)
@SuppressWarnings("try") // a Hold is often only closed, never referenced
class SemaphoreTest {
    @Test
    void defaultValueIsOne() {
        assertEquals(1, new Semaphore().getValue());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, Integer.MAX_VALUE})
    void initialValueIsAsGiven(int value) {
        assertEquals(value, new Semaphore(value).getValue());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, Integer.MIN_VALUE})
    void negativeInitialValueThrows(int value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(value));
        assertTrue(e.getMessage().contains(String.valueOf(value)), e.getMessage());
    }

    @Test
    void acquireTakesAPermitAndReleaseAddsOne() {
        Semaphore sem = new Semaphore(2);
        assertTrue(sem.acquire());
        assertEquals(1, sem.getValue());
        assertTrue(sem.acquire(true));
        assertEquals(0, sem.getValue());
        sem.release();
        sem.release();
        sem.release();
        assertEquals(3, sem.getValue(), "release may raise the value above the initial one");
        assertTrue(sem.acquire(0));
        assertTrue(sem.acquire(false));
        assertTrue(sem.acquire(true, 10));
        assertEquals(0, sem.getValue());
    }

    @Test
    void pollsOfAnEmptySemaphoreFailAndTakeNothing() {
        Semaphore sem = new Semaphore(0);
        assertFalse(sem.acquire(false));
        assertFalse(sem.acquire(false, -1));
        assertFalse(sem.acquire(0));
        assertFalse(sem.acquire(true, 0));
        assertEquals(0, sem.getValue(), "never negative");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 5, Long.MAX_VALUE})
    void nonBlockingAcquireWithATimeoutThrows(long timeoutMs) {
        Semaphore sem = new Semaphore(1);
        assertThrows(IllegalArgumentException.class, () -> sem.acquire(false, timeoutMs));
        assertEquals(1, sem.getValue(), "a rejected call takes nothing");
        Semaphore empty = new Semaphore(0);
        assertThrows(IllegalArgumentException.class, () -> empty.acquire(false, timeoutMs));
    }

    @Test
    void releaseHandsThePermitToAWaiter() {
        Semaphore sem = new Semaphore(0);
        Thread waiter = Threading.thread(sem::acquire);
        Await.parked(waiter, sem);
        assertEquals(0, sem.getValue(), "never negative while a thread waits");
        sem.release();
        Await.ended(waiter);
        assertEquals(0, sem.getValue(), "the permit went to the waiter");
    }

    @Test
    void oneReleaseWakesExactlyOneWaiter() {
        Semaphore sem = new Semaphore(0);
        AtomicInteger acquired = new AtomicInteger();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread w = Threading.thread(() -> {
                sem.acquire();
                acquired.incrementAndGet();
            });
            Await.parked(w, sem);
            waiters.add(w);
        }
        sem.release();
        Await.ended(waiters.get(0)); // first come first served among equal priorities
        assertEquals(1, acquired.get());
        assertTrue(waiters.get(1).isAlive() && waiters.get(2).isAlive());
        sem.release();
        sem.release();
        Await.ended(waiters.toArray(new Thread[0]));
        assertEquals(3, acquired.get());
        assertEquals(0, sem.getValue());
    }

    @Test
    void anyThreadMayRelease() {
        Semaphore sem = new Semaphore(0);
        Thread releaser = Threading.thread(sem::release);
        Await.ended(releaser);
        assertEquals(1, sem.getValue());
        assertTrue(sem.acquire(false));
    }

    @Test
    void holdGivesThePermitBackOnClose() {
        Semaphore sem = new Semaphore(1);
        try (Hold h = sem.hold()) {
            assertEquals(0, sem.getValue());
        }
        assertEquals(1, sem.getValue());
        assertThrows(IllegalStateException.class, () -> {
            try (Hold h = sem.hold()) {
                throw new IllegalStateException("body failed");
            }
        });
        assertEquals(1, sem.getValue());
    }

    @Test
    void holdWaitsForAPermit() {
        Semaphore sem = new Semaphore(0);
        AtomicInteger valueInside = new AtomicInteger(-1);
        Thread t = Threading.thread(() -> {
            try (Hold h = sem.hold()) {
                valueInside.set(sem.getValue());
            }
        });
        Await.parked(t, sem);
        sem.release();
        Await.ended(t);
        assertEquals(0, valueInside.get());
        assertEquals(1, sem.getValue());
    }

    @Test
    void releaseBeyondMaxValueThrows() {
        Semaphore sem = new Semaphore(Integer.MAX_VALUE);
        assertThrows(IllegalStateException.class, sem::release);
        assertEquals(Integer.MAX_VALUE, sem.getValue());
    }
}
