package io.pirt.threading;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Periodic} on {@code clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)}: used in FIFO
 * and NICE modes, wakes at or after each deadline of {@link System#nanoTime()}'s clock,
 * allocates nothing per period, and sees an interrupt within its sleep slice. Runs in a JVM
 * of its own (surefire execution "realtime-periodic"), where the mode is decided from the
 * defaults; skipped where JNA cannot bind the call.
 */
@Tag("realtime")
@Timeout(30)
class PeriodicNativeTest {
    @BeforeAll
    static void linuxWithTheCall() {
        assumeTrue(MonotonicSleep.reasonNotUsable() == null, "no clock_nanosleep here: " + MonotonicSleep.reasonNotUsable());
        assumeTrue(Threading.schedulingMode() != SchedulingMode.NONE, "scheduling mode NONE: " + Threading.schedulingDescription());
    }

    @Test
    void sleepsOnTheMonotonicClockToEachDeadlineAndNeverWakesBeforeIt() {
        Periodic every = Periodic.everyMicros(1_000);
        assertTrue(every.sleepsAbsolute(), "FIFO/NICE mode must sleep with clock_nanosleep");
        for (int i = 0; i < 200; i++) {
            long deadline = every.nextDeadlineNanos();
            long late = every.waitNext();
            assertTrue(late >= 0, "lateness " + late);
            assertTrue(System.nanoTime() >= deadline, "woke before the deadline: the clocks differ");
        }
    }

    @Test
    void aPeriodAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM does not count allocated bytes per thread");
        Periodic every = Periodic.everyMicros(50);
        for (int i = 0; i < 5_000; i++) every.waitNext(); // warm: the JIT compiles the loop
        threads.getCurrentThreadAllocatedBytes(); // its first call allocates
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < PERIODS; i++) every.waitNext();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // The smallest object is 16 bytes: one per period would be 160,000 bytes. The JVM may
        // allocate on this thread once in a while (a deoptimisation, the bean's bookkeeping:
        // up to 1 KiB was seen), never per period.
        assertTrue(allocated < 8_192, allocated + " bytes allocated by " + PERIODS + " periods");
    }

    private static final int PERIODS = 10_000;

    @Test
    void anInterruptIsSeenWithinTheSleepSlice() throws Exception {
        PeriodicTest.interruptEndsASleepingWaitNext();
    }
}
