package io.pirt.tools.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pirt.virtualboard.PseudoTerminal;
import io.pirt.wire.Response;
import io.pirt.wire.message.AnswerText;
import io.pirt.wire.message.BoardInfo;
import io.pirt.wire.message.DoctorReport;
import io.pirt.wire.message.Done;
import io.pirt.wire.message.LogLines;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.Refusal;
import io.pirt.wire.message.ThreadList;
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
    /** What the board answers: records, as the runtime's shell makes them. */
    static final BoardInfo INFO = new BoardInfo("virtual", "pirt virtual board", "0.1.0", 25, "NONE", "asked for",
            new BoardInfo.AppStatus("RUNNING", "running demo (pid 42)"), new BoardInfo.RunningBundle("demo", "1.0.0", "A", false), 9_000,
            "open (development mode)", new BoardInfo.Realtime(List.of(10, 15, 20, 25, 30, 35, 40), List.of(3), 0));
    static final ThreadList PS = new ThreadList(List.of(new ThreadList.ThreadRow("main", 4711, 4, 4, "RUNNING"),
            new ThreadList.ThreadRow("blinker", 4712, 5, 5, "waiting", new ThreadList.Periodic(1_000, 5_000, 42_000, 88_500, 2))));

    static final DoctorReport.Check OK_CHECK = new DoctorReport.Check("java", "Java version", DoctorReport.Verdict.OK, "Java 21.0.5", "");
    static final DoctorReport.Check FAILED_CHECK = new DoctorReport.Check("boot-config", "UART or USB gadget in config.txt",
            DoctorReport.Verdict.FAIL, "otg_mode=1 is active", "comment out otg_mode=1 at line 15, under [cm4] of /boot/firmware/config.txt");
    /** What the board answers to doctor; each doctor test sets it. */
    static volatile DoctorReport doctor;

    @TempDir
    static Path dir;
    static LoopbackBoard board;
    static final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        board = new LoopbackBoard(dir, 0, CableFaults.NONE, (session, command, argument) -> {
            requests.add(command + " " + argument);
            return switch (command) {
                case "info" -> Response.ok(Messages.encode(INFO));
                case "ps" -> Response.ok(Messages.encode(PS));
                case "doctor" -> Response.ok(Messages.encode(doctor));
                case "logs" -> Response.ok(Messages.encode(new LogLines(List.of("[pirt] line one", "[app] line two"))));
                case "restart" -> Response.ok(Messages.encode(new Done("restarted demo")));
                case "rollback" -> Response.failed(Messages.encode(new Refusal(Refusal.NOT_FOUND, "no previous bundle to roll back to")));
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
    void infoPrintsTheAnswerAsAPersonReadsIt() {
        Run run = Pirt.run("info", "--port", port());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(AnswerText.of(INFO) + "\n", run.out());
        assertTrue(run.out().contains("bundle:      demo 1.0.0 (slot A, committed)"), run.out());
        assertTrue(run.out().contains("realtime:    application levels at SCHED_FIFO [10, 15, 20, 25, 30, 35, 40], pinned to CPUs [3], "
                + "CPU latency held at 0 µs while they run"), run.out());
    }

    @Test
    void infoJsonIsTheBoardsRecordNotItsText() throws Exception {
        Run run = Pirt.run("info", "--port", port(), "--json");
        assertEquals(0, run.exitCode(), run.toString());
        // The JSON is decoded back into the very record the board sent: no field comes from re-reading text, so
        // rewording the shell's answer (AnswerText) cannot change it.
        assertEquals(INFO, Messages.decode(run.out(), BoardInfo.class));
        JsonNode o = new ObjectMapper().readTree(run.out());
        assertEquals("virtual", o.get("board").asText());
        assertEquals("demo", o.get("bundle").get("name").asText());
        assertEquals(false, o.get("bundle").get("onTrial").asBoolean());
        assertEquals(40, o.get("realtime").get("priorities").get(6).asInt());
        assertEquals(0, o.get("realtime").get("dmaLatencyUs").asInt());
    }

    @Test
    void doctorExitsOneWhenACheckFailedAndPrintsTheAdviceUnderIt() throws Exception {
        doctor = new DoctorReport("rpi-cm4", "/", List.of(OK_CHECK, FAILED_CHECK));
        Run table = Pirt.run("doctor", "--port", port());
        assertEquals(1, table.exitCode(), table.toString());
        assertEquals(AnswerText.of(doctor) + "\n", table.out());
        assertTrue(table.out().contains("\n      -> comment out otg_mode=1"), table.out());
        Run json = Pirt.run("doctor", "--port", port(), "--json");
        assertEquals(1, json.exitCode(), json.toString());
        assertEquals(doctor, Messages.decode(json.out(), DoctorReport.class));
        assertEquals("FAIL", new ObjectMapper().readTree(json.out()).get("checks").get(1).get("verdict").asText());
    }

    @Test
    void doctorExitsZeroWhenNoCheckFailed() {
        doctor = new DoctorReport("rpi-4b", "/", List.of(OK_CHECK, new DoctorReport.Check("kernel", "kernel preemption model",
                DoctorReport.Verdict.WARN, "PREEMPT, not PREEMPT_RT", "boot a PREEMPT_RT kernel")));
        Run run = Pirt.run("doctor", "--port", port());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("WARN  kernel preemption model"), run.out());
    }

    @Test
    void psJsonIsTheThreadList() throws Exception {
        Run run = Pirt.run("ps", "--port", port(), "--json");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(PS, Messages.decode(run.out(), ThreadList.class));
        JsonNode a = new ObjectMapper().readTree(run.out()).get("threads");
        assertEquals(2, a.size());
        assertEquals("main", a.get(0).get("name").asText());
        assertEquals(4711, a.get(0).get("ident").asLong());
        JsonNode periodic = a.get(1).get("periodic");
        assertEquals(1_000, periodic.get("periodMicros").asLong());
        assertEquals(42_000, periodic.get("p99LatenessNanos").asLong());
        assertEquals(2, periodic.get("overruns").asLong());
    }

    @Test
    void psShowsAPeriodicThreadsFiguresInMicroseconds() {
        Run run = Pirt.run("ps", "--port", port());
        assertEquals(0, run.exitCode(), run.toString());
        String[] lines = run.out().split("\n");
        assertTrue(lines[0].matches("NAME +IDENT +PRIO +EFFECTIVE +STATE +PERIOD_US +WAKE-UPS +P99_US +MAX_US +OVERRUNS"), lines[0]);
        assertTrue(lines[1].matches("main +4711 +4 +4 +RUNNING"), lines[1]);
        assertTrue(lines[2].matches("blinker +4712 +5 +5 +waiting +1000 +5000 +42\\.0 +88\\.5 +2"), lines[2]);
    }

    @Test
    void logsAsksForNLines() {
        Run run = Pirt.run("logs", "--port", port(), "-n", "7");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("[pirt] line one\n[app] line two\n", run.out());
        assertTrue(requests.contains("logs 7"), requests.toString());
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
