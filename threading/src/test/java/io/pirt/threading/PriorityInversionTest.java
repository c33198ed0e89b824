package io.pirt.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The classic priority inversion on one CPU, which inheritance must defuse: a PRIO_LOW thread
 * holds a Lock for a short critical section (CPU work), a PRIO_HIGH thread spins on the same
 * CPU, a PRIO_HIGHEST thread waits for the Lock. Without inheritance PRIO_HIGH starves the
 * holder and PRIO_HIGHEST waits for the whole spin; with it, about one critical section.
 * A Semaphore used as a lock (no owner, no inheritance) is the control that shows the inversion
 * is real. Every spin is bounded in wall time, so a failure cannot wedge the machine.
 */
@Tag("realtime")
@Timeout(30)
class PriorityInversionTest {
    private static final long CRITICAL_SECTION_CPU_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long HIGH_SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(400);
    private static final long SPIN_BOUND_NANOS = TimeUnit.MILLISECONDS.toNanos(800);
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void pinRealtimeThreadsToOneCpu() {
        int cpu = Runtime.getRuntime().availableProcessors() - 1;
        Threading.configureRealtime(new RealtimeConfig(SchedulingMode.FIFO, RealtimeConfig.DEFAULT_FIFO_PRIORITIES, new int[] {cpu}, false));
        assumeTrue(Threading.schedulingMode() == SchedulingMode.FIFO,
                "SCHED_FIFO is not permitted for this process: " + Threading.schedulingDescription());
    }

    @Test
    void withInheritanceHighestWaitsAboutOneCriticalSection() {
        Lock lock = new Lock();
        Outcome o = invert(lock::acquire, lock::release);
        o.print("Lock (inheritance)");
        assertTrue(o.acquiredNanos < o.highEndNanos, "PRIO_HIGHEST must get the lock while PRIO_HIGH still spins");
        assertTrue(o.waitMs() < 100, "PRIO_HIGHEST waited " + o.waitMs() + " ms for a 20 ms critical section");
    }

    /** The control: a Semaphore used as a lock has no owner, hence no inheritance, and the inversion happens. */
    @Test
    void withoutInheritanceHighestWaitsForTheWholeSpin() {
        Semaphore binary = new Semaphore(1);
        Outcome o = invert(binary::acquire, binary::release);
        o.print("Semaphore (no inheritance)");
        assertTrue(o.acquiredNanos >= o.highEndNanos, "PRIO_HIGHEST got in before PRIO_HIGH's spin ended");
        assertTrue(o.waitMs() >= 100, "PRIO_HIGHEST waited only " + o.waitMs() + " ms");
    }

    private record Outcome(long waitNanos, long acquiredNanos, long highEndNanos) {
        double waitMs() {
            return waitNanos / 1e6;
        }

        void print(String what) {
            System.out.printf("priority inversion on one CPU with %s: critical section %d ms CPU, PRIO_HIGH spin %d ms, "
                    + "PRIO_HIGHEST waited %.2f ms, PRIO_HIGH spun on for %.2f ms after that%n", what,
                    TimeUnit.NANOSECONDS.toMillis(CRITICAL_SECTION_CPU_NANOS), TimeUnit.NANOSECONDS.toMillis(HIGH_SPIN_NANOS),
                    waitMs(), (highEndNanos - acquiredNanos) / 1e6);
        }
    }

    private static Outcome invert(Runnable acquire, Runnable release) {
        Event held = new Event();
        Event go = new Event();
        Event spinning = new Event();
        long[] highEnd = new long[1];
        long[] waitNanos = new long[1];
        long[] acquiredAt = new long[1];

        Thread low = new Thread(() -> {
            acquire.run();
            held.set();
            go.await(); // parked, so that PRIO_HIGH is spinning before the critical section starts
            long cpuStart = CPU.getCurrentThreadCpuTime();
            long bound = System.nanoTime() + SPIN_BOUND_NANOS;
            while (CPU.getCurrentThreadCpuTime() - cpuStart < CRITICAL_SECTION_CPU_NANOS && System.nanoTime() - bound < 0) {
                java.lang.Thread.onSpinWait();
            }
            release.run();
        }, "low");
        Thread high = new Thread(() -> {
            long end = System.nanoTime() + HIGH_SPIN_NANOS;
            spinning.set();
            while (System.nanoTime() - end < 0) {
                java.lang.Thread.onSpinWait();
            }
            highEnd[0] = System.nanoTime();
        }, "high");
        Thread highest = new Thread(() -> {
            long t0 = System.nanoTime();
            acquire.run();
            acquiredAt[0] = System.nanoTime();
            waitNanos[0] = acquiredAt[0] - t0;
            release.run();
        }, "highest");

        low.start(Thread.PRIO_LOW);
        assertTrue(held.await(5_000));
        high.start(Thread.PRIO_HIGH);
        assertTrue(spinning.await(5_000));
        go.set(); // "low" is runnable now, but PRIO_HIGH has its CPU
        highest.start(Thread.PRIO_HIGHEST);
        for (Thread t : new Thread[] {highest, high, low}) {
            t.join(5_000);
            assertTrue(!t.isAlive(), t.getName() + " did not finish");
            assertEquals(null, t.getExc());
        }
        return new Outcome(waitNanos[0], acquiredAt[0], highEnd[0]);
    }
}
