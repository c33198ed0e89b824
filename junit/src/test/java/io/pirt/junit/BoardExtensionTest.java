package io.pirt.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.bundle.BundleManifest;
import io.pirt.bundle.BundleWriter;
import io.pirt.bundle.SigningKeys;
import io.pirt.bundle.Version;
import io.pirt.wire.message.InstallVerdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extension against the virtual board it starts when no port is named: a bundle flashed
 * and committed, console output expected, a button pressed, pins written and read through a
 * jumper, the shell typed into, and each kind of failure with its message.
 */
@ExtendWith(BoardExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BoardExtensionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    @BeforeAll
    static void flashTheEchoApp(ConnectedBoard board) throws Exception {
        assertTrue(board.isVirtual(), "no pirt.port given: a virtual board");
        InstallVerdict verdict = board.flash(board.bundle("echo", "1.0.0", EchoApp.class.getName(),
                List.of(AppJars.of(EchoApp.class, dir))));
        assertEquals(InstallVerdict.committed("echo", "1.0.0"), verdict);
        board.expect("\\[app\\] echo app 1\\.0\\.0 starting", WAIT);
    }

    /** The board lives on for the rest of the run: leave it idle. */
    @AfterAll
    static void stopTheApp(ConnectedBoard board) throws Exception {
        board.request("stop", "");
    }

    @Test
    @Order(1)
    void expectationsMatchLinesInOrderFromWhenTheTestBegan(ConnectedBoard board) throws Exception {
        MatchResult first = board.expect("tick (\\d+)", WAIT);
        MatchResult second = board.expect("tick (\\d+)", WAIT);
        assertTrue(Integer.parseInt(second.group(1)) > Integer.parseInt(first.group(1)), first.group() + " then " + second.group());
        // the start was printed before this test began: this test's handle does not see it
        assertThrows(AssertionError.class, () -> board.expect("echo app 1\\.0\\.0 starting", Duration.ofMillis(300)));
    }

    @Test
    @Order(2)
    void pressingTheButtonRunsTheApplicationsEdgeCallback(ConnectedBoard board) throws Exception {
        board.pressButton("BTN0");
        board.expect("\\[app\\] pressed on BTN0", WAIT);
        board.releaseButton("BTN0");
    }

    @Test
    @Order(3)
    void pinsAreWrittenAndReadThroughTheShell(ConnectedBoard board) throws Exception {
        // the default wiring has a jumper from D22 to D23
        board.writePin("D22", true);
        assertTrue(board.readPin("D23"));
        board.writePin("D22", false);
        assertEquals(false, board.readPin("D23"));
    }

    @Test
    @Order(4)
    void linesSentGoToTheShellAndItsAnswerIsExpected(ConnectedBoard board) throws Exception {
        board.send("info");
        board.expect("^board: +virtual", WAIT);
        assertTrue(board.request("info", "").contains("bundle:      echo 1.0.0"));
    }

    @Test
    @Order(5)
    void anExpectationNotMetFailsWithinItsTimeoutShowingTheLastLines(ConnectedBoard board) throws Exception {
        board.expect("tick", WAIT); // so there are lines to show
        long start = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class, () -> board.expect("never printed", Duration.ofMillis(700)));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms >= 700 && ms < 2_000, "failed after " + ms + " ms");
        String m = e.getMessage();
        assertTrue(m.startsWith("no console line matching /never printed/ within 700 ms on the virtual board on "), m);
        assertTrue(m.matches("(?s).*console lines since the test began or its last expectation was met:\n  \\| \\[app\\] tick \\d+.*"), m);
    }

    @Test
    @Order(6)
    void aRequestTheBoardFailsIsAnAssertionErrorWithItsReason(ConnectedBoard board) {
        AssertionError e = assertThrows(AssertionError.class, () -> board.readPin("NOPE"));
        // the refusal's code, then its message (typed, docs/protocol.md §5.4): no "error:" text to strip
        assertTrue(e.getMessage().startsWith("the board answered 'gpio read NOPE' with FAILED: ")
                && e.getMessage().contains("no pin or alias 'NOPE'"), e.getMessage());
    }

    @Test
    @Order(7)
    void aBundleSignedByAnUntrustedKeyIsRefusedWithTheReason(ConnectedBoard board) throws Exception {
        Path stranger = dir.resolve("stranger.pirt");
        BundleWriter.write(stranger, new BundleManifest("echo", Version.parse("2.0.0"), EchoApp.class.getName(), List.of("*"),
                Version.parse("0.1.0"), 4), List.of(AppJars.of(EchoApp.class, dir)), SigningKeys.generate());
        InstallVerdict verdict = board.flash(stranger);
        assertEquals(InstallVerdict.Outcome.REFUSED, verdict.outcome(), verdict.toString());
        assertTrue(verdict.detail().contains("trusted"), verdict.toString());
        assertTrue(board.request("info", "").contains("bundle:      echo 1.0.0"), "the board is as it was");
    }

    @Test
    @Order(8)
    void aBundleThatCrashesIsRolledBackAndThePreviousOneRunsAgain(ConnectedBoard board) throws Exception {
        InstallVerdict verdict = board.flash(board.bundle("echo", "3.0.0", CrashingApp.class.getName(),
                List.of(AppJars.of(CrashingApp.class, dir))));
        assertEquals(InstallVerdict.rolledBack("it crashed (exit status 3)"), verdict);
        board.expect("\\[app\\] crashing app starting", WAIT);
        board.expect("\\[app\\] echo app 1\\.0\\.0 starting", WAIT);
    }
}
