package io.pirt.runtime.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.runtime.log.ConsoleLog;
import io.pirt.threading.SchedulingMode;
import io.pirt.threading.Thread;
import io.pirt.threading.Threading;
import java.io.File;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The application runs in a child JVM; whatever it does, the supervisor sees it and says so. */
@Timeout(60)
class AppSupervisorTest {
    @TempDir
    Path state;
    private ConsoleLog log;
    private AppSupervisor supervisor;
    private final BlockingQueue<String> events = new ArrayBlockingQueue<>(20);

    /** Everything on the test class path but this module's own classes is what an application links against. */
    static List<Path> pirtLibraries() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("runtime" + File.separator + "target")).map(Path::of).toList();
    }

    static AppSpec testApp(String mode) {
        return new AppSpec("test-app-" + mode, List.of(Path.of("target/test-classes")), TestApp.class.getName(), List.of(mode),
                List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), Map.of("pirt.scheduling", "none", "pirt.board", "virtual"));
    }

    @BeforeEach
    void start() throws IOException {
        log = new ConsoleLog(state.resolve("log"), 100);
        supervisor = new AppSupervisor(state.resolve("run"), log, pirtLibraries(), new AppEvents() {
            @Override
            public void started(AppSpec app) {
                events.add("started");
            }

            @Override
            public void healthy(AppSpec app) {
                events.add("healthy");
            }

            @Override
            public void event(AppSpec app, String json) {
                events.add("event " + json);
            }

            @Override
            public void hostAction(AppSpec app, String idAndAction) {
                events.add("ask-host " + idAndAction);
            }

            @Override
            public void ended(AppSpec app, AppState end, String detail) {
                events.add(end + ": " + detail);
            }
        }, 20_000, 1_000, 1_000);
    }

    @AfterEach
    void stop() {
        supervisor.close();
        log.close();
    }

    private String next() throws InterruptedException {
        String e = events.poll(30, TimeUnit.SECONDS);
        assertTrue(e != null, "no event from the supervisor within 30 s; log: " + log.recent(30));
        return e;
    }

    /**
     * Waits (at most 30 s) until the log has {@code line}. The log offers no event to wait on,
     * so this looks every 5 ms: a test-side bound, not a synchronisation the code relies on.
     */
    private void awaitLogged(String line) {
        awaitLine(line::equals, "'" + line + "'");
    }

    /** Waits (at most 30 s, looking every 5 ms as above) for a logged line that {@code matches}; returns it. */
    private String awaitLine(java.util.function.Predicate<String> matches, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (;;) {
            java.util.Optional<String> line = log.recent(500).stream().filter(matches).findFirst();
            if (line.isPresent()) return line.get();
            assertTrue(System.nanoTime() < deadline, "no " + what + " within 30 s; log: " + log.recent(20));
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }

    private boolean logged(String line) {
        return log.recent(500).contains(line);
    }

    @Test
    void exitingApplicationIsReportedExitedAfterItsOutput() throws Exception {
        supervisor.start(testApp("exit"));
        assertEquals("started", next());
        assertEquals("EXITED: exited (status 0)", next());
        List<String> lines = log.recent(500);
        assertTrue(lines.indexOf("[app] bye") >= 0 && lines.indexOf("[app] bye") < lines.indexOf("[pirt] application test-app-exit exited (status 0)"), lines.toString());
        assertEquals(AppState.EXITED, supervisor.state());
    }

    /**
     * One application start for two things the runtime hands its JVM: where native libraries load
     * from, and an SLF4J provider at warn (Pi4J's logging: its warnings reach the console, its
     * chatter and SLF4J's "no providers" lines do not).
     */
    @Test
    void applicationJvmLoadsNativeLibrariesFromWhereTheRuntimeDoesAndLogsThroughSlf4jAtWarn() throws Exception {
        String before = System.getProperty("jSerialComm.library.path");
        System.setProperty("jSerialComm.library.path", "/usr/lib/pirt/native/jSerialComm");
        try {
            supervisor.start(testApp("native-properties"));
            assertEquals("started", next());
            assertEquals("EXITED: exited (status 0)", next());
        } finally {
            if (before == null) System.clearProperty("jSerialComm.library.path");
            else System.setProperty("jSerialComm.library.path", before);
        }
        // Passed on as the runtime has it; a property the runtime has not set is not invented.
        assertTrue(logged("[app] jSerialComm.library.path=/usr/lib/pirt/native/jSerialComm jna.nounpack="
                + System.getProperty("jna.nounpack")), log.recent(20).toString());
        List<String> lines = log.recent(500);
        assertTrue(lines.contains("[app!] [main] WARN com.pi4j.test - a warning at warn"), lines.toString());
        assertFalse(lines.stream().anyMatch(l -> l.contains("chatter at info") || l.contains("SLF4J")), lines.toString());
    }

    @Test
    void exceptionOutOfMainIsACrashWithItsStackTraceOnTheConsole() throws Exception {
        supervisor.start(testApp("crash"));
        assertEquals("started", next());
        assertEquals("CRASHED: crashed (exit status 1)", next());
        assertTrue(log.recent(500).stream().anyMatch(l -> l.startsWith("[app!]") && l.contains("the application failed on purpose")));
    }

    @Test
    void systemExitIsACrashWithItsStatus() throws Exception {
        supervisor.start(testApp("sysexit"));
        assertEquals("started", next());
        assertEquals("CRASHED: crashed (exit status 7)", next());
    }

    @Test
    void applicationThatStopsKickingItsWatchdogIsKilledAsHung() throws Exception {
        supervisor.start(testApp("hang"));
        assertEquals("started", next());
        long t0 = System.nanoTime();
        String end = next();
        assertTrue(end.startsWith("HUNG: hung: no heartbeat for "), end);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
        assertTrue(log.recent(500).stream().anyMatch(l -> l.startsWith("[pirt] application test-app-hang hung: no heartbeat")));
    }

    @Test
    void stopInterruptsTheThreadsAndTheApplicationUnwindsBeforeTheGracePeriod() throws Exception {
        supervisor.start(testApp("run"));
        assertEquals("started", next());
        assertEquals("healthy", next());
        long t0 = System.nanoTime();
        supervisor.stop();
        assertEquals("STOPPED: stopped on request", next());
        assertTrue(logged("[app] interrupted, unwinding main"), log.recent(20).toString());
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(1_000), "it was killed, not unwound");
        assertTrue(!logged("[pirt] application test-app-run did not end within 1000 ms of its interrupt; killing it"));
    }

    /** The link is written by a thread of its own: a sender whose interrupt is set must not close it (the process would end). */
    @Test
    void aThreadWithItsInterruptSetReportsWithoutCuttingTheLink() throws Exception {
        supervisor.start(testApp("interrupted-healthy"));
        assertEquals("started", next());
        assertEquals("healthy", next());
        awaitLogged("[app] interrupt kept: true");
        assertTrue(supervisor.ask("ps", 2_000).startsWith("threads\t"), "the link still answers");
        assertEquals(AppState.RUNNING, supervisor.state());
    }

    @Test
    void psListsTheApplicationsThreadsWithPriorities() throws Exception {
        supervisor.start(testApp("threads"));
        assertEquals("started", next());
        awaitLogged("[app] threads started"); // the application links up first, then starts its threads
        String reply = supervisor.ask("ps", 2_000);
        assertTrue(reply.startsWith("threads\t"), reply);
        assertTrue(reply.contains("\tsensor-worker|"), reply);
        assertTrue(reply.matches(".*\tsensor-worker\\|\\d+\\|6\\|6\\|waiting.*"), reply);
        assertTrue(reply.matches(".*\tmain\\|\\d+\\|4\\|4\\|.*"), reply);
    }

    /**
     * Started as the runtime starts it, from one of its real-time threads: the application's JVM
     * starts at SCHED_OTHER (the starter's SCHED_RESET_ON_FORK), so only the thread it gives a
     * priority is real-time, not main, the JVM's housekeeping threads or Pi4J's.
     */
    @Test
    void theApplicationsThreadsRunAtTheTableItIsHandedAndNoOtherThreadIsRealtime() throws Exception {
        Assumptions.assumeTrue(Threading.schedulingMode() == SchedulingMode.FIFO,
                "SCHED_FIFO is not permitted here: " + Threading.schedulingDescription());
        // As BoardRuntime hands a board profile's table over (pirt.rt.*), with a table of its own so the defaults cannot pass.
        AppSpec app = new AppSpec("test-app-rtprio", List.of(Path.of("target/test-classes")), TestApp.class.getName(), List.of("rtprio"),
                List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), Map.of("pirt.board", "virtual",
                "pirt.rt.priorities", "11,13,17,19,23,29,31", "pirt.rt.cpus", "", "pirt.rt.dmaLatency", "off"));
        Thread starter = new Thread(() -> {
            try {
                supervisor.start(app);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "fifo-starter");
        starter.start(Thread.PRIO_HIGHER);
        starter.join(10_000);
        assertFalse(starter.isAlive(), "supervisor.start did not return within 10 s");
        assertEquals(null, starter.getExc());
        assertEquals("started", next());
        String seen = awaitLine(l -> l.startsWith("[app] kernel "), "line starting '[app] kernel '");
        Assumptions.assumeTrue(seen.startsWith("[app] kernel FIFO "), "SCHED_FIFO is not permitted in the application's JVM: " + seen);
        assertEquals("[app] kernel FIFO policy=1 rtprio=23 realtime threads [rt-probe]", seen,
                "PRIO_HIGH is the table's fifth entry; no other thread of the application is real-time");
    }

    @Test
    void psCarriesAPeriodicThreadsFiguresAndLatencyResetStartsThemAfresh() throws Exception {
        supervisor.start(testApp("periodic"));
        assertEquals("started", next());
        awaitLogged("[app] periodic running"); // 50 periods done
        String reply = supervisor.ask("ps", 2_000);
        // NAME|IDENT|PRIO|EFFECTIVE|STATE|PERIOD_US,WAKEUPS,P99_NS,MAX_NS,OVERRUNS; main has no schedule
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\tsampler\\|\\d+\\|5\\|5\\|[^|]+\\|1000,(\\d+),(\\d+),(\\d+),(\\d+)")
                .matcher(reply);
        assertTrue(m.find(), reply);
        assertTrue(Long.parseLong(m.group(1)) >= 50, "wake-ups " + m.group(1));
        assertTrue(Long.parseLong(m.group(3)) >= Long.parseLong(m.group(2)), "max >= p99: " + reply);
        assertTrue(reply.matches(".*\tmain\\|\\d+\\|4\\|4\\|[^|]+\\|(\t.*|$)"), "a thread without a schedule has an empty field: " + reply);
        assertEquals("latency reset", supervisor.ask("latency reset", 2_000));
        String afresh = supervisor.ask("ps", 2_000);
        m = java.util.regex.Pattern.compile("\tsampler\\|\\d+\\|5\\|5\\|[^|]+\\|1000,(\\d+),").matcher(afresh);
        assertTrue(m.find(), afresh);
        assertTrue(Long.parseLong(m.group(1)) < 50, "wake-ups counted afresh after the reset: " + afresh);
    }

    @Test
    void outputFloodNeverBlocksTheApplicationAndDropsAreCounted() throws Exception {
        supervisor.start(testApp("flood"));
        assertEquals("started", next());
        // Nobody reads the console queue (100 lines): the application must still get through all its output.
        awaitLogged("[app] flood done");
        String notice = log.takeForConsole(0);
        assertTrue(notice.matches("\\[pirt\\] \\d+ lines dropped .*"), notice);
        log.close(); // the file is written by the log's own thread: let it finish before reading the file
        String ring = Files.readString(state.resolve("log/console.log")) + (Files.exists(state.resolve("log/console.log.1"))
                ? Files.readString(state.resolve("log/console.log.1")) : "");
        assertTrue(ring.contains("[app] line 19999\n"), "the ring file keeps what the console dropped");
        assertFalse(ring.contains("lines not written to the log file"), "a healthy disk loses no line, however fast they come");
    }

    @Test
    void linesOfAMebibyteAreCutAndTheApplicationsLaterLinesStillArrive() throws Exception {
        supervisor.start(testApp("long-lines"));
        assertEquals("started", next());
        awaitLogged("[app] short after long");
        List<String> cut = log.recent(500).stream().filter(l -> l.startsWith("[app] long ")).toList();
        assertEquals(TestApp.LONG_LINES, cut.size(), "every long line is logged, cut");
        for (int i = 0; i < cut.size(); i++) {
            String printed = "long " + i + " " + "x".repeat(1 << 20);
            String kept = printed.substring(0, AppSupervisor.MAX_LINE_BYTES);
            assertEquals("[app] " + kept + " [pirt: " + (printed.length() - AppSupervisor.MAX_LINE_BYTES)
                    + " more bytes of this line dropped; the runtime keeps at most " + AppSupervisor.MAX_LINE_BYTES
                    + " bytes of a line]", cut.get(i));
        }
        assertEquals(AppState.RUNNING, supervisor.state());
    }

    /**
     * Only the process the runtime started may speak for the application: a connection from
     * another process (here the test's own JVM) that says hello and healthy before the
     * application links up is closed and logged, commits nothing, and the application still
     * links up; once it has, the socket is gone.
     */
    @Test
    void aSupervisionConnectionFromAnotherProcessIsRefusedAndTheApplicationStillLinksUp() throws Exception {
        supervisor.start(testApp("threads"));
        String detail = supervisor.detail();
        long appPid = Long.parseLong(detail.substring(detail.lastIndexOf("pid ") + 4, detail.length() - 1));
        Path socket;
        try (var sockets = Files.list(state.resolve("run"))) {
            socket = sockets.filter(p -> p.toString().endsWith(".sock")).findFirst().orElseThrow(); // bound before the JVM starts
        }
        try (SocketChannel foreign = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            try {
                foreign.write(ByteBuffer.wrap("hello 1\nhealthy\n".getBytes(StandardCharsets.UTF_8)));
            } catch (IOException refusedAlready) { // the runtime may close it before it says anything: refused, as it should be
                assertTrue(refusedAlready.getMessage().contains("Broken pipe"), refusedAlready.toString());
            }
            assertTrue(closedByPeerWithin(foreign, 10_000), "the runtime did not close the foreign connection within 10 s");
        }
        awaitLogged("[pirt] refused a supervision connection from pid " + ProcessHandle.current().pid()
                + " (not the application, pid " + appPid + ")");
        assertEquals("started", next(), "the application links up after the refusal");
        awaitLogged("[app] threads started");
        assertFalse(Files.exists(socket), "the socket is removed once the application is linked");
        assertThrows(IOException.class, () -> SocketChannel.open(UnixDomainSocketAddress.of(socket)).close());
        supervisor.stop();
        assertEquals("STOPPED: stopped on request", next(), "no healthy (or any other event) from the foreign process");
    }

    /** Whether the peer closes {@code ch} (a read sees end of stream) within {@code timeoutMs}; what it sends is read and dropped. */
    private static boolean closedByPeerWithin(SocketChannel ch, long timeoutMs) throws IOException {
        ch.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            ch.register(selector, SelectionKey.OP_READ);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            ByteBuffer sink = ByteBuffer.allocate(256);
            for (long left; (left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) > 0; ) {
                if (selector.select(left) == 0) continue;
                selector.selectedKeys().clear();
                sink.clear();
                try {
                    if (ch.read(sink) < 0) return true;
                } catch (IOException reset) { // closed with our lines unread: a reset, which is a close too
                    return reset.getMessage().contains("Connection reset");
                }
            }
            return false;
        }
    }
}
