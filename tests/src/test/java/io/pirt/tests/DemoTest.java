package io.pirt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's main command, `pirt demo`, end to end: a virtual board, the demo application, its console. */
@Timeout(180)
class DemoTest {
    @Test
    void demoRunsTheApplicationHandlesTheButtonAndStopsCleanly() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"demo", "--seconds", "2", "--app-jar", System.getProperty("pirt.demo.jar")},
                new PrintWriter(out, true), new PrintWriter(err, true));
        String shown = out.toString();
        assertEquals(0, code, "exit code; stderr:\n" + err + "\nstdout:\n" + shown);
        assertTrue(shown.contains("== the board's verdict: committed demo 1.0.0"), shown);
        assertTrue(shown.contains("[app] main: demo 1.0.0 starting on pirt virtual board"), shown);
        // Three priorities printing under the Lock, each line whole.
        for (String p : new String[] {"printer-low: low #1", "printer-normal: normal #1", "printer-high: high #1"}) {
            assertTrue(shown.contains("[app] " + p), p + " missing:\n" + shown);
        }
        assertTrue(shown.matches("(?s).*\\[app\\] gpio-D27: button pressed \\(1\\), handled at priority 7.*"), shown);
        assertTrue(shown.matches("(?s).*LED0=[01].*"), shown);
        assertTrue(shown.matches("(?s).*printer-high +\\d+ +5 +5 .*"), "ps shows the threads with priorities:\n" + shown);
        assertTrue(shown.matches("(?s).*\\n\\s*blinker +\\d+ +5 +5 +\\S.* 500000 +\\d+ +[\\d.]+ +[\\d.]+ +\\d+.*"),
                "ps shows the periodic blinker's figures:\n" + shown);
        assertTrue(shown.contains("== the board's verdict: committed demo 1.1.0"), "the second version is rolled out:\n" + shown);
        assertTrue(shown.contains("[app] main: demo 1.1.0 starting on pirt virtual board"), shown);
        assertTrue(shown.matches("(?s).*slot B: committed, demo 1.1.0.*"), shown);
        assertTrue(shown.contains("== done: the board stopped cleanly"), shown);
    }
}
