package io.pirt.tools.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pirt.virtualboard.PseudoTerminal;
import io.pirt.wire.Response;
import io.pirt.virtualboard.CableFaults;
import io.pirt.tools.Pirt;
import io.pirt.tools.Pirt.Run;
import io.pirt.tools.bench.LoopbackBoard;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-shot board commands against the board's protocol endpoint on a virtual cable
 * (answers as the board shell prints them), and the errors for ports that are wrong,
 * busy, or have nothing behind them.
 */
@Timeout(60)
class BoardCommandsTest {
    static final String INFO = "board:       virtual (pirt virtual board)\nruntime:     pirt 0.1.0 on Java 25\n"
            + "scheduling:  NONE\napplication: RUNNING: running demo (pid 42)\nbundle:      demo 1.0.0 (committed)\n"
            + "uptime:      0d 00:00:09";
    static final String PS = String.format("%-24s %8s %5s %9s  %s%n%-24s %8s %5s %9s  %s",
            "NAME", "IDENT", "PRIO", "EFFECTIVE", "STATE", "main", "4711", "4", "4", "RUNNING");

    @TempDir
    static Path dir;
    static LoopbackBoard board;
    static final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        board = new LoopbackBoard(dir, 0, CableFaults.NONE, (command, argument) -> {
            requests.add(command + " " + argument);
            return switch (command) {
                case "info" -> Response.ok(INFO);
                case "ps" -> Response.ok(PS);
                case "log" -> Response.ok("[pirt] line one\n[app] line two");
                case "restart" -> Response.ok("restarted demo");
                case "rollback" -> Response.failed("error: no previous bundle to roll back to");
                default -> new Response(Response.Status.UNKNOWN_COMMAND, "");
            };
        }, (name, file, sha) -> { });
    }

    @AfterAll
    static void stop() {
        if (board != null) board.close();
    }

    private static String port() {
        return board.port().toString();
    }

    @Test
    void infoPrintsTheBoardsText() {
        Run run = Pirt.run("info", "--port", port());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(INFO + "\n", run.out());
    }

    @Test
    void infoJsonIsAnObjectOfItsLines() throws Exception {
        Run run = Pirt.run("info", "--port", port(), "--json");
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode o = new ObjectMapper().readTree(run.out());
        assertEquals("virtual (pirt virtual board)", o.get("board").asText());
        assertEquals("demo 1.0.0 (committed)", o.get("bundle").asText());
    }

    @Test
    void psJsonIsAnArrayOfThreads() throws Exception {
        Run run = Pirt.run("ps", "--port", port(), "--json");
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode a = new ObjectMapper().readTree(run.out());
        assertEquals(1, a.size());
        assertEquals("main", a.get(0).get("name").asText());
        assertEquals(4711, a.get(0).get("ident").asLong());
    }

    @Test
    void logsAsksForNLines() {
        Run run = Pirt.run("logs", "--port", port(), "-n", "7");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("[pirt] line one\n[app] line two\n", run.out());
        assertTrue(requests.contains("log 7"), requests.toString());
    }

    @Test
    void restartSaysWhatTheBoardDid() {
        Run run = Pirt.run("restart", "--port", port());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("restarted demo\n", run.out());
    }

    @Test
    void aCommandThatFailsOnTheBoardExitsOneWithTheBoardsReason() {
        Run run = Pirt.run("rollback", "--port", port());
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals("pirt: the board: no previous bundle to roll back to\n", run.err());
    }

    @Test
    void aPortThatDoesNotExistSaysSoAndPointsAtPorts() {
        Run run = Pirt.run("info", "--port", dir.resolve("ttyNOPE").toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("pirt: no such port " + dir.resolve("ttyNOPE")), run.err());
        assertTrue(run.err().contains("`pirt ports`"), run.err());
    }

    @Test
    void aBusyPortSaysWhoMightHoldIt() throws Exception {
        try (PseudoTerminal pty = PseudoTerminal.open();
             SerialLink holder = SerialLink.open(pty.slavePath().toString(), 115200)) {
            Run run = Pirt.run("info", "--port", pty.slavePath().toString());
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().contains("it is busy"), run.err());
        }
    }

    @Test
    void aPortWithNothingBehindItTimesOutWithAHint() throws Exception {
        try (PseudoTerminal pty = PseudoTerminal.open()) {
            long start = System.nanoTime();
            Run run = Pirt.run("info", "--port", pty.slavePath().toString(), "--timeout-ms", "1000");
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().contains("no answer to HELLO within 1000 ms"), run.err());
            assertTrue(System.nanoTime() - start < 10_000_000_000L, "bounded by the timeout");
        }
    }

    @Test
    void noPortAndNoLikelyBoardIsAUsageErrorListingWhatWasFound() {
        Run run = Pirt.run("info");
        // this machine has no USB board: the ports found (maybe none) are listed
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--port"), run.err());
    }
}
