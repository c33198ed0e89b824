package io.pirt.tests.board;

import io.pirt.wire.message.AnswerText;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Messages;
import io.pirt.virtualboard.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.runtime.supervisor.TestApp;
import java.nio.file.Files;
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
 * The real runtime process on the virtual board, driven as a person would through a real
 * pseudo-terminal with jSerialComm on both ends: every shell command, and replugs.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VirtualBoardConsoleTest {
    @TempDir
    static Path state;
    static VirtualBoard board;
    static HostTerminal term;
    /** The application's name on the board: its jar's file name (the runtime's test jar), as a pattern. */
    static String app;

    @BeforeAll
    static void start() throws Exception {
        Path appJar = Path.of(TestApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        app = java.util.regex.Pattern.quote(appJar.getFileName().toString());
        Path wiring = Files.writeString(state.resolve("wiring"), "button BTN0 D27 low\nled LED0 D17\n");
        board = VirtualBoard.start(VirtualBoard.Options.at(state.resolve("board")).wiring(wiring).args(List.of(
                "--app-jar", appJar.toString(), "--app-main", TestApp.class.getName(),
                "--app-jvm-flag", "-Xmx64m", "--app-jvm-flag", "-Dpirt.scheduling=none", "--hang-timeout-ms", "2000")));
        term = new HostTerminal(board.port());
        term.type("");
        term.expect("pirt> ", 30_000);
        term.expect("\\[app\\] running", 30_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (term != null) term.close();
        if (board != null) {
            board.close();
            System.out.println("runtime process output:\n" + board.runtimeOutput());
        }
    }

    @Test
    @Order(1)
    void helpListsTheCommands() throws Exception {
        term.type("help");
        term.expect("info .*ps .*log .*restart .*stop .*gpio read PIN", 5_000);
    }

    @Test
    @Order(2)
    void infoShowsBoardRuntimeSchedulingApplicationAndUptime() throws Exception {
        term.type("info");
        term.expect("board: +virtual \\(pirt virtual board\\).*runtime: +pirt \\S+ on Java \\d+.*scheduling: +\\w+.*"
                + "application: RUNNING: running " + app + " \\(pid \\d+\\).*uptime: +0d 00:\\d\\d:\\d\\d", 5_000);
    }

    @Test
    @Order(3)
    void psListsTheApplicationThreads() throws Exception {
        term.type("ps");
        term.expect("NAME +IDENT +PRIO +EFFECTIVE +STATE.*main +\\d+ +4 +4 ", 5_000);
    }

    @Test
    @Order(4)
    void logShowsWhatHappenedBeforeConnecting() throws Exception {
        term.type("log 50");
        term.expect("\\[pirt\\] pirt runtime .* on virtual.*\\[pirt\\] starting application " + app + ".*\\[app\\] running", 5_000);
    }

    @Test
    @Order(5)
    void gpioReadsTheApplicationsBoardAndPressesItsButton() throws Exception {
        term.type("gpio read BTN0");
        term.expect("BTN0=0", 5_000); // not opened by the application: an input without pull reads 0
        term.type("gpio press BTN0");
        term.expect("BTN0 pressed", 5_000);
        term.type("gpio write D5 1");
        term.expect("D5=1", 5_000);
        term.type("gpio read D5");
        term.expect("D5=1", 5_000);
        term.type("gpio read D99");
        term.expect("error: board virtual has no pin or alias 'D99'", 5_000);
    }

    @Test
    @Order(6)
    void unknownCommandsAndBadArgumentsGetOneLineAndThePrompt() throws Exception {
        term.type("frobnicate");
        term.expect("error: unknown command 'frobnicate'; type help\r\n\r\033\\[Kpirt> ", 5_000);
        term.type("log many");
        term.expect("error: log takes a number of lines, not 'many'\r\n\r\033\\[Kpirt> ", 5_000);
        term.type("gpio write D5 7");
        term.expect("error: usage: gpio read PIN", 5_000);
    }

    @Test
    @Order(7)
    void stopAndRestartTheApplication() throws Exception {
        term.type("stop");
        term.expect("\\[app\\] interrupted, unwinding main", 10_000);
        term.expect("STOPPED: " + app + " stopped on request", 10_000);
        term.type("gpio write D17 1");
        term.expect("D17=1", 5_000);
        term.type("restart");
        term.expect("restarted " + app, 10_000);
        term.expect("\\[app\\] running", 30_000);
    }

    @Test
    @Order(8)
    void consoleSurvivesTheHostClosingItsTerminalAndTheBoardSideReplug() throws Exception {
        term.close();
        term = new HostTerminal(board.port());
        term.type("info");
        term.expect("application: RUNNING", 10_000);
        board.cable().replugBoard();
        term.expect("pirt console: type help", 15_000); // the runtime reopened its device and greets again
        term.type("info");
        term.expect("application: RUNNING", 10_000);
        assertTrue(board.runtimeProcess().isAlive());
    }

    @Test
    @Order(9)
    void toolSessionMultiplexesTheConsoleAnswersRequestsAndLeavesTheTextConsoleUsable() throws Exception {
        term.close();
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        // The port as the tool opens it: closing the client's input ends its reader at once (jSerialComm's own stream does not).
        try (io.pirt.tools.board.SerialLink port = io.pirt.tools.board.SerialLink.open(board.port().toString(), 115_200);
             io.pirt.tools.client.BoardClient client = io.pirt.tools.client.BoardClient.connect(port.in(),
                port.out(), io.pirt.tools.client.BoardClient.Options.defaults(), (source, line) -> lines.add(source + " " + line))) {
            assertTrue(client.board().name().equals("virtual"), client.board().toString());
            io.pirt.wire.Response info = client.request("info", "");
            assertEquals(io.pirt.wire.Response.Status.OK, info.status(), info.toString());
            assertEquals("RUNNING", Messages.decode(info.body(), io.pirt.wire.message.BoardInfo.class).application().state(), info.body());
            io.pirt.wire.Response bad = client.request("frobnicate", "");
            assertEquals(io.pirt.wire.Response.Status.UNKNOWN_COMMAND, bad.status(), bad.toString());
            io.pirt.wire.message.Refusal why = Messages.refusalIn(bad);
            assertEquals(io.pirt.wire.message.Refusal.NOT_SUPPORTED, why.code(), why.toString());
            assertTrue(why.message().contains("frobnicate"), why.message());
            String restarted = Messages.decode(client.request("restart", "").body(), io.pirt.wire.message.Done.class).message();
            assertTrue(restarted.startsWith("restarted"), restarted);
            // The application's output reaches the tool in frames, tagged with its source.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            String seen = "";
            while (!seen.contains("APP_STDOUT [app] running") && System.nanoTime() < deadline) {
                String l = lines.poll(1, java.util.concurrent.TimeUnit.SECONDS);
                if (l != null) seen += l + "\n";
            }
            assertTrue(seen.contains("APP_STDOUT [app] running"), seen);
        }
        term = new HostTerminal(board.port()); // a person's session afterwards
        term.type("info");
        term.expect("application: RUNNING", 10_000);
    }
}
