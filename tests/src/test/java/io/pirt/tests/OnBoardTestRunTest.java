package io.pirt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.virtualboard.VirtualBoard;
import io.pirt.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * `pirt test` end to end on a virtual board (docs/testing.md): the hello-world example's own
 * tests run on the board while hello-world is its application; results come back as events
 * and Surefire XML, a failing test shows in the report and the exit code, a hanging test is
 * ended by the timeout, and after every run the board runs hello-world again.
 *
 * <p>Most of its time is waiting (a paced cable, a cut, timeouts), so the class runs beside the
 * others (tests/pom.xml); its methods share one board and run one after another, in order, each
 * marked SAME_THREAD (the class's own mode would otherwise reach them).
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(ExecutionMode.CONCURRENT)
class OnBoardTestRunTest {
    @TempDir
    static Path dir;
    static VirtualBoard board;
    static Path key;
    static Path pub;
    static final Path HELLO = Path.of(System.getProperty("pirt.hello.dir"));
    /** The cable's rate; the tool opens its port at the same rate, as on a UART. */
    static final String BAUD = "921600";

    static ToolRun pirt(String... args) {
        return ToolRun.pirt(args);
    }

    /** `pirt test` on hello-world's test classes, with the given options. */
    static ToolRun test(Path reports, String... options) {
        List<String> args = new ArrayList<>(List.of("test", "--port", board.port().toString(), "--baud", BAUD, "--key", key.toString(),
                "--public-key", pub.toString(), "--reports", reports.toString(),
                "--classpath", HELLO.resolve("target/classes").toString()));
        args.addAll(List.of(options));
        args.add(HELLO.resolve("target/test-classes").toString());
        return pirt(args.toArray(String[]::new));
    }

    static Element suite(Path reports, String className) throws Exception {
        Path file = reports.resolve("TEST-" + className + ".xml");
        assertTrue(Files.exists(file), "no report " + file + "; there are " + (Files.exists(reports) ? Files.list(reports).toList() : "none"));
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        return d.getDocumentElement();
    }

    static int countOf(Element testcase, String text) {
        var outs = testcase.getElementsByTagName("system-out");
        return outs.getLength() == 0 ? 0 : outs.item(0).getTextContent().split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }

    static Element testcase(Element suite, String name) {
        var cases = suite.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            if (c.getAttribute("name").equals(name)) return c;
        }
        throw new AssertionError("no testcase " + name + " in " + suite.getAttribute("name"));
    }

    /** The board runs hello-world (the application flashed before the tests). */
    static void helloRunsAgain(ToolRun run) {
        assertTrue(run.out().contains("the board runs hello-world 1.0.0 again"), run.toString());
        // The board says so once it started the application again; RUNNING comes when its JVM links up,
        // which no event tells the tool: ask again, bounded (30 s), until it is.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        ToolRun info;
        do {
            info = pirt("info", "--port", board.port().toString(), "--baud", BAUD);
            assertEquals(0, info.exitCode(), info.toString());
            assertTrue(info.out().contains("hello-world 1.0.0"), info.out());
        } while (!info.out().contains("application: RUNNING") && info.out().contains("application: STARTING")
                && System.nanoTime() - deadline < 0);
        assertTrue(info.out().contains("application: RUNNING"), info.out());
    }

    /** Starts the virtual board's runtime on the test's state directory (again, after a restart). */
    static VirtualBoard startBoard() throws Exception {
        Path wiring = Files.writeString(dir.resolve("wiring"), """
                button BTN0 BTN0 low
                led LED0 LED0
                jumper D22 D23
                """);
        return VirtualBoard.start(VirtualBoard.Options.at(dir.resolve("board")).baud(Integer.parseInt(BAUD)).wiring(wiring).args(List.of(
                "--app-jvm-flag", "-Xmx96m", "--app-jvm-flag", "-Dpirt.scheduling=none", "--trial-ms", "1500")));
    }

    @BeforeAll
    static void start() throws Exception {
        Path state = dir.resolve("board");
        board = startBoard();
        key = state.resolve("dev-signing-key.pem");
        pub = state.resolve("config/keys/dev.pub");
        Path bundle = dir.resolve("hello.pirt");
        ToolRun made = pirt("bundle", "--jar", System.getProperty("pirt.hello.jar"), "--main", "io.pirt.examples.hello.HelloWorld",
                "--name", "hello-world", "--version", "1.0.0", "--key", key.toString(), "--public-key", pub.toString(),
                "--out", bundle.toString());
        assertEquals(0, made.exitCode(), made.toString());
        ToolRun flashed = pirt("flash", "--port", board.port().toString(), "--baud", BAUD, bundle.toString());
        assertEquals(0, flashed.exitCode(), flashed.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (board != null) {
            board.close();
            System.out.println("runtime process output:\n" + board.runtimeOutput());
        }
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    @Order(1)
    void theExamplesTestsPassOnTheBoardIncludingThoseThatNeedTheRig() throws Exception {
        Path reports = dir.resolve("reports-pass");
        ToolRun run = test(reports, "--exclude-tag", "fails-on-purpose", "--exclude-tag", "hangs-on-purpose");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("Tests run: 4, Failures: 0, Errors: 0, Skipped: 0"), run.toString());
        assertTrue(run.err().matches("(?s).*libraries: 0 on the board already, [1-9][0-9]* sent \\([1-9][0-9]* bytes\\).*"),
                "the first run fills the board's library cache: " + run);
        assertTrue(run.out().contains("PASS  io.pirt.examples.hello.OnBoardTest.theButtonPressIsSeenByAnEdgeCallback"), run.out());
        Element suite = suite(reports, "io.pirt.examples.hello.OnBoardTest");
        assertEquals("4", suite.getAttribute("tests"));
        assertEquals("0", suite.getAttribute("failures"));
        assertEquals("0", suite.getAttribute("skipped"), "the jumper and the host's button press exist on this rig");
        assertEquals("virtual", suite.getAttribute("hostname"));
        helloRunsAgain(run);
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    @Order(2)
    void aFailingTestFailsTheRunAndItsReportSaysWhy() throws Exception {
        Path reports = dir.resolve("reports-fail");
        ToolRun run = test(reports, "--include-tag", "fails-on-purpose");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.out().contains("Tests run: 2, Failures: 1, Errors: 0, Skipped: 0"), run.toString());
        assertTrue(run.out().contains("FAIL  io.pirt.examples.hello.FailingOnPurposeTest.failsOnPurpose"), run.out());
        Element suite = suite(reports, "io.pirt.examples.hello.FailingOnPurposeTest");
        assertEquals("1", suite.getAttribute("failures"));
        Element failure = (Element) testcase(suite, "failsOnPurpose").getElementsByTagName("failure").item(0);
        assertTrue(failure.getAttribute("message").contains("this test fails on purpose"), failure.getAttribute("message"));
        assertEquals("org.opentest4j.AssertionFailedError", failure.getAttribute("type"));
        assertTrue(failure.getTextContent().contains("FailingOnPurposeTest.failsOnPurpose"), "the stack trace names the test");
        Element out = (Element) testcase(suite, "passes").getElementsByTagName("system-out").item(0);
        assertTrue(out.getTextContent().contains("[app] this line is captured with the test's result"), "its output, marked: "
                + out.getTextContent());
        assertEquals(0, countOf(testcase(suite, "failsOnPurpose"), "this line is captured"), "each test has only its own output");
        helloRunsAgain(run);
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    @Order(3)
    void eventsMissedWhileTheLineWasCutAreAskedForAgain() throws Exception {
        Path reports = dir.resolve("reports-cut");
        java.util.concurrent.CountDownLatch runStarted = new java.util.concurrent.CountDownLatch(1);
        StringWriter errText = new StringWriter();
        java.io.Writer err = new java.io.Writer() {
            @Override
            public void write(char[] c, int off, int len) {
                errText.write(c, off, len);
                if (errText.toString().contains("test run ")) runStarted.countDown();
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(List.of("test", "--port", board.port().toString(), "--baud", BAUD, "--key", key.toString(),
                "--public-key", pub.toString(), "--reports", reports.toString(),
                "--classpath", HELLO.resolve("target/classes").toString(),
                "--exclude-tag", "fails-on-purpose", "--exclude-tag", "hangs-on-purpose",
                HELLO.resolve("target/test-classes").toString()));
        java.util.concurrent.CompletableFuture<Integer> exit = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true)));
        assertTrue(runStarted.await(60, java.util.concurrent.TimeUnit.SECONDS), "the run started: " + errText);
        board.cable().cut(); // longer than both sides' idle timeout (3 s): the session ends, events are not delivered
        Thread.sleep(5_000); // the length of the outage itself, not a synchronisation
        board.cable().reconnect();
        int code = exit.get(120, java.util.concurrent.TimeUnit.SECONDS);
        ToolRun run = new ToolRun(code, out.toString(), errText.toString());
        assertEquals(0, code, run.toString());
        assertTrue(run.out().contains("Tests run: 4, Failures: 0, Errors: 0, Skipped: 0"), run.toString());
        assertTrue(run.err().contains("did not arrive; asking for them again"), run.toString());
        assertEquals("4", suite(reports, "io.pirt.examples.hello.OnBoardTest").getAttribute("tests"));
        helloRunsAgain(run);
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    @Order(5)
    void aSecondToolWaitsForTheRunAToolLeftBehindThenRunsItsOwn() throws Exception {
        // Tool A starts the hanging test (8 s timeout: B needs to be refused before it ends, and B's test bundle, whose libraries the
        // board's cache holds, is there within a second, 0.6 s on a machine at load 9) and goes away, as a CI job that is killed does: the run goes on on the
        // board. Tool B then finds the board busy, says so, waits for that run's end and runs its own tests.
        java.util.concurrent.CountDownLatch runStarted = new java.util.concurrent.CountDownLatch(1);
        StringWriter aErr = new StringWriter();
        java.io.Writer err = new java.io.Writer() {
            @Override
            public void write(char[] c, int off, int len) {
                synchronized (aErr) {
                    aErr.write(c, off, len);
                    if (aErr.toString().matches("(?s).*test run \\d+ started.*")) runStarted.countDown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        List<String> aArgs = new ArrayList<>(List.of("test", "--port", board.port().toString(), "--baud", BAUD, "--key", key.toString(),
                "--public-key", pub.toString(), "--reports", dir.resolve("reports-a").toString(),
                "--classpath", HELLO.resolve("target/classes").toString(), "--include-tag", "hangs-on-purpose", "--timeout", "8s",
                HELLO.resolve("target/test-classes").toString()));
        int[] aExit = {-1};
        Thread a = new Thread(() -> aExit[0] = Main.run(aArgs.toArray(String[]::new), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true)), "tool-a");
        a.start();
        assertTrue(runStarted.await(60, java.util.concurrent.TimeUnit.SECONDS), "tool A's run started: " + aErr);
        a.interrupt(); // tool A goes away; its port is free, its run goes on
        a.join(30_000);
        assertTrue(!a.isAlive(), "tool A ended when interrupted: " + aErr);

        Path reports = dir.resolve("reports-b");
        long started = System.nanoTime();
        ToolRun b = test(reports, "--exclude-tag", "fails-on-purpose", "--exclude-tag", "hangs-on-purpose");
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, b.exitCode(), b.toString());
        assertTrue(b.err().matches("(?s).*pirt: the board cannot start the tests yet: test run \\d+ is in progress \\(started by pirt@.*"),
                "B said who has the board: " + b.err());
        assertTrue(b.err().contains("Waiting up to"), b.err());
        assertTrue(b.out().contains("Tests run: 4, Failures: 0, Errors: 0, Skipped: 0"), b.toString());
        assertTrue(tookMs < 120_000, "B ran once A's run ended, not at its own timeout (10 min): " + tookMs + " ms");
        helloRunsAgain(b);
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    @Order(4)
    void aHangingTestIsEndedByTheTimeoutAndTheApplicationComesBack() throws Exception {
        Path reports = dir.resolve("reports-hang");
        long started = System.nanoTime();
        ToolRun run = test(reports, "--include-tag", "hangs-on-purpose", "--timeout", "8s");
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("timed out after 8000 ms"), run.toString());
        assertTrue(run.out().contains("ERROR io.pirt.examples.hello.HangingOnPurposeTest.waitsForever"), run.out());
        Element suite = suite(reports, "io.pirt.examples.hello.HangingOnPurposeTest");
        assertEquals("1", suite.getAttribute("errors"));
        Element hang = testcase(suite, "waitsForever");
        Element error = (Element) hang.getElementsByTagName("error").item(0);
        assertTrue(error.getAttribute("message").contains("timed out after 8000 ms"), error.getAttribute("message"));
        String said = hang.getElementsByTagName("system-out").item(0).getTextContent();
        assertTrue(said.contains("[app] about to wait for an event nobody sets"), "what it printed before it hung: " + said);
        assertTrue(said.contains("[pirt] test run ") && said.contains("timed out after 8000 ms; stopping it"),
                "the runtime's console lines while it ran: " + said);
        double seconds = Double.parseDouble(hang.getAttribute("time"));
        assertTrue(seconds > 5 && seconds < 60, "its time runs from its start to the abort: " + seconds);
        assertTrue(Double.parseDouble(suite.getAttribute("time")) >= seconds, "the suite lasted at least its test: " + suite.getAttribute("time"));
        assertTrue(tookMs < 60_000, "the run ended soon after its 8 s timeout, not at the tool's own deadline: " + tookMs + " ms");
        helloRunsAgain(run);
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    @Order(5)
    void aSecondRunSendsNoLibraryEvenAfterTheRuntimeRestarted() throws Exception {
        board.close(); // the cache must survive the runtime's restart, as it survives a board's reboot
        board = startBoard();
        Path reports = dir.resolve("reports-again");
        long started = System.nanoTime();
        ToolRun run = test(reports, "--exclude-tag", "fails-on-purpose", "--exclude-tag", "hangs-on-purpose");
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.err().matches("(?s).*libraries: [1-9][0-9]* on the board already, 0 sent \\(0 bytes\\).*"),
                "every library is in the board's cache: " + run);
        assertTrue(run.err().contains("referenced libraries"), run.toString());
        assertTrue(run.out().contains("Tests run: 4, Failures: 0, Errors: 0, Skipped: 0"), run.toString());
        assertTrue(Files.readString(dir.resolve("board/log/console.log")).contains("library cache: "),
                "the runtime logs its cache at start");
        System.out.println("second run with every library cached took " + tookMs + " ms at " + BAUD + " baud");
        helloRunsAgain(run);
    }
}
