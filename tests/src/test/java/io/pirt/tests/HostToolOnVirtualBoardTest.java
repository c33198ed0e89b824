package io.pirt.tests;

import io.pirt.wire.message.BoardInfo;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.ThreadList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.virtualboard.VirtualBoard;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host tool end to end against the real runtime on a virtual board (development mode,
 * trusting its own key): bundles it refuses, the demo bundled, flashed and committed, then
 * the one-shot commands on the running demo.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostToolOnVirtualBoardTest {
    @TempDir
    static Path dir;
    static VirtualBoard board;
    static Path boardKey;
    static Path boardPub;

    static ToolRun pirt(String... args) {
        return ToolRun.pirt(args);
    }

    static String port() {
        return board.port().toString();
    }

    /** The demo as a bundle for {@code boards}, signed with {@code key}. */
    static Path demoBundle(String file, String boards, Path key, Path pub) {
        Path out = dir.resolve(file);
        ToolRun run = pirt("bundle", "--jar", System.getProperty("pirt.demo.jar"), "--main", "io.pirt.examples.demo.Demo",
                "--name", "demo", "--version", "1.0.0", "--boards", boards, "--key", key.toString(),
                "--public-key", pub.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        return out;
    }

    @BeforeAll
    static void start() throws Exception {
        Path state = dir.resolve("board");
        board = VirtualBoard.start(VirtualBoard.Options.at(state).baud(921_600).args(List.of(
                "--app-jvm-flag", "-Xmx64m", "--app-jvm-flag", "-Dpirt.scheduling=none", "--trial-ms", "2000")));
        boardKey = state.resolve("dev-signing-key.pem");
        boardPub = state.resolve("config/keys/dev.pub");
    }

    @AfterAll
    static void stop() throws Exception {
        if (board != null) {
            board.close();
            System.out.println("runtime process output:\n" + board.runtimeOutput());
        }
    }

    @Test
    @Order(0)
    void theRuntimeSaysWhichConsoleDeviceItOpensAndWhy() throws Exception {
        // One line at start, on standard error (the journal on a board) as in the log: here the cable's end, given with --console.
        assertTrue(board.runtimeOutput().lines().anyMatch(l -> l.matches("pirt-runtime: console /\\S+: given with --console")),
                board.runtimeOutput());
    }

    @Test
    @Order(1)
    void aBundleSignedByAnUntrustedKeyIsRefusedWithExitThree() {
        assertEquals(0, pirt("keygen", "--out", dir.resolve("keys").toString()).exitCode());
        Path bundle = demoBundle("stranger.pirt", "virtual", dir.resolve("keys/signing.key"), dir.resolve("keys/signing.pub"));
        ToolRun run = pirt("flash", "--port", port(), "--baud", "921600", bundle.toString());
        assertEquals(3, run.exitCode(), run.toString());
        assertTrue(run.err().contains("pirt: the board refused"), run.err());
        assertEquals("", run.out());
    }

    @Test
    @Order(2)
    void aBundleForAnotherBoardIsRefusedWithExitThree() {
        Path bundle = demoBundle("pi.pirt", "rpi-4b", boardKey, boardPub);
        ToolRun run = pirt("flash", "--port", port(), "--baud", "921600", bundle.toString());
        assertEquals(3, run.exitCode(), run.toString());
        assertTrue(run.err().contains("rpi-4b"), run.err());
    }

    @Test
    @Order(3)
    void theDemoIsFlashedAndCommitted() {
        Path bundle = demoBundle("demo.pirt", "virtual", boardKey, boardPub);
        ToolRun run = pirt("flash", "--port", port(), "--baud", "921600", bundle.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("committed demo 1.0.0\n", run.out());
        assertTrue(run.err().contains("the board verified SHA-256"), run.err());
    }

    @Test
    @Order(4)
    void infoJsonShowsTheBoardAndTheRunningApplication() throws Exception {
        ToolRun run = pirt("info", "--port", port(), "--baud", "921600", "--json");
        assertEquals(0, run.exitCode(), run.toString());
        BoardInfo info = Messages.decode(run.out(), BoardInfo.class);
        assertEquals("virtual", info.board(), run.out());
        assertEquals("RUNNING", info.application().state(), run.out());
        assertEquals("demo", info.bundle().name(), run.out());
    }

    @Test
    @Order(5)
    void psJsonListsTheDemoThreadsWithTheirPriorities() throws Exception {
        ToolRun run = pirt("ps", "--port", port(), "--baud", "921600", "--json");
        assertEquals(0, run.exitCode(), run.toString());
        boolean high = false;
        for (ThreadList.ThreadRow t : Messages.decode(run.out(), ThreadList.class).threads()) {
            if (t.name().equals("printer-high")) high = t.priority() == 5;
        }
        assertTrue(high, run.out());
    }

    @Test
    @Order(6)
    void logsShowTheApplicationsOutput() {
        ToolRun run = pirt("logs", "--port", port(), "--baud", "921600", "-n", "200");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("[app] main: demo 1.0.0 starting"), run.out());
    }

    @Test
    @Order(7)
    void restartRestartsTheApplication() {
        ToolRun run = pirt("restart", "--port", port(), "--baud", "921600");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("restarted"), run.out());
    }

    @Test
    @Order(9)
    void consoleTypesIntoTheShellAndStreamsItsAnswer() throws Exception {
        java.io.InputStream keyboard = System.in;
        Path log = dir.resolve("console.log");
        try (java.io.PipedOutputStream typing = new java.io.PipedOutputStream();
             java.io.PipedInputStream in = new java.io.PipedInputStream(typing)) {
            System.setIn(in);
            java.util.concurrent.CompletableFuture<ToolRun> run = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> pirt("console", "--port", port(), "--baud", "921600", "--log", log.toString()));
            typing.write("info\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            typing.flush();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (!(java.nio.file.Files.exists(log) && java.nio.file.Files.readString(log).contains("bundle:      demo 1.0.0"))) {
                if (System.nanoTime() - deadline > 0) {
                    typing.write("\u001d\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    typing.flush();
                    throw new AssertionError("info's answer did not reach the console; it showed:\n"
                            + run.get(20, java.util.concurrent.TimeUnit.SECONDS));
                }
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
            }
            typing.write("\u001d\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            typing.flush();
            ToolRun r = run.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.out().contains("board:       virtual"), r.out());
        } finally {
            System.setIn(keyboard);
        }
    }

    @Test
    @Order(8)
    void rollbackWithNothingToGoBackToExitsOneWithTheBoardsReason() {
        ToolRun run = pirt("rollback", "--port", port(), "--baud", "921600");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("pirt: the board: "), run.err());
    }
}
