package io.pirt.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads, many iterations: mutual exclusion, permit counts, no lost wake-ups, timeouts and
 * interrupts racing hand-offs, no deadlock. Every wait in the workers is timed and must not time
 * out where the protocol guarantees progress, so a lost wake-up fails fast instead of hanging.
 * Sized to stay well under a few seconds each on a shared 2-core machine.
 */
@Timeout(30)
@SuppressWarnings("try") // a Hold is often only closed, never referenced
class RaceTest {
    /** Any wait that the protocol guarantees will end; reaching it means a lost wake-up or a deadlock. */
    private static final long PROGRESS_MS = 5_000;

    /** Starts {@code n} threads named {@code name-i} running {@code body(i)}, all released at once. */
    private static List<Thread> startAll(String name, int n, java.util.function.IntConsumer body) {
        Event go = new Event();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                assertTrue(go.await(PROGRESS_MS));
                body.accept(index);
            }, name + "-" + i);
            t.start();
            threads.add(t);
        }
        go.set();
        return threads;
    }

    private static void endAll(List<Thread> threads) {
        for (Thread t : threads) {
            t.join(20_000);
            assertFalse(t.isAlive(), t.getName() + " is stuck: lost wake-up or deadlock");
            if (t.getExc() != null) throw new AssertionError(t.getName() + " failed", t.getExc());
        }
    }

    @Test
    void lockGivesMutualExclusionUnderContention() {
        Lock lock = new Lock();
        int threads = 4, rounds = 3_000;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        long[] counter = {0}; // plain, guarded by lock
        endAll(startAll("mutex", threads, i -> {
            for (int r = 0; r < rounds; r++) {
                switch (r % 3) { // every way in
                    case 0 -> assertTrue(lock.acquire());
                    case 1 -> assertTrue(lock.acquire(PROGRESS_MS));
                    default -> assertTrue(lock.acquire(true, -1));
                }
                int now = inside.incrementAndGet();
                maxInside.accumulateAndGet(now, Math::max);
                long read = counter[0];
                if (r % 64 == 0) java.lang.Thread.yield(); // widen the window a lost update needs
                counter[0] = read + 1;
                inside.decrementAndGet();
                lock.release();
            }
        }));
        assertEquals(1, maxInside.get());
        assertEquals((long) threads * rounds, counter[0]);
        assertFalse(lock.isLocked());
    }

    @Test
    void semaphoreNeverAdmitsMoreThanItsPermits() {
        int permits = 3;
        Semaphore sem = new Semaphore(permits);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        endAll(startAll("sem", 7, i -> {
            for (int r = 0; r < 2_000; r++) {
                assertTrue(r % 2 == 0 ? sem.acquire() : sem.acquire(PROGRESS_MS));
                maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                if (r % 32 == 0) java.lang.Thread.yield();
                inside.decrementAndGet();
                sem.release();
            }
        }));
        assertTrue(maxInside.get() <= permits, "saw " + maxInside.get() + " inside at once");
        assertEquals(permits, sem.getValue());
    }

    @Test
    void conditionProducerConsumerLosesNoWakeUp() {
        Lock lock = new Lock();
        Condition notEmpty = new Condition(lock);
        Condition notFull = new Condition(lock);
        ArrayDeque<Integer> buffer = new ArrayDeque<>(); // guarded by lock
        int capacity = 2, producers = 2, consumers = 2, itemsPerProducer = 3_000;
        AtomicLong consumedSum = new AtomicLong();
        AtomicInteger consumedCount = new AtomicInteger();
        int total = producers * itemsPerProducer;
        List<Thread> threads = new ArrayList<>();
        threads.addAll(startAll("producer", producers, p -> {
            for (int k = 1; k <= itemsPerProducer; k++) {
                notFull.acquire();
                try {
                    assertTrue(notFull.waitFor(() -> buffer.size() < capacity, PROGRESS_MS), "producer never woken");
                    buffer.add(k);
                    notEmpty.signal(); // one item is interesting to one consumer only
                } finally {
                    notFull.release();
                }
            }
        }));
        threads.addAll(startAll("consumer", consumers, c -> {
            for (int k = 0; k < total / consumers; k++) {
                notEmpty.acquire();
                try {
                    while (buffer.isEmpty()) {
                        assertTrue(notEmpty.await(PROGRESS_MS), "consumer never woken");
                    }
                    consumedSum.addAndGet(buffer.poll());
                    consumedCount.incrementAndGet();
                    notFull.signal();
                } finally {
                    notEmpty.release();
                }
            }
        }));
        endAll(threads);
        assertEquals(total, consumedCount.get());
        assertEquals((long) producers * itemsPerProducer * (itemsPerProducer + 1) / 2, consumedSum.get());
        assertTrue(buffer.isEmpty());
        assertFalse(lock.isLocked());
    }

    @Test
    void semaphoreProducerConsumerLosesNoWakeUp() {
        int capacity = 2, itemsPerProducer = 3_000, producers = 2, consumers = 2;
        Semaphore free = new Semaphore(capacity);
        Semaphore filled = new Semaphore(0);
        Lock mutex = new Lock();
        ArrayDeque<Integer> buffer = new ArrayDeque<>(); // guarded by mutex
        AtomicLong consumedSum = new AtomicLong();
        int total = producers * itemsPerProducer;
        List<Thread> threads = new ArrayList<>();
        threads.addAll(startAll("producer", producers, p -> {
            for (int k = 1; k <= itemsPerProducer; k++) {
                assertTrue(free.acquire(PROGRESS_MS), "producer never got a free slot");
                try (Hold h = mutex.hold()) {
                    buffer.add(k);
                }
                filled.release();
            }
        }));
        threads.addAll(startAll("consumer", consumers, c -> {
            for (int k = 0; k < total / consumers; k++) {
                assertTrue(filled.acquire(PROGRESS_MS), "consumer never got an item");
                int item;
                try (Hold h = mutex.hold()) {
                    item = buffer.remove();
                }
                consumedSum.addAndGet(item);
                free.release();
            }
        }));
        endAll(threads);
        assertEquals((long) producers * itemsPerProducer * (itemsPerProducer + 1) / 2, consumedSum.get());
        assertEquals(capacity, free.getValue());
        assertEquals(0, filled.getValue());
    }

    @Test
    void semaphorePingPongLosesNoWakeUp() {
        Semaphore ping = new Semaphore(0);
        Semaphore pong = new Semaphore(0);
        int rounds = 5_000;
        endAll(startAll("pingpong", 2, i -> {
            for (int r = 0; r < rounds; r++) {
                if (i == 0) {
                    ping.release();
                    assertTrue(pong.acquire(PROGRESS_MS), "lost pong in round " + r);
                } else {
                    assertTrue(ping.acquire(PROGRESS_MS), "lost ping in round " + r);
                    pong.release();
                }
            }
        }));
        assertEquals(0, ping.getValue());
        assertEquals(0, pong.getValue());
    }

    /** Holds for 0 to 600 µs: about as long as the timeouts below, so deadlines keep landing on hand-offs. */
    private static void holdBriefly(ThreadLocalRandom rnd) {
        LockSupport.parkNanos(rnd.nextLong(600_000));
    }

    @Test
    void timedLockAcquireRacingReleaseLeavesAConsistentLock() {
        Lock lock = new Lock();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger successes = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        int threads = 4, rounds = 500;
        endAll(startAll("timed-lock", threads, i -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int r = 0; r < rounds; r++) {
                if (lock.acquire(rnd.nextInt(3))) { // 0, 1 or 2 ms
                    assertEquals(1, inside.incrementAndGet(), "acquire returned true without exclusive ownership");
                    assertTrue(lock.holder() == Thread.current(), "true but not the holder");
                    holdBriefly(rnd);
                    inside.decrementAndGet();
                    lock.release();
                    successes.incrementAndGet();
                } else {
                    assertTrue(lock.holder() != Thread.current(), "false but left holding the lock");
                    timeouts.incrementAndGet();
                }
            }
        }));
        assertFalse(lock.isLocked(), "every true was released and no false kept the lock");
        assertTrue(lock.acquire(false), "the lock is usable");
        lock.release();
        assertEquals(threads * rounds, successes.get() + timeouts.get());
        assertTrue(successes.get() > 0 && timeouts.get() > 0, successes + " successes, " + timeouts + " timeouts: no race");
    }

    @Test
    void timedSemaphoreAcquireRacingReleaseKeepsTheCount() {
        int permits = 2, threads = 5, rounds = 500;
        Semaphore sem = new Semaphore(permits);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        endAll(startAll("timed-sem", threads, i -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int r = 0; r < rounds; r++) {
                if (sem.acquire(rnd.nextInt(3))) {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    holdBriefly(rnd);
                    inside.decrementAndGet();
                    sem.release();
                } else {
                    timeouts.incrementAndGet();
                }
            }
        }));
        assertTrue(maxInside.get() <= permits, "saw " + maxInside.get() + " inside at once");
        assertEquals(permits, sem.getValue(), "no permit lost to a waiter that timed out, none created");
        assertTrue(timeouts.get() > 0, "no acquire timed out: no race");
    }

    @Test
    void timedSemaphoreAcquireRacingAReleaserLosesNoPermit() {
        Semaphore sem = new Semaphore(0);
        int releases = 3_000;
        AtomicInteger taken = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        Event stop = new Event();
        // Four waiters with 1 ms timeouts queue up faster than permits arrive, so the waiter at the
        // back keeps timing out just as a release reaches it: a permit granted at that instant must
        // be kept (acquire returns true) or must stay in the semaphore, never vanish.
        List<Thread> waiters = startAll("sem-waiter", 4, i -> {
            while (!stop.isSet()) {
                if (sem.acquire(1)) taken.incrementAndGet();
                else timeouts.incrementAndGet();
            }
        });
        Thread releaser = Threading.thread(() -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int r = 0; r < releases; r++) {
                sem.release();
                LockSupport.parkNanos(rnd.nextLong(400_000));
            }
        });
        try {
            Await.ended(releaser);
        } finally {
            stop.set();
            endAll(waiters);
        }
        assertEquals(releases - taken.get(), sem.getValue(), "permits released - permits taken = permits left");
        assertTrue(timeouts.get() > 0, "no acquire timed out: no race");
    }

    /**
     * A grant finishes outside Scheduler.LOCK (status write and unpark after the release of
     * LOCK). A waiter whose timeout runs out in between keeps the grant and must wait for that
     * status write before it reuses its waiter for its next wait; otherwise the late write
     * ends that next wait as granted. Each round aims a grant (Lock release, Semaphore release,
     * Event set) at a 1 ms wait's deadline, then waits 1 ms on something nobody grants.
     */
    @Test
    void grantRacingTimeoutNeverReachesTheNextWait() {
        Lock lock = new Lock();
        Semaphore never = new Semaphore(0);
        Semaphore go = new Semaphore(0), done = new Semaphore(0);
        int rounds = 300;
        AtomicInteger kind = new AtomicInteger(); // 0 lock, 1 semaphore, 2 event: what the granter grants
        AtomicReference<Semaphore> semaphore = new AtomicReference<>();
        AtomicReference<Event> event = new AtomicReference<>();
        Thread granter = Threading.thread(() -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int r = 0; r < rounds; r++) {
                assertTrue(go.acquire(PROGRESS_MS), "the waiter never started round " + r);
                LockSupport.parkNanos(800_000 + rnd.nextLong(400_000)); // lands about on the 1 ms deadline
                switch (kind.get()) {
                    case 0 -> lock.release();
                    case 1 -> semaphore.get().release();
                    default -> event.get().set();
                }
                done.release();
            }
        });
        int[] granted = new int[2];
        Thread waiter = Threading.thread(() -> {
            lock.acquire(); // held by this thread: its next acquire waits for the granter's release
            for (int r = 0; r < rounds; r++) {
                int k = r % 3;
                kind.set(k);
                semaphore.set(new Semaphore(0));
                event.set(new Event());
                go.release();
                boolean got = switch (k) {
                    case 0 -> lock.acquire(1);
                    case 1 -> semaphore.get().acquire(1);
                    default -> event.get().await(1);
                };
                granted[got ? 1 : 0]++;
                assertFalse(never.acquire(1), "round " + r + ": a wait on a Semaphore nobody releases ended as granted"
                        + " (a grant of the previous wait, " + (got ? "kept" : "timed out") + ", reached it)");
                assertTrue(done.acquire(PROGRESS_MS), "the granter never finished round " + r);
                switch (k) {
                    case 0 -> {
                        assertEquals(got, lock.isLocked(), "round " + r + ": acquire returned " + got);
                        if (!got) lock.acquire(); // timed out: the release freed it; hold it again
                    }
                    case 1 -> assertEquals(got ? 0 : 1, semaphore.get().getValue(), "round " + r + ": the permit");
                    default -> assertTrue(event.get().isSet());
                }
            }
            lock.release();
        });
        endAll(List.of(granter, waiter));
        assertTrue(granted[0] > 0 && granted[1] > 0, granted[1] + " granted, " + granted[0] + " timed out: no race");
    }

    @Test
    void timedConditionAwaitRacingSignalAlwaysReturnsHoldingTheLock() {
        Lock lock = new Lock();
        Condition cv = new Condition(lock);
        AtomicInteger signalled = new AtomicInteger();
        AtomicInteger timedOut = new AtomicInteger();
        Event stop = new Event();
        Thread signaller = Threading.thread(() -> {
            while (!stop.isSet()) {
                assertTrue(cv.acquire(PROGRESS_MS));
                cv.signal();
                cv.release();
                java.lang.Thread.yield();
            }
        });
        try {
            endAll(startAll("cv-waiter", 3, i -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int r = 0; r < 1_000; r++) {
                    assertTrue(cv.acquire(PROGRESS_MS));
                    boolean woken = cv.await(rnd.nextInt(1, 3));
                    assertTrue(lock.holder() == Thread.current(), "await returned without the lock");
                    (woken ? signalled : timedOut).incrementAndGet();
                    cv.release();
                }
            }));
        } finally {
            stop.set();
            Await.ended(signaller);
        }
        assertFalse(lock.isLocked());
        assertEquals(3_000, signalled.get() + timedOut.get());
    }

    @Test
    void interruptRacingLockHandOffNeverStrandsTheLock() {
        for (int round = 0; round < 300; round++) {
            Lock lock = new Lock();
            lock.acquire();
            AtomicReference<String> outcome = new AtomicReference<>();
            Thread waiter = Threading.thread(() -> {
                try {
                    if (lock.acquire()) {
                        outcome.set(lock.holder() == Thread.current() ? "acquired" : "acquired without holding");
                        lock.release();
                    }
                } catch (ThreadInterruptedException e) {
                    outcome.set(lock.holder() == Thread.current() ? "threw while holding" : "interrupted");
                }
            });
            Await.parked(waiter, lock);
            java.lang.Thread interrupter = new java.lang.Thread(waiter::interrupt, "interrupter");
            interrupter.start();
            lock.release(); // races the interrupt: hand-off or give-up, never both
            Await.ended(interrupter);
            Await.ended(waiter);
            String o = outcome.get();
            assertTrue("acquired".equals(o) || "interrupted".equals(o), "round " + round + ": " + o);
            assertFalse(lock.isLocked(), "round " + round + " (" + o + "): the lock was stranded");
        }
    }

    @Test
    void signalRacingInterruptKeepsTheLockAndTheSignal() {
        for (int round = 0; round < 300; round++) {
            Lock lock = new Lock();
            Condition cv = new Condition(lock);
            AtomicReference<String> outcome = new AtomicReference<>();
            Thread waiter = Threading.thread(() -> {
                cv.acquire();
                try {
                    boolean r = cv.await();
                    outcome.set(r && java.lang.Thread.currentThread().isInterrupted() ? "signalled, interrupt kept"
                            : "returned " + r + " without the interrupt status");
                } catch (ThreadInterruptedException e) {
                    outcome.set("interrupted");
                } finally {
                    if (lock.holder() != Thread.current()) outcome.set("left without the lock");
                    else cv.release();
                }
            });
            Await.parked(waiter, cv);
            java.lang.Thread interrupter = new java.lang.Thread(waiter::interrupt, "interrupter");
            cv.acquire();
            interrupter.start();
            cv.signal(); // races the interrupt
            Await.ended(interrupter); // delivered while the waiter still needs the lock to return
            cv.release();
            Await.ended(waiter);
            String o = outcome.get();
            assertTrue("signalled, interrupt kept".equals(o) || "interrupted".equals(o), "round " + round + ": " + o);
            assertFalse(lock.isLocked(), "round " + round);
        }
    }

    @Test
    void eventSetClearStormWakesEveryWaiter() {
        Event event = new Event();
        Event stop = new Event();
        AtomicInteger wakeUps = new AtomicInteger();
        Thread storm = Threading.thread(() -> {
            while (!stop.isSet()) {
                event.set();
                event.clear();
                java.lang.Thread.yield();
            }
        });
        try {
            endAll(startAll("event-waiter", 4, i -> {
                for (int r = 0; r < 2_000; r++) {
                    assertTrue(event.await(PROGRESS_MS), "a set during the wait was missed");
                    wakeUps.incrementAndGet();
                }
            }));
        } finally {
            stop.set();
            Await.ended(storm);
        }
        assertEquals(4 * 2_000, wakeUps.get());
    }

    @Test
    void orderedLockingNeverDeadlocks() {
        int n = 5;
        Lock[] forks = new Lock[n];
        for (int i = 0; i < n; i++) forks[i] = new Lock();
        AtomicInteger meals = new AtomicInteger();
        endAll(startAll("philosopher", n, i -> {
            Lock first = forks[Math.min(i, (i + 1) % n)];
            Lock second = forks[Math.max(i, (i + 1) % n)];
            for (int r = 0; r < 1_000; r++) {
                assertTrue(first.acquire(PROGRESS_MS), "deadlock on the first fork");
                assertTrue(second.acquire(PROGRESS_MS), "deadlock on the second fork");
                meals.incrementAndGet();
                second.release();
                first.release();
            }
        }));
        assertEquals(n * 1_000, meals.get());
        for (Lock f : forks) assertFalse(f.isLocked());
    }

    @Test
    void timedLockingBacksOffInsteadOfDeadlocking() {
        Lock a = new Lock();
        Lock b = new Lock();
        AtomicInteger done = new AtomicInteger();
        endAll(startAll("backoff", 2, i -> {
            Lock first = i == 0 ? a : b; // opposite orders: would deadlock without timeouts
            Lock second = i == 0 ? b : a;
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int r = 0; r < 500; r++) {
                long deadlineNanos = System.nanoTime() + PROGRESS_MS * 1_000_000L;
                for (;;) {
                    assertTrue(first.acquire(PROGRESS_MS));
                    if (second.acquire(rnd.nextInt(2))) break;
                    first.release();
                    assertTrue(System.nanoTime() - deadlineNanos < 0, "livelock");
                    java.lang.Thread.yield();
                }
                done.incrementAndGet();
                second.release();
                first.release();
            }
        }));
        assertEquals(1_000, done.get());
        assertFalse(a.isLocked());
        assertFalse(b.isLocked());
    }
}
