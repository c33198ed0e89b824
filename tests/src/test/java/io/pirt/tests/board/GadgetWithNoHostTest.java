package io.pirt.tests.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pirt.tests.faults.RuntimeProbe;
import io.pirt.virtualboard.VirtualBoard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The USB gadget console with no host attached (issue 16): on a Pi, writes to
 * {@code /dev/ttyGS0} block while no host reads, and the device never goes away. The virtual
 * cable's host end stops reading ({@code VirtualCable.stopHostReading}), so the board's writes
 * block for real; the runtime and its application must not notice beyond the console.
 */
@org.junit.jupiter.api.Tag("faults")
@Timeout(120)
class GadgetWithNoHostTest {
    /** Bound of each step: a runtime start on a loaded machine, a crash and its restart. */
    private static final long STEP_MS = 60_000;

    @TempDir
    Path dir;

    @Test
    void aHostThatStopsReadingBlocksOnlyTheConsoleWriterAndInfoAnswersWhenItReadsAgain() throws Exception {
        Path state = dir.resolve("board");
        Path appClasses = Path.of(ChattyApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (VirtualBoard board = VirtualBoard.start(VirtualBoard.Options.at(state).args(List.of(
                "--app-jar", appClasses.toString(), "--app-main", ChattyApp.class.getName(),
                "--app-jvm-flag", "-Xmx64m", "--app-jvm-flag", "-Dpirt.scheduling=none", "--app-jvm-flag", "-XX:TieredStopAtLevel=1")));
             HostTerminal term = new HostTerminal(board.port())) {
            term.expect("\\[app\\] chatty start pid \\d+", STEP_MS);
            board.cable().stopHostReading();
            long runtimePid = board.runtimeProcess().pid();

            // The board's console writes now block: wait (bounded) until the console writer is stuck in one.
            RuntimeProbe.ThreadDump stuck = RuntimeProbe.awaitThreadDump(runtimePid, STEP_MS,
                    d -> d.threadsIn(RuntimeProbe.CONSOLE_WRITE_FRAMES).contains("console-writer"),
                    "the console writer blocked in a write to the port");
            long logBytesWhenStuck = RuntimeProbe.logBytes(state);
            String firstPid = firstMatch(RuntimeProbe.logText(state), "\\[app\\] chatty start pid (\\d+)");

            // The application goes on printing, fails, and is restarted: all of it reaches the ring file.
            String restarted = RuntimeProbe.awaitLog(state, STEP_MS,
                    "\\[pirt\\] restarting .* in \\d+ ms.*\\[app\\] chatty start pid (?!" + firstPid + "\\b)(\\d+)");
            assertTrue(RuntimeProbe.logBytes(state) > logBytesWhenStuck, "the ring file grew while the host did not read");
            assertTrue(RuntimeProbe.logText(state).contains("[app] chatty " + firstPid + " line " + (ChattyApp.LINES - 1) + " "),
                    "the application printed all its lines while the console was blocked");

            RuntimeProbe.ThreadDump during = RuntimeProbe.threadDump(runtimePid);
            assertTrue(during.threadsIn(RuntimeProbe.CONSOLE_WRITE_FRAMES).contains("console-writer"),
                    "the console writer is still blocked (the test's stall held):\n" + during);
            assertEquals(Set.of("console-writer"), during.threadsIn(RuntimeProbe.CONSOLE_WRITE_FRAMES),
                    "no runtime thread but the console writer waits for the port:\n" + during + "\n(first stuck dump:\n" + stuck + ")");
            assertTrue(board.runtimeProcess().isAlive(), "the runtime is alive");
            assertTrue(restarted.contains("chatty start pid"), restarted);

            board.cable().resumeHostReading();
            term.type("");
            term.type("info");
            // Within 5 s: the backlog, the count of what the console dropped meanwhile, and the answer, in either order.
            term.expect("lines dropped \\(the console could not keep up.*application: +\\w+.*uptime:"
                    + "|application: +\\w+.*uptime:.*lines dropped \\(the console could not keep up", 5_000);
        }
    }

    private static String firstMatch(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) fail("no '" + regex + "' in the log:\n" + text);
        return m.group(1);
    }
}
