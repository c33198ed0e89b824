package io.pirt.tests.board;

import io.pirt.virtualboard.*;

import io.pirt.runtime.supervisor.FloodApp;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application floods its output faster than a 115200-baud console can carry it: it is
 * never held up, the console says how many lines it dropped, and `log` still has them.
 */
@Timeout(180)
class ConsoleFloodTest {
    @TempDir
    Path state;

    @Test
    void floodIsNeverBlockingDropsAreCountedAndLogKeepsEverything() throws Exception {
        try (VirtualBoard board = VirtualBoard.start(VirtualBoard.Options.at(state).baud(115_200).args(List.of(
                "--app-jar", Path.of(FloodApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(), "--app-main", FloodApp.class.getName(),
                "--app-jvm-flag", "-Xmx64m", "--app-jvm-flag", "-Dpirt.scheduling=none")));
             HostTerminal term = new HostTerminal(board.port())) {
            term.expect("\\[pirt\\] \\d+ (lines dropped|console lines not delivered)", 120_000);
            term.type("log 3");
            term.expect("\\[app\\] flood line 19999.*\\[app\\] flood done", 60_000); // the application got through it all
        }
    }
}
