package io.pirt.threading;

import static io.pirt.threading.Thread.PRIO_HIGH;
import static io.pirt.threading.Thread.PRIO_HIGHEST;
import static io.pirt.threading.Thread.PRIO_LOWEST;
import static io.pirt.threading.Thread.PRIO_NORMAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** io.pirt.threading.Thread: names, idents, life cycle, exceptions, start errors, interrupt, status, priorities, current(). */
@Timeout(20)
@Isolated // one test swaps System.err
class ThreadTest {
    private static final Pattern DEFAULT_NAME = Pattern.compile("Thread-(\\d+)");

    /** A started thread that runs until {@code finish} is set. */
    private static Thread runningUntil(Event finish) {
        Thread t = new Thread(finish::await);
        t.start();
        return t;
    }

    // ---- names

    @Test
    void defaultNamesAreThreadNWithDistinctIncreasingN() {
        int previous = -1;
        for (Thread t : List.of(new Thread(), new Thread(() -> { }), new Thread(null, null))) {
            Matcher m = DEFAULT_NAME.matcher(t.getName());
            assertTrue(m.matches(), "default name " + t.getName());
            int n = Integer.parseInt(m.group(1));
            assertTrue(n > previous, "N must increase: " + n + " after " + previous);
            previous = n;
        }
    }

    @Test
    void nameComesFromConstructorAndSetNameRenamesTheCarrierToo() {
        Thread t = new Thread(null, "sensor-reader");
        assertEquals("sensor-reader", t.getName());
        t.setName("renamed-before-start");
        assertEquals("renamed-before-start", t.getName());

        Event finish = new Event();
        Thread running = new Thread(finish::await, "first");
        running.start();
        assertEquals("first", running.carrier().getName(), "the carrier carries the name");
        running.setName("second");
        assertEquals("second", running.getName());
        assertEquals("second", running.carrier().getName(), "stack dumps must agree with getName()");
        finish.set();
        Await.ended(running);
    }

    @Test
    void threadSeesItsOwnNameAsGivenToItsConstructor() {
        AtomicReference<String> seen = new AtomicReference<>();
        Thread t = new Thread(() -> seen.set(Thread.current().getName()), "named-inside");
        t.start();
        Await.ended(t);
        assertEquals("named-inside", seen.get());
    }

    // ---- ident

    @Test
    void identIsNullBeforeStartAndNonNegativeAsSoonAsStartReturns() {
        Event finish = new Event();
        Thread t = new Thread(finish::await);
        assertNull(t.getIdent());
        t.start();
        Integer ident = t.getIdent();
        assertNotNull(ident, "ident must be known when start() returns");
        assertTrue(ident >= 0);
        finish.set();
        Await.ended(t);
    }

