package io.pirt.threading;

import static io.pirt.threading.Thread.PRIO_HIGHEST;
import static io.pirt.threading.Thread.PRIO_LOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Levels become SCHED_FIFO priorities from the configured table, and the kernel sees
 * priority-inheritance boosts come and go. Runs in a JVM of its own (surefire execution
 * "realtime"); skipped where the process may not use SCHED_FIFO.
 */
@Tag("realtime")
@Timeout(30)
class NativePriorityTest {
    private static final int[] TABLE = {11, 13, 17, 19, 23, 29, 31};

    @BeforeAll
    static void configure() {
        Threading.configureRealtime(new RealtimeConfig(null, TABLE, new int[0], false));
        assumeTrue(Threading.schedulingMode() == SchedulingMode.FIFO,
                "SCHED_FIFO is not permitted for this process: " + Threading.schedulingDescription());
    }

    @Test
    void everyLevelRunsAtItsTablePriority() {
        List<Thread> threads = new ArrayList<>();
        List<KernelView> seen = new ArrayList<>();
        for (int level = Thread.PRIO_LOWEST; level <= PRIO_HIGHEST; level++) {
            KernelView[] view = new KernelView[1];
            Thread t = new Thread(() -> view[0] = KernelView.of(Thread.current()), "level");
            t.start(level);
            t.join(5_000);
            assertTrue(!t.isAlive());
            assertEquals(null, t.getExc());
            threads.add(t);
            seen.add(view[0]);
        }
        for (int level = Thread.PRIO_LOWEST; level <= PRIO_HIGHEST; level++) {
            KernelView v = seen.get(level - 1);
            assertEquals(KernelView.SCHED_FIFO, v.policy(), "policy of level " + level);
            assertEquals(TABLE[level - 1], v.rtPriority(), "SCHED_FIFO priority of level " + level);
        }
    }

    /**
     * A real-time thread's children do not inherit its priority (SCHED_RESET_ON_FORK): a Java
     * thread and a process it creates start at SCHED_OTHER, nice 0; a pirt thread it starts
     * gets its own level's entry, set by itself.
     */
    @Test
    void whatARealtimeThreadCreatesStartsAtOrdinarySchedulingUnlessPirtGivesItALevel() throws Exception {
        int[] policyAsSet = new int[1];
        KernelView[] views = new KernelView[3]; // the parent, its Java thread, its pirt thread
        String[] processStat = new String[1];
        Thread parent = new Thread(() -> {
            policyAsSet[0] = LibC.get().sched_getscheduler(0);
            views[0] = KernelView.of(Thread.current());
            java.lang.Thread plain = new java.lang.Thread(() -> views[1] = KernelView.of(Idents.currentThreadIdent()), "plain");
            plain.start();
            Thread leveled = new Thread(() -> views[2] = KernelView.of(Thread.current()), "leveled");
            leveled.start(PRIO_LOW);
            try {
                plain.join(5_000);
                leveled.join(5_000);
                processStat[0] = processSchedulingOf(new ProcessBuilder("cat", "/proc/self/stat"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "parent");
        parent.start(PRIO_HIGHEST);
        parent.join(10_000);
        assertEquals(null, parent.getExc());
        assertEquals(LibC.SCHED_FIFO | LibC.SCHED_RESET_ON_FORK, policyAsSet[0], "sched_getscheduler shows the flag");
        assertEquals(new KernelView(KernelView.SCHED_FIFO, TABLE[PRIO_HIGHEST - 1], 0), views[0], "the parent (stat's policy has no flag)");
        assertEquals(new KernelView(KernelView.SCHED_OTHER, 0, 0), views[1], "a Java thread the parent started");
        assertEquals(new KernelView(KernelView.SCHED_FIFO, TABLE[PRIO_LOW - 1], 0), views[2], "a pirt thread the parent started at PRIO_LOW");
        assertEquals("policy=0 rtprio=0 nice=0", processStat[0], "a process the parent started");
    }

    /** "policy=P rtprio=R nice=N" of the process {@code pb} starts, which must print its own /proc/self/stat. */
    private static String processSchedulingOf(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String stat = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "cat did not end");
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return "policy=" + f[41 - 3] + " rtprio=" + f[40 - 3] + " nice=" + f[19 - 3];
    }

    @Test
    void realtimeThreadsWaitWithoutTimerSlack() {
        int prGetTimerslack = 30;
        long[] slackNanos = new long[1];
        Thread t = new Thread(() -> slackNanos[0] = LibC.get().prctl(prGetTimerslack, 0, 0, 0, 0), "slack");
        t.start(Thread.PRIO_HIGH);
        t.join(5_000);
        assertEquals(null, t.getExc());
        // 1: what pirt sets; 0: kernels since 6.7 give real-time tasks no slack at all. Never the default 50 us.
        assertTrue(slackNanos[0] <= 1, "timer slack " + slackNanos[0] + " ns: parkNanos deadlines would be rounded up");
    }

    @Test
    void kernelSeesTheBoostDuringInheritanceAndItsEndAfter() {
        Lock lock = new Lock();
        Event release = new Event();
        Event released = new Event();
        Event done = new Event();
        Thread low = new Thread(() -> {
            lock.acquire();
            release.await();
            lock.release();
            released.set();
            done.await();
        }, "low");
        low.start(PRIO_LOW);
        Parking.awaitParked(low);
        assertEquals(TABLE[PRIO_LOW - 1], KernelView.of(low).rtPriority());

        Thread top = new Thread(() -> {
            lock.acquire();
            lock.release();
        }, "top");
        top.start(PRIO_HIGHEST);
        Parking.awaitParked(top);
        assertEquals(new KernelView(KernelView.SCHED_FIFO, TABLE[PRIO_HIGHEST - 1], 0), KernelView.of(low), "boosted");

        release.set();
        assertTrue(released.await(5_000));
        assertEquals(new KernelView(KernelView.SCHED_FIFO, TABLE[PRIO_LOW - 1], 0), KernelView.of(low), "boost over");
        done.set();
        low.join(5_000);
        top.join(5_000);
        assertEquals(null, top.getExc());
    }

    @Test
    void adoptedThreadIsBoostedAndThenReturnsToOrdinaryScheduling() {
        Thread self = Thread.current(); // this JUnit thread: not started by pirt
        KernelView before = KernelView.of(self);
        assertEquals(KernelView.SCHED_OTHER, before.policy());
        Lock lock = new Lock();
        lock.acquire();
        Thread top = new Thread(() -> {
            lock.acquire();
            lock.release();
        }, "top");
        top.start(PRIO_HIGHEST);
        Parking.awaitParked(top);
        assertEquals(KernelView.SCHED_FIFO, KernelView.of(self).policy());
        assertEquals(TABLE[PRIO_HIGHEST - 1], KernelView.of(self).rtPriority());
        lock.release();
        assertEquals(new KernelView(KernelView.SCHED_OTHER, 0, 0), KernelView.of(self));
        top.join(5_000);
    }
}
