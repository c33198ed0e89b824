package io.pirt.threading;

import static io.pirt.threading.Thread.PRIO_HIGH;
import static io.pirt.threading.Thread.PRIO_HIGHER;
import static io.pirt.threading.Thread.PRIO_HIGHEST;
import static io.pirt.threading.Thread.PRIO_LOW;
import static io.pirt.threading.Thread.PRIO_LOWEST;
import static io.pirt.threading.Thread.PRIO_NORMAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Priority inheritance on Lock, exactly as the contract's "Priority inheritance, precisely" states it. */
@Timeout(20)
class PriorityInheritanceTest {
    private final List<Thread> started = new ArrayList<>();
    private final Event finish = new Event();

    @AfterEach
    void stopAll() {
        finish.set();
        for (Thread t : started) {
            t.join(5_000);
            assertFalse(t.isAlive(), t.getName() + " did not end");
            assertNull(t.getExc(), t.getName() + " failed");
        }
    }

    /** A thread at {@code prio} that acquires each lock in order, then waits for the end of the test and releases them. */
    private Thread holder(String name, int prio, Lock... locks) {
        Event holding = new Event();
        Thread t = new Thread(() -> {
            for (Lock l : locks) l.acquire();
            holding.set();
            finish.await();
            for (int i = locks.length - 1; i >= 0; i--) locks[i].release();
        }, name);
        t.start(prio);
        started.add(t);
        assertTrue(holding.await(5_000), name + " did not get its locks");
        return t;
    }

    /** A thread at {@code prio} that holds {@code held} (if any) and then blocks acquiring {@code wanted}. */
    private Thread waiter(String name, int prio, Lock held, Lock wanted, long timeoutMs) {
        Thread t = new Thread(() -> {
            if (held != null) held.acquire();
            if (wanted.acquire(timeoutMs)) {
                finish.await();
                wanted.release();
            }
            if (held != null) held.release();
        }, name);
        t.start(prio);
        started.add(t);
        Parking.awaitParked(t);
        return t;
    }

    @Test
    void holderRunsAtWaiterPriorityUntilItReleases() {
        Lock lock = new Lock();
        Event release = new Event();
        Event released = new Event();
        Thread low = new Thread(() -> {
            lock.acquire();
            release.await();
            lock.release();
            released.set();
            finish.await();
        }, "low");
        low.start(PRIO_LOW);
        started.add(low);
        Parking.awaitParked(low); // parked on `release`, holding the lock
        assertEquals(PRIO_LOW, low.getEffectivePriority());

        Thread high = waiter("high", PRIO_HIGH, null, lock, -1);
        assertEquals(PRIO_HIGH, low.getEffectivePriority());
        assertEquals(PRIO_LOW, low.getPriority(), "inheritance never changes the own priority");

        release.set();
        assertTrue(released.await(5_000));
        assertEquals(PRIO_LOW, low.getEffectivePriority(), "the boost ends with the release");
        assertEquals(PRIO_HIGH, high.getEffectivePriority());
    }

    @Test
    void inheritanceIsTransitiveAlongAChainOfLocks() {
        Lock first = new Lock();
        Lock second = new Lock();
        Thread lowest = holder("lowest", PRIO_LOWEST, first);
        Thread low = waiter("low", PRIO_LOW, second, first, -1); // holds second, waits for first
        assertEquals(PRIO_LOW, lowest.getEffectivePriority());

        Thread highest = waiter("highest", PRIO_HIGHEST, null, second, 300);
        assertEquals(PRIO_HIGHEST, low.getEffectivePriority());
        assertEquals(PRIO_HIGHEST, lowest.getEffectivePriority(), "boost passes through the chain");

        highest.join(5_000); // gives up after its 300 ms timeout
        assertFalse(highest.isAlive());
        assertEquals(PRIO_LOW, low.getEffectivePriority(), "a waiter that gives up takes its boost away");
        assertEquals(PRIO_LOW, lowest.getEffectivePriority(), "... along the whole chain");
    }

    @Test
    void releasingOneOfTwoLocksDropsToHighestWaiterStillWaiting() {
        Lock a = new Lock();
        Lock b = new Lock();
        Event releaseB = new Event();
        Event releasedB = new Event();
        Thread holder = new Thread(() -> {
            a.acquire();
            b.acquire();
            releaseB.await();
            b.release();
            releasedB.set();
            finish.await();
            a.release();
        }, "holder");
        holder.start(PRIO_LOWEST);
        started.add(holder);
        Parking.awaitParked(holder);

        waiter("on-a", PRIO_HIGH, null, a, -1);
        waiter("on-b", PRIO_HIGHEST, null, b, -1);
        assertEquals(PRIO_HIGHEST, holder.getEffectivePriority());

        releaseB.set();
        assertTrue(releasedB.await(5_000));
        assertEquals(PRIO_HIGH, holder.getEffectivePriority(), "drops to the waiter still on a, not to its own");
    }