    @Test
    void identIsKeptAfterTheThreadEnds() {
        Thread t = new Thread(() -> { });
        t.start();
        Integer ident = t.getIdent();
        Await.ended(t);
        assertEquals(ident, t.getIdent());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void identIsTheLinuxThreadIdOfTheRunningThread() {
        AtomicInteger tidSeenInside = new AtomicInteger(-1);
        Thread t = new Thread(() -> tidSeenInside.set(linuxTidOfCallingThread()));
        t.start();
        Integer ident = t.getIdent();
        Await.ended(t);
        assertEquals(tidSeenInside.get(), ident.intValue());
        assertNotEquals(linuxTidOfCallingThread(), ident.intValue());
    }

    @Test
    void concurrentlyAliveThreadsHaveDistinctIdents() {
        Event finish = new Event();
        Thread a = runningUntil(finish);
        Thread b = runningUntil(finish);
        assertNotEquals(a.getIdent(), b.getIdent());
        finish.set();
        Await.ended(a, b);
    }

    /** The last component of the /proc/thread-self link, "PID/task/TID". */
    static int linuxTidOfCallingThread() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            return Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/thread-self", e);
        }
    }

    // ---- exceptions

    @Test
    void getExcHoldsTheRuntimeExceptionRunThrew() {
        IllegalStateException thrown = new IllegalStateException("sensor unplugged");
        Thread t = quietly(() -> {
            throw thrown;
        }, "throws-runtime");
        assertSame(thrown, t.getExc());
        assertFalse(t.isAlive());
    }

    @Test
    void getExcHoldsTheErrorRunThrew() {
        Error thrown = new Error("fatal");
        Thread t = quietly(() -> {
            throw thrown;
        }, "throws-error");
        assertSame(thrown, t.getExc());
    }

    @Test
    void getExcIsNullBeforeStartAndAfterANormalRun() {
        Thread t = new Thread(() -> { });
        assertNull(t.getExc());
        t.start();
        Await.ended(t);
        assertNull(t.getExc());
    }

    @Test
    void threadUnwoundByAnInterruptIsReportedInOneLineWithoutAStackTrace() {
        String name = "unwound-" + System.nanoTime();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Event never = new Event();
            Thread t = new Thread(never::await, name);
            t.start();
            Await.parked(t, never);
            t.interrupt();
            t.join(Await.BOUND_MS);
            assertFalse(t.isAlive());
            assertTrue(t.getExc() instanceof ThreadInterruptedException, "getExc keeps it: " + t.getExc());
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        List<String> lines = text.lines().filter(l -> l.contains(name)).toList();
        assertEquals(List.of("Thread \"" + name + "\" stopped: interrupted while waiting"), lines, text);
        assertFalse(text.contains("at io.pirt.threading.Event.await"), "no stack trace:\n" + text);
    }

    @Test
    void uncaughtExceptionIsReportedOnceOnStderrWithTheThreadName() {
        String name = "reporter-" + System.nanoTime();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Thread t = new Thread(() -> {
                throw new IllegalArgumentException("bad reading 42");
            }, name);
            t.start();
            t.join(Await.BOUND_MS);
            assertFalse(t.isAlive());
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        // Only lines about this thread count: threads of other tests may print meanwhile.
        long headers = text.lines().filter(l -> l.contains("\"" + name + "\"")).count();
        assertEquals(1, headers, "reported exactly once, with the name:\n" + text);
        assertTrue(text.contains("IllegalArgumentException: bad reading 42"), text);
    }

    /** Runs {@code body} as a thread named {@code name} with stderr swallowed; returns it ended. */
    private static Thread quietly(Runnable body, String name) {
        PrintStream original = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            Thread t = new Thread(body, name);
            t.start();
            t.join(Await.BOUND_MS);
            assertFalse(t.isAlive());
            return t;
        } finally {
            System.setErr(original);
        }
    }

    // ---- life cycle

    @Test
    void isAliveFromStartUntilRunEnds() {
        Event finish = new Event();
        Thread t = new Thread(finish::await);
        assertFalse(t.isAlive(), "not alive before start");
        t.start();
        assertTrue(t.isAlive(), "alive as soon as start() returns");
        finish.set();
        t.join(Await.BOUND_MS);
        assertFalse(t.isAlive(), "not alive after join");
    }

    @Test
    void isAliveInsideRun() {
        AtomicReference<Boolean> aliveInside = new AtomicReference<>();
        Thread t = new Thread() {
            @Override
            public void run() {
                aliveInside.set(isAlive());
            }
        };
        t.start();
        Await.ended(t);
        assertEquals(Boolean.TRUE, aliveInside.get());
    }

    @Test
    void timedJoinOnRunningThreadReturnsWithItStillAlive() {
        Event finish = new Event();
        Thread t = runningUntil(finish);
        t.join(20);
        assertTrue(t.isAlive(), "join timed out, so the thread is still alive");
        t.join(0);
        assertTrue(t.isAlive());
        finish.set();
        Await.ended(t);
    }

    @Test
    void threadCanBeJoinedManyTimes() {
        Thread t = new Thread(() -> { });
        t.start();
        for (int i = 0; i < 3; i++) {
            t.join();
            t.join(0);
            t.join(10);
            assertFalse(t.isAlive());
        }
    }

    @Test
    void severalThreadsCanJoinTheSameThread() {
        Event finish = new Event();
        Thread target = runningUntil(finish);
        List<Thread> joiners = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread j = Threading.thread(target::join);
            Await.parked(j.carrier(), b -> b instanceof Event);
            joiners.add(j);
        }
        finish.set();
        Await.ended(joiners.toArray(new Thread[0]));
        assertFalse(target.isAlive());
    }

    @Test
    void joinOnNotStartedThreadThrows() {
        Thread t = new Thread(() -> { }, "never-started");
        IllegalStateException e = assertThrows(IllegalStateException.class, t::join);
        assertTrue(e.getMessage().contains("never-started"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> t.join(10));
    }

    @Test
    void selfJoinThrows() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Thread.current().join(100);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        Await.ended(t);
        assertTrue(thrown.get() instanceof IllegalStateException, "self-join gave " + thrown.get());
    }

    @Test
    void subclassOverridingRunIsWhatRuns() {
        AtomicReference<Thread> ranAs = new AtomicReference<>();
        Thread t = new Thread() {
            @Override
            public void run() {
                ranAs.set(Thread.current());
            }
        };
        t.start();
        Await.ended(t);
        assertSame(t, ranAs.get());
    }

    @Test
    void threadWithoutTargetRunsNothingAndEndsNormally() {
        Thread t = new Thread();
        t.start();
        Await.ended(t);
        assertNull(t.getExc());
    }

    @Test
    void runRunsTheTargetOnce() {
        AtomicInteger runs = new AtomicInteger();
        Thread t = new Thread(runs::incrementAndGet);
        t.start();
        Await.ended(t);
        assertEquals(1, runs.get());
    }

    // ---- start errors

    @Test
    void startingARunningThreadAgainThrows() {
        Event finish = new Event();
        Thread t = runningUntil(finish);
        assertThrows(IllegalStateException.class, t::start);
        assertThrows(IllegalStateException.class, () -> t.start(PRIO_HIGH));
        assertThrows(IllegalStateException.class, () -> t.start(PRIO_HIGH, 0));
        finish.set();
        Await.ended(t);
    }

    @Test
    void startingAFinishedThreadAgainThrowsAndRunsNothing() {
        AtomicInteger runs = new AtomicInteger();
        Thread t = new Thread(runs::incrementAndGet);
        t.start();
        Await.ended(t);
        Integer ident = t.getIdent();
        assertThrows(IllegalStateException.class, t::start);
        assertThrows(IllegalStateException.class, () -> t.start(PRIO_LOWEST, 0));
        assertFalse(t.isAlive());
        assertEquals(1, runs.get());
        assertEquals(ident, t.getIdent());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 8, -1, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void startWithPriorityOutOfRangeThrowsAndDoesNotStart(int prio) {
        AtomicInteger runs = new AtomicInteger();
        Thread t = new Thread(runs::incrementAndGet);
        assertThrows(IllegalArgumentException.class, () -> t.start(prio));
        assertThrows(IllegalArgumentException.class, () -> t.start(prio, 0));
        assertThrows(IllegalArgumentException.class, () -> t.start(prio, 64 * 1024));
        assertFalse(t.isAlive());
        assertNull(t.getIdent());
        assertNull(t.carrier(), "no java thread was made");
        assertEquals(PRIO_NORMAL, t.getPriority());
        t.start(); // not started before, so it can start now, exactly once
        Await.ended(t);
        assertEquals(1, runs.get());
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 0, -1, 1024 * 1024})
    void startWithStackSizeRunsTheThread(int sizeBytes) {
        AtomicInteger runs = new AtomicInteger();
        Thread t = new Thread(runs::incrementAndGet);
        t.start(PRIO_NORMAL, sizeBytes);
        Await.ended(t);
        assertEquals(1, runs.get());
    }

    @Test
    void startFromAFailedStartLeavesTheThreadStartableAndNotJoinable() throws Exception {
        // Scheduling is decided once per JVM, at the first start(): a child JVM with a bad setting
        // makes start() fail inside, after the priority check.
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dpirt.scheduling=bogus", "-cp", System.getProperty("java.class.path"), FailingStart.class.getName());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out;
        try (var in = p.getInputStream()) {
            assertTrue(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "child JVM hung");
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
        assertTrue(out.contains("first start: IllegalArgumentException"), out);
        assertTrue(out.contains("second start: IllegalArgumentException"), "a start that failed did not start the thread:\n" + out);
        assertTrue(out.contains("join: IllegalStateException"), "join of a thread that never ran must not wait for it:\n" + out);
    }

    /** Run in a JVM of its own by the test above. */
    static final class FailingStart {
        public static void main(String[] args) throws InterruptedException {
            Thread t = new Thread(() -> { }, "fails-to-start");
            System.out.println("first start: " + outcome(t::start));
            System.out.println("second start: " + outcome(t::start));
            java.lang.Thread joiner = new java.lang.Thread(() -> System.out.println("join: " + outcome(t::join)), "joiner");
            joiner.setDaemon(true);
            joiner.start();
            joiner.join(2_000);
            if (joiner.isAlive()) System.out.println("join: still waiting after 2 s for a thread that never ran");
            System.exit(0);
        }

        private static String outcome(Runnable call) {
            try {
                call.run();
                return "returned";
            } catch (RuntimeException e) {
                return e.getClass().getSimpleName();
            }
        }
    }

    @Test
        void startFromAnInterruptedThreadStartsItAndReturnsWithItsIdent() {
        AtomicReference<Object> startOutcome = new AtomicReference<>();
        AtomicReference<Boolean> interruptKept = new AtomicReference<>();
        AtomicInteger runs = new AtomicInteger();
        Thread child = new Thread(runs::incrementAndGet, "child");
        Thread parent = Threading.thread(() -> {
            java.lang.Thread.currentThread().interrupt(); // the runtime is stopping the application
            try {
                child.start();
                startOutcome.set(child.getIdent());
            } catch (RuntimeException e) {
                startOutcome.set(e);
            }
            interruptKept.set(java.lang.Thread.interrupted());
        });
        Await.ended(parent);
        Await.ended(child);
        assertEquals(1, runs.get(), "the child ran");
        assertTrue(startOutcome.get() instanceof Integer, "start() of a thread that did start must return, with its ident known; got "
                + startOutcome.get());
        assertEquals(Boolean.TRUE, interruptKept.get());
    }

    // ---- interrupt and status

    @Test
    void interruptMakesTheCurrentBlockingCallThrow() {
        Event never = new Event();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean statusKept = new AtomicBoolean();
        Thread t = Threading.thread(() -> {
            try {
                never.await();
            } catch (ThreadInterruptedException e) {
                thrown.set(e);
                statusKept.set(java.lang.Thread.currentThread().isInterrupted());
            }
        });
        Await.parked(t, never);
        t.interrupt();
        Await.ended(t);
        assertTrue(thrown.get() instanceof ThreadInterruptedException);
        assertTrue(statusKept.get());
    }

    @Test
    void interruptBeforeStartOrAfterEndDoesNothing() {
        AtomicBoolean interruptedAtStart = new AtomicBoolean(true);
        Thread t = new Thread(() -> interruptedAtStart.set(java.lang.Thread.currentThread().isInterrupted()));
        t.interrupt();
        t.start();
        Await.ended(t);
        assertFalse(interruptedAtStart.get(), "an interrupt before start() is not kept for later");
        t.interrupt(); // ended: nothing to interrupt, nothing thrown
        assertFalse(t.isAlive());
    }

    @Test
    void statusFollowsTheLifeCycle() {
        Event first = new Event();
        Event second = new Event();
        Object monitor = new Object();
        CountDownLatch spinning = new CountDownLatch(1);
        AtomicBoolean stopSpinning = new AtomicBoolean();
        Thread t = new Thread(() -> {
            first.await();
            second.await(60_000);
            synchronized (monitor) {
                spinning.countDown();
            }
            while (!stopSpinning.get()) java.lang.Thread.onSpinWait();
        }, "status");
        assertEquals("new", t.getStatus());
        t.start();
        Await.parked(t, first);
        assertEquals("waiting", t.getStatus());
        first.set();
        Await.parked(t, second);
        assertEquals("waiting (timed)", t.getStatus());
        synchronized (monitor) {
            second.set();
            Await.blockedOnMonitor(t.carrier());
            assertEquals("blocked", t.getStatus());
        }
        Await.done(spinning, "leaving the monitor");
        assertEquals("running", t.getStatus());
        stopSpinning.set(true);
        Await.ended(t);
        assertEquals("ended", t.getStatus());
    }

    // ---- priorities

    @Test
    void priorityConstantsAreOneToSeven() {
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), List.of(Thread.PRIO_LOWEST, Thread.PRIO_LOWER, Thread.PRIO_LOW,
                Thread.PRIO_NORMAL, Thread.PRIO_HIGH, Thread.PRIO_HIGHER, Thread.PRIO_HIGHEST));
    }

    @Test
    void priorityIsNormalBeforeStartAndAsGivenAfter() {
        Event finish = new Event();
        List<Thread> threads = new ArrayList<>();
        for (int prio = PRIO_LOWEST; prio <= PRIO_HIGHEST; prio++) {
            Thread t = new Thread(finish::await);
            assertEquals(PRIO_NORMAL, t.getPriority());
            assertEquals(PRIO_NORMAL, t.getEffectivePriority());
            t.start(prio);
            assertEquals(prio, t.getPriority());
            assertEquals(prio, t.getEffectivePriority(), "nothing to inherit");
            threads.add(t);
        }
        Thread plain = runningUntil(finish);
        assertEquals(PRIO_NORMAL, plain.getPriority(), "start() means PRIO_NORMAL");
        threads.add(plain);
        finish.set();
        Await.ended(threads.toArray(new Thread[0]));
    }

    @Test
    void threadSeesItsOwnPriority() {
        AtomicInteger seen = new AtomicInteger();
        Thread t = new Thread(() -> seen.set(Thread.current().getPriority()));
        t.start(PRIO_HIGH);
        Await.ended(t);
        assertEquals(PRIO_HIGH, seen.get());
    }

    // ---- current()

    @Test
    void currentInsideAStartedThreadIsThatThread() {
        AtomicReference<Thread> seen = new AtomicReference<>();
        Thread t = new Thread(() -> seen.set(Thread.current()));
        t.start();
        Await.ended(t);
        assertSame(t, seen.get());
    }

    @Test
    void currentInAForeignJavaThreadIsAStableAdoptedThreadNamedLikeIt() {
        AtomicReference<Thread> first = new AtomicReference<>();
        AtomicReference<Thread> second = new AtomicReference<>();
        AtomicReference<Boolean> alive = new AtomicReference<>();
        AtomicInteger tid = new AtomicInteger(-1);
        AtomicReference<Throwable> startError = new AtomicReference<>();
        AtomicReference<Throwable> joinError = new AtomicReference<>();
        java.lang.Thread foreign = new java.lang.Thread(() -> {
            first.set(Thread.current());
            second.set(Thread.current());
            alive.set(Thread.current().isAlive());
            if (Files.isSymbolicLink(Path.of("/proc/thread-self"))) tid.set(linuxTidOfCallingThread());
            startError.set(assertThrows(Throwable.class, () -> Thread.current().start()));
            joinError.set(assertThrows(Throwable.class, () -> Thread.current().join(10)));
        }, "foreign-sampler");
        foreign.start();
        Await.ended(foreign);

        Thread adopted = first.get();
        assertNotNull(adopted);
        assertSame(adopted, second.get(), "the same Thread on every call");
        assertEquals("foreign-sampler", adopted.getName());
        assertEquals(Boolean.TRUE, alive.get());
        assertEquals(PRIO_NORMAL, adopted.getPriority());
        assertNotNull(adopted.getIdent());
        if (tid.get() >= 0) assertEquals(tid.get(), adopted.getIdent().intValue());
        assertTrue(startError.get() instanceof IllegalStateException, "start() on an adopted thread gave " + startError.get());
        assertTrue(joinError.get() instanceof IllegalStateException, "join() on itself gave " + joinError.get());
        assertFalse(adopted.isAlive(), "the foreign thread has ended");
    }

    @Test
    void differentForeignThreadsAreAdoptedAsDifferentThreads() {
        AtomicReference<Thread> a = new AtomicReference<>();
        AtomicReference<Thread> b = new AtomicReference<>();
        java.lang.Thread ja = new java.lang.Thread(() -> a.set(Thread.current()), "foreign-a");
        java.lang.Thread jb = new java.lang.Thread(() -> b.set(Thread.current()), "foreign-b");
        ja.start();
        jb.start();
        Await.ended(ja);
        Await.ended(jb);
        assertNotSame(a.get(), b.get());
        assertSame(Thread.current(), Thread.current(), "the test thread too is adopted once");
    }
}
