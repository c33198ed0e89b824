package io.pirt.threading;

import static io.pirt.threading.Thread.PRIO_HIGH;
import static io.pirt.threading.Thread.PRIO_HIGHEST;
import static io.pirt.threading.Thread.PRIO_LOW;
import static io.pirt.threading.Thread.PRIO_LOWEST;
import static io.pirt.threading.Thread.PRIO_NORMAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Waiters are woken highest effective priority first, first come first served among equals,
 * on every primitive with a queue.
 */
@Timeout(20)
class PriorityOrderingTest {
    /** Priorities in arrival order, and the order in which they must be served. */
    private static final int[] ARRIVALS = {PRIO_LOW, PRIO_HIGH, PRIO_NORMAL, PRIO_HIGH, PRIO_LOWEST, PRIO_HIGHEST, PRIO_LOW};
    private static final List<String> EXPECTED = List.of("5:7", "1:5", "3:5", "2:4", "0:3", "6:3", "4:1");

    @Test
    void lockIsHandedToHighestPriorityWaiterFirstAndFifoAmongEquals() {
        Lock lock = new Lock();
        lock.acquire();
        List<String> served = runWaiters(i -> {
            lock.acquire();
        }, served2 -> lock.release(), () -> lock.release());
        assertEquals(EXPECTED, served);
        assertTrue(!lock.isLocked());
    }

    @Test
    void semaphorePermitsGoToHighestPriorityWaiterFirstAndFifoAmongEquals() {
        Semaphore sem = new Semaphore(0);
        List<String> served = runWaiters(i -> sem.acquire(), s -> sem.release(), sem::release);
        assertEquals(EXPECTED, served);
        assertEquals(1, sem.getValue(), "the last waiter passes its permit on to nobody");
    }

    @Test
    void conditionSignalsHighestPriorityWaiterFirstAndFifoAmongEquals() {
        Condition cv = new Condition();
        List<String> served = runWaiters(i -> {
            cv.acquire();
            cv.await();
        }, s -> {
            // each woken waiter signals the next, then lets go of the lock
            cv.signal();
            cv.release();
        }, () -> {
            cv.acquire();
            cv.signal();
            cv.release();
        });
        assertEquals(EXPECTED, served);
    }

    /**
     * Starts one waiter per entry of ARRIVALS, each queued (parked) before the next starts;
     * each waiter runs {@code waitStep}, records "index:priority", then runs {@code passOn}.
     * {@code firstRelease} lets the first one through. Returns the order they were served.
     */
    private static List<String> runWaiters(Consumer<Integer> waitStep, Consumer<Integer> passOn, Runnable firstRelease) {
        List<String> served = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < ARRIVALS.length; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                waitStep.accept(index);
                served.add(index + ":" + Thread.current().getPriority());
                passOn.accept(index);
            }, "waiter-" + i);
            t.start(ARRIVALS[i]);
            Parking.awaitParked(t);
            threads.add(t);
        }
        firstRelease.run();
        for (Thread t : threads) {
            t.join(5_000);
            assertTrue(!t.isAlive(), t.getName() + " was never served");
            assertEquals(null, t.getExc());
        }
        return served;
    }
}
