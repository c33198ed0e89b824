package io.pirt.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The schedule of {@link Periodic}: absolute deadlines one period apart, lateness never
 * negative, overruns counted with no catch-up burst, interruption. Runs in the default test
 * JVM (scheduling mode NONE: the JVM's park); {@link PeriodicNativeTest} runs the same
 * schedule on clock_nanosleep.
 */
@Timeout(30)
class PeriodicTest {
    @Test
    void deadlinesAreOnePeriodApartWhateverEachWakeUpsLatenessAndLatenessIsNeverNegative() {
        Periodic every = Periodic.everyMicros(2_000);
        long first = every.nextDeadlineNanos();
        for (int i = 0; i < 50; i++) {
            long deadline = every.nextDeadlineNanos();
            long late = every.waitNext();
            long woke = System.nanoTime();
            assertTrue(late >= 0, "lateness " + late + " ns is negative");
            assertTrue(woke - deadline >= late, "returned before the deadline plus its lateness");
            if (every.overruns() == 0) assertEquals(first + (i + 1) * 2_000_000L, every.nextDeadlineNanos(), "drift at " + i);
        }
        assertEquals(2_000, every.periodMicros());
    }

    @Test
    void aBodyThatTakesThreePeriodsCountsThreeOverrunsAndTheScheduleSleepsToTheNextDeadlineInsteadOfBursting() {
        long period = TimeUnit.MILLISECONDS.toNanos(100);
        Periodic every = Periodic.everyMicros(100_000);
        every.waitNext();
        long due = every.nextDeadlineNanos();
        // The body overruns: it ends half a period after the third deadline it missed (due, due+P, due+2P).
        spinUntil(due + 2 * period + period / 2);
        long late = every.waitNext();
        long woke = System.nanoTime();
        assertEquals(3, every.overruns(), "deadlines missed while the body ran");
        assertTrue(woke >= due + 3 * period, "woke " + (due + 3 * period - woke) + " ns before the next deadline still ahead: a catch-up burst");
        assertTrue(late >= 0);
        assertEquals(due + 4 * period, every.nextDeadlineNanos(), "the schedule keeps its phase after skipping");
        every.waitNext(); // on time again: no more overruns
        assertEquals(3, every.overruns());
    }

    @Test
    void anInterruptBeforeOrDuringTheSleepThrowsAndStaysSet() throws Exception {
        Periodic every = Periodic.everyMicros(TimeUnit.SECONDS.toMicros(60));
        java.lang.Thread.currentThread().interrupt();
        assertThrows(ThreadInterruptedException.class, every::waitNext);
        assertTrue(java.lang.Thread.interrupted(), "the interrupt stays set (cleared here)");

        interruptEndsASleepingWaitNext();
    }

    /**
     * A thread sleeping in {@code waitNext()} of a 60 s schedule is interrupted: the call ends
     * within 5 s with ThreadInterruptedException, the interrupt still set. Shared with
     * {@link PeriodicNativeTest}, where the sleep is native and taken in slices.
     */
    static void interruptEndsASleepingWaitNext() throws InterruptedException {
        AtomicReference<Object> outcome = new AtomicReference<>();
        CountDownLatch sleeping = new CountDownLatch(1);
        java.lang.Thread t = new java.lang.Thread(() -> {
            Periodic slow = Periodic.everyMicros(TimeUnit.SECONDS.toMicros(60));
            sleeping.countDown();
            try {
                outcome.set(slow.waitNext());
            } catch (ThreadInterruptedException e) {
                outcome.set(java.lang.Thread.currentThread().isInterrupted() ? e : "interrupt cleared");
            }
        }, "periodic-sleeper");
        t.start();
        assertTrue(sleeping.await(5, TimeUnit.SECONDS));
        t.interrupt();
        t.join(5_000);
        assertFalse(t.isAlive(), "an interrupted waitNext() did not return within 5 s");
        assertTrue(outcome.get() instanceof ThreadInterruptedException, String.valueOf(outcome.get()));
    }

    @Test
    void theWaitingThreadsFiguresCountWakeUpsLatenessAndOverrunsAndStartAfreshOnReset() throws Exception {
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CountDownLatch measured = new CountDownLatch(1);
        Event more = new Event();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            waiter.set(Thread.current());
            Periodic every = Periodic.everyMicros(1_000);
            for (int i = 0; i < 20; i++) every.waitNext();
            spinUntil(every.nextDeadlineNanos() + 1_500_000); // one overrun or two: the body took 2.5 periods
            every.waitNext();
            measured.countDown();
            more.await(10_000);
            for (int i = 0; i < 5; i++) every.waitNext();
            done.countDown();
        }, "periodic-figures");
        assertTrue(Periodic.figuresOf(t).isEmpty(), "no schedule before it waits on one");
        t.start();
        assertTrue(measured.await(10, TimeUnit.SECONDS));
        PeriodicFigures f = Periodic.figuresOf(t).orElseThrow();
        assertEquals(1_000, f.periodMicros());
        assertEquals(21, f.wakeUps());
        assertTrue(f.overruns() >= 1, f.toString());
        assertTrue(f.p99LatenessNanos() >= 0 && f.maxLatenessNanos() >= f.p99LatenessNanos(), f.toString());
        Periodic.resetFigures();
        PeriodicFigures afresh = Periodic.figuresOf(t).orElseThrow();
        assertEquals(new PeriodicFigures(1_000, 0, 0, 0, 0), afresh);
        more.set();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        PeriodicFigures after = Periodic.figuresOf(t).orElseThrow();
        assertEquals(5, after.wakeUps(), after.toString());
        t.join(5_000);
    }

    @Test
    void periodsOutOfRangeAreRefusedWithTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Periodic.everyMicros(0));
        assertTrue(e.getMessage().contains("1 to"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Periodic.everyMicros(Periodic.MAX_PERIOD_MICROS + 1));
    }

    static void spinUntil(long nanoTime) {
        while (System.nanoTime() - nanoTime < 0) java.lang.Thread.onSpinWait();
    }
}