    @Test
    void lowerPriorityWaiterNeverLowersTheHolder() {
        Lock lock = new Lock();
        Thread holder = holder("holder", PRIO_HIGH, lock);
        waiter("lowest", PRIO_LOWEST, null, lock, -1);
        assertEquals(PRIO_HIGH, holder.getEffectivePriority());
        waiter("highest", PRIO_HIGHEST, null, lock, -1);
        assertEquals(PRIO_HIGHEST, holder.getEffectivePriority());
    }

    @Test
    void interruptedWaiterTakesItsBoostAway() {
        Lock lock = new Lock();
        Thread holder = holder("holder", PRIO_LOW, lock);
        Event interrupted = new Event();
        Thread high = new Thread(() -> {
            try {
                lock.acquire();
            } catch (ThreadInterruptedException e) {
                interrupted.set();
            }
        }, "high");
        high.start(PRIO_HIGHER);
        started.add(high);
        Parking.awaitParked(high);
        assertEquals(PRIO_HIGHER, holder.getEffectivePriority());

        high.carrier().interrupt();
        assertTrue(interrupted.await(5_000));
        high.join(5_000);
        assertEquals(PRIO_LOW, holder.getEffectivePriority());
    }

    @Test
    void newHolderInheritsFromWaitersLeftBehind() {
        Lock lock = new Lock();
        Event release = new Event();
        Thread first = new Thread(() -> {
            lock.acquire();
            release.await();
            lock.release();
        }, "first");
        first.start(PRIO_LOWEST);
        started.add(first);
        Parking.awaitParked(first);

        Thread normal = waiter("normal", PRIO_NORMAL, null, lock, -1);
        Thread lowWaiter = waiter("low", PRIO_LOW, null, lock, -1);
        assertEquals(PRIO_NORMAL, first.getEffectivePriority());

        release.set(); // lock goes to "normal", the higher waiter; "low" still waits behind it
        first.join(5_000);
        assertEquals(PRIO_LOWEST, first.getEffectivePriority());
        assertEquals(PRIO_NORMAL, normal.getEffectivePriority());
        assertTrue(lowWaiter.isAlive());
    }

    @Test
    void boostedWaiterMovesUpInTheQueueItWaitsIn() {
        // "mid" waits on `target` behind an earlier PRIO_NORMAL waiter; when a PRIO_HIGHEST thread waits
        // for a lock "mid" holds, "mid" must move ahead and be served first.
        Lock target = new Lock();
        Lock midsLock = new Lock();
        Event release = new Event();
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread owner = new Thread(() -> {
            target.acquire();
            release.await();
            target.release();
        }, "owner");
        owner.start(PRIO_LOWEST);
        started.add(owner);
        Parking.awaitParked(owner);

        Thread normal = new Thread(() -> {
            target.acquire();
            order.add("normal");
            target.release();
        }, "normal");
        normal.start(PRIO_NORMAL);
        started.add(normal);
        Parking.awaitParked(normal);

        Thread mid = new Thread(() -> {
            midsLock.acquire();
            target.acquire();
            order.add("mid");
            target.release();
            midsLock.release();
        }, "mid");
        mid.start(PRIO_LOW);
        started.add(mid);
        Parking.awaitParked(mid);

        waiter("top", PRIO_HIGHEST, null, midsLock, -1);
        assertEquals(PRIO_HIGHEST, mid.getEffectivePriority());
        assertEquals(PRIO_HIGHEST, owner.getEffectivePriority(), "and passes the boost on to target's owner");

        release.set();
        normal.join(5_000);
        mid.join(5_000);
        assertEquals(List.of("mid", "normal"), order);
    }

    @Test
    void deadlockCycleDoesNotHangThePropagation() {
        Lock a = new Lock();
        Lock b = new Lock();
        Event aHeld = new Event();
        Event bHeld = new Event();
        Thread t1 = new Thread(() -> {
            a.acquire();
            aHeld.set();
            b.acquire(500); // times out: t2 holds b and waits for a
            a.release();
        }, "t1");
        Thread t2 = new Thread(() -> {
            b.acquire();
            bHeld.set();
            aHeld.await();
            a.acquire(2_000);
            a.release();
            b.release();
        }, "t2");
        t2.start(PRIO_HIGH);
        started.add(t2);
        // start() returns before run() does anything: without this, t1 could take b first and end holding it.
        assertTrue(bHeld.await(5_000), "t2 did not take b");
        t1.start(PRIO_LOW);
        started.add(t1);
        t1.join(5_000);
        t2.join(5_000);
        assertFalse(t1.isAlive());
        assertFalse(t2.isAlive());
        assertEquals(PRIO_LOW, t1.getEffectivePriority());
        assertEquals(PRIO_HIGH, t2.getEffectivePriority());
    }
}
