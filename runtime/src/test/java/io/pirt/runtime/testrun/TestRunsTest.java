package io.pirt.runtime.testrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.bundle.BundleManifest;
import io.pirt.bundle.BundleVerifier;
import io.pirt.bundle.BundleWriter;
import io.pirt.bundle.Target;
import io.pirt.bundle.TrustedKeys;
import io.pirt.bundle.VerifiedBundle;
import io.pirt.bundle.Version;
import io.pirt.runtime.log.ConsoleLog;
import io.pirt.runtime.supervisor.AppSpec;
import io.pirt.runtime.supervisor.AppState;
import io.pirt.runtime.endpoint.ProtocolEndpoint;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.Refusal;
import io.pirt.wire.message.TestEvent;
import io.pirt.wire.message.TestRunStarted;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One test run at a time: a second tool is refused with who holds the board, and its bundle waits beside the running one. */
@Timeout(30)
class TestRunsTest {
    /** These test bundles carry their jars: a reference to a cached library is a bug of the test. */
    private static final io.pirt.bundle.VerifiedBundle.LibrarySource NO_LIBRARIES = library -> {
        throw new java.io.IOException("no library cache in this test, yet the bundle references " + library);
    };

    @TempDir
    Path dir;
    /** The applications the runs started, in order; guarded by itself. */
    final List<AppSpec> started = new ArrayList<>();
    /** The lines the runs sent the application; guarded by itself. */
    final List<String> told = new ArrayList<>();
    ConsoleLog log;
    TestRuns runs;
    /** The attached tool, as the host's {@code sendEvent} reaches it; by default it takes every event. */
    volatile EventSink tool = (json, timeoutMs) -> true;

    interface EventSink {
        boolean send(String json, long timeoutMs) throws InterruptedException;
    }

    @BeforeEach
    void setUp() throws Exception {
        log = new ConsoleLog(Files.createDirectories(dir.resolve("log")), 1000);
        runs = new TestRuns(dir.resolve("tests"), new TestRuns.Host() {
            @Override
            public Optional<AppSpec> currentApp() {
                return Optional.empty();
            }

            @Override
            public boolean trialInProgress() {
                return false;
            }

            @Override
            public void startApp(AppSpec app) {
                synchronized (started) {
                    started.add(app);
                }
            }

            @Override
            public void stopApp() {
            }

            @Override
            public void tellApp(String line) {
                synchronized (told) {
                    told.add(line);
                }
            }

            @Override
            public boolean sendEvent(String json, long timeoutMs) throws InterruptedException {
                return tool.send(json, timeoutMs);
            }
        }, log, List.of(), List.of());
    }

    @AfterEach
    void tearDown() {
        runs.close();
        log.close();
    }

    private VerifiedBundle bundle(int n) throws Exception {
        Path jar = dir.resolve("tests-" + n + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new ZipEntry("t/T" + n + ".class"));
            j.write(new byte[] {(byte) n});
        }
        Path file = dir.resolve("tests-" + n + ".pirt");
        BundleWriter.writeUnsigned(file, new BundleManifest("tests", Version.parse("0.0." + n), "io.pirt.boardtest.BoardTestRunner",
                List.of("*"), Version.parse("0.1.0"), 4, BundleManifest.Kind.TEST), List.of(jar));
        return BundleVerifier.verify(file, TrustedKeys.load(Files.createDirectories(dir.resolve("keys"))),
                new Target("virtual", Version.parse("0.1.0"), true, Optional.empty(), false));
    }

    private static String sha(int n) {
        return String.format("%064x", n);
    }

    private AppSpec last() {
        synchronized (started) {
            return started.get(started.size() - 1);
        }
    }

    @Test
    void twoToolsStartingAtOnceGetOneRunAndTheOtherIsToldWhoHasTheBoard() throws Exception {
        ExecutorService tools = Executors.newFixedThreadPool(2);
        try {
            for (int i = 1; i <= 20; i++) {
                runs.accept(bundle(i), sha(i), NO_LIBRARIES);
                CyclicBarrier together = new CyclicBarrier(2);
                String argument = sha(i) + " 60000 --by ";
                List<Future<Object>> answers = new ArrayList<>();
                for (String tool : List.of("pirt@a:1", "pirt@b:2")) {
                    Callable<Object> start = () -> {
                        together.await(5, TimeUnit.SECONDS);
                        try {
                            return runs.start(argument + tool + " --tests tests.jar");
                        } catch (Refusal.RefusedException e) {
                            return e.refusal();
                        }
                    };
                    answers.add(tools.submit(start));
                }
                Object a = answers.get(0).get(5, TimeUnit.SECONDS);
                Object b = answers.get(1).get(5, TimeUnit.SECONDS);
                assertTrue(a instanceof TestRunStarted ^ b instanceof TestRunStarted, "exactly one run starts: " + a + ", " + b);
                TestRunStarted run = (TestRunStarted) (a instanceof TestRunStarted ? a : b);
                Refusal refused = (Refusal) (a instanceof Refusal ? a : b);
                String winner = a instanceof TestRunStarted ? "pirt@a:1" : "pirt@b:2";
                assertEquals(i, run.run());
                assertEquals(Refusal.NOT_NOW, refused.code(), refused.toString());
                assertTrue(refused.message().startsWith("test run " + i + " is in progress (started by " + winner + " at "),
                        refused.message());
                assertTrue(refused.message().contains("at the latest"), refused.message());
                assertEquals(List.of("--tests", "tests.jar"), last().args(), "--by is the runtime's, not the runner's");
                runs.ended(last(), AppState.EXITED, "exited (status 0)");
            }
        } finally {
            tools.shutdownNow();
        }
    }

    @Test
    void aBundleSentDuringARunWaitsBesideItAndRunsOnceTheFirstRunEnds() throws Exception {
        runs.accept(bundle(1), sha(1), NO_LIBRARIES);
        assertEquals(1, runs.start(sha(1) + " 60000 --by pirt@a:1 --tests tests.jar").run());
        AppSpec first = last();
        runs.accept(bundle(2), sha(2), NO_LIBRARIES); // a second tool's bundle: taken, not refused
        for (Path jar : first.classpath()) assertTrue(Files.exists(jar), "the running run's jars stay: " + jar);
        Refusal.RefusedException busy = assertThrows(Refusal.RefusedException.class,
                () -> runs.start(sha(2) + " 60000 --by pirt@b:2 --tests tests.jar"));
        assertEquals(Refusal.NOT_NOW, busy.refusal().code());
        assertTrue(busy.getMessage().contains("started by pirt@a:1"), busy.getMessage());

        runs.ended(first, AppState.EXITED, "exited (status 0)");
        assertEquals(2, runs.start(sha(2) + " 60000 --tests tests.jar").run(), "the second tool's run, once the first ended");
        assertTrue(last().classpath().stream().allMatch(Files::exists), last().classpath().toString());
    }

    @Test
    void theSameTestsSentAgainDuringTheirRunWaitForTheirOwnRun() throws Exception {
        runs.accept(bundle(1), sha(1), NO_LIBRARIES);
        runs.start(sha(1) + " 60000 --by pirt@a:1 --tests tests.jar");
        AppSpec first = last();
        runs.accept(bundle(1), sha(1), NO_LIBRARIES); // a CI job run again: the same bundle, byte for byte
        for (Path jar : first.classpath()) assertTrue(Files.exists(jar), "the running run's jars stay: " + jar);
        assertEquals(Refusal.NOT_NOW, assertThrows(Refusal.RefusedException.class,
                () -> runs.start(sha(1) + " 60000 --tests tests.jar")).refusal().code());
        runs.ended(first, AppState.EXITED, "exited (status 0)");
        assertEquals(2, runs.start(sha(1) + " 60000 --tests tests.jar").run());
        assertEquals(first.classpath(), last().classpath());
    }

    /** A tool like the endpoint: an event over its limit is refused with an exception, as ProtocolEndpoint.event does. */
    private EventSink endpointLike(BlockingQueue<String> received) {
        return (json, timeoutMs) -> {
            int bytes = json.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > ProtocolEndpoint.MAX_EVENT_BYTES) {
                throw new IllegalArgumentException("an event is at most " + ProtocolEndpoint.MAX_EVENT_BYTES + " bytes, not " + bytes);
            }
            received.add(json);
            return true;
        };
    }

    private AppSpec startRun() throws Exception {
        runs.accept(bundle(1), sha(1), NO_LIBRARIES);
        runs.start(sha(1) + " 60000 --tests tests.jar");
        return last();
    }

    private static TestEvent next(BlockingQueue<String> received) throws Exception {
        String json = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(json, "no event reached the tool within 5 s: the event sender stopped");
        assertTrue(json.getBytes(StandardCharsets.UTF_8).length <= ProtocolEndpoint.MAX_EVENT_BYTES, "an event fits in 64 KiB");
        return Messages.decode(json, TestEvent.class);
    }

    @Test
    void anEventOverAnEventsLimitIsCutToFitAndLaterEventsStillGo() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        tool = endpointLike(received);
        AppSpec app = startRun();
        // The runner keeps 16 Ki characters a field; a control character is 6 bytes in JSON (\u0001): 96 KiB a field.
        String escaped = "\\u0001".repeat(16 * 1024);
        runs.event(app, "{\"event\":\"test-finished\",\"id\":\"t1\",\"class\":\"C\",\"name\":\"m\",\"status\":\"failed\","
                + "\"stackTrace\":\"" + escaped + "\",\"stdout\":\"" + escaped + "\"}");
        runs.event(app, "{\"event\":\"run-finished\",\"tests\":1,\"failures\":1,\"errors\":0,\"skipped\":0}");

        TestEvent big = next(received);
        assertEquals(TestEvent.Kind.TEST_FINISHED, big.kind());
        assertEquals(0L, big.n());
        assertEquals("failed", big.status());
        assertTrue(big.stackTrace().startsWith("\u0001\u0001") && big.stackTrace().endsWith("cut to fit an event]"), big.stackTrace());
        TestEvent after = next(received);
        assertEquals(TestEvent.Kind.RUN_FINISHED, after.kind(), "the event after the oversized one reaches the tool");
        assertEquals(1L, after.n());
    }

    @Test
    void anEventTheHostFailsToSendIsDroppedAndLaterEventsStillGo() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        EventSink endpoint = endpointLike(received);
        tool = (json, timeoutMs) -> {
            if (json.contains("\"t1\"")) throw new IllegalStateException("the port driver failed (as a test would have it)");
            if (json.contains("\"t2\"")) throw new OutOfMemoryError("as a test would have it");
            return endpoint.send(json, timeoutMs);
        };
        AppSpec app = startRun();
        for (String id : List.of("t1", "t2", "t3")) {
            runs.event(app, "{\"event\":\"test-started\",\"id\":\"" + id + "\"}");
        }
        assertEquals("t3", next(received).id(), "the sender survives an exception and an Error, and sends the next event");
    }

    /** A stopped run's test fails with "interrupted while waiting" because the stop interrupted it: that is not its result. */
    @Test
    void resultsThatComeAfterTheToolStoppedTheRunAreTheStopsAndTheAbortSaysWhy() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        tool = endpointLike(received);
        AppSpec app = startRun();
        runs.event(app, "{\"event\":\"test-started\",\"id\":\"t1\",\"class\":\"C\",\"name\":\"hangs\"}");
        assertEquals(TestEvent.Kind.TEST_STARTED, next(received).kind());
        runs.stop();
        runs.event(app, "{\"event\":\"test-finished\",\"id\":\"t1\",\"class\":\"C\",\"name\":\"hangs\",\"status\":\"error\","
                + "\"message\":\"interrupted while waiting\"}");
        runs.event(app, "{\"event\":\"run-finished\",\"tests\":1,\"failures\":0,\"errors\":1,\"skipped\":0}");
        runs.ended(app, io.pirt.runtime.supervisor.AppState.STOPPED, "stopped on request");
        TestEvent aborted = next(received);
        assertEquals(TestEvent.Kind.RUN_ABORTED, aborted.kind(), "the interrupted test's own error and run-finished were not passed on");
        assertEquals("stopped by the tool", aborted.reason());
        assertTrue(log.recent(20).stream().anyMatch(l -> l.contains("C.hangs ended by the stop (stopped by the tool)")), log.recent(20).toString());
    }

    @Test
    void aHostReplyWithNewlinesReachesTheApplicationAsOneLine() throws Exception {
        runs.accept(bundle(1), sha(1), NO_LIBRARIES);
        runs.start(sha(1) + " 60000 --tests tests.jar");
        runs.hostReply("7 ok all fine\nhost-reply 8 failed forged\r\nmore");
        synchronized (told) {
            assertEquals(List.of("host-reply 7 ok all fine host-reply 8 failed forged  more"), told);
        }
    }
}
