package io.pirt.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pirt.wire.message.InstallVerdict;
import io.pirt.junit.BoardExtension;
import io.pirt.junit.ConnectedBoard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo driven from the host: its packaged jar bundled and flashed, its threads' output,
 * the button, the LED. On a virtual board in `mvn verify`; on a real one (an LED on LED0; the
 * button test is skipped there) with {@code mvn verify -Dpirt.port=/dev/ttyACM0}.
 */
@ExtendWith(BoardExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @BeforeAll
    static void flashTheDemo(ConnectedBoard board) throws Exception {
        String named = System.getProperty("pirt.demo.jar");
        assertNotNull(named, "the system property pirt.demo.jar names the demo's jar (Failsafe sets it, see pom.xml)");
        Path jar = Path.of(named);
        assertTrue(Files.isRegularFile(jar), jar + " is missing: these tests run after `mvn package` (mvn verify)");
        InstallVerdict verdict = board.flash(board.bundle("demo", "1.0.0", Demo.class.getName(), List.of(jar)));
        assertEquals("committed demo 1.0.0", verdict.toString());
        board.expect("\\[app\\] main: demo 1\\.0\\.0 starting on ", WAIT);
    }

    @Test
    void threadsOfThreePrioritiesTakeTurnsPrinting(ConnectedBoard board) throws Exception {
        // each printer prints once a second; whole lines, never mixed, since they print under one Lock
        for (String printer : new String[] {"low", "normal", "high"}) {
            board.expect("^\\[app\\] printer-" + printer + ": " + printer + " #\\d+$", WAIT);
        }
        String ps = board.request("ps", "");
        assertTrue(ps.matches("(?s).*printer-high +\\d+ +5 +5 .*"), ps);
        assertTrue(ps.matches("(?s).*printer-low +\\d+ +3 +3 .*"), ps);
        // the blinker is periodic: its row carries its period (500,000 µs) and how many times it woke
        assertTrue(ps.matches("(?s).*\\n\\s*blinker +\\d+ +5 +5 +\\S.* 500000 +\\d+ +[\\d.]+ +[\\d.]+ +\\d+.*"), ps);
    }

    @Test
    void aButtonPressIsHandledByTheEdgeCallbackAtTopPriority(ConnectedBoard board) throws Exception {
        assumeTrue(board.isVirtual(), "pressing BTN0 works the virtual board's wired button; a real rig has no finger");
        board.pressButton("BTN0");
        try {
            board.expect("\\[app\\] gpio-D27: button pressed \\(\\d+\\), handled at priority 7", WAIT);
        } finally {
            board.releaseButton("BTN0");
        }
    }

    @Test
    void theLedBlinks(ConnectedBoard board) throws Exception {
        // the blinker toggles LED0 every 500 ms: sampled every 100 ms for up to 3 s, both levels show
        Set<Boolean> seen = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (seen.size() < 2 && System.nanoTime() - deadline < 0) {
            seen.add(board.readPin("LED0"));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // sampling a blinking pin, not waiting for an event
        }
        assertEquals(Set.of(true, false), seen, "LED0 levels seen in 3 s");
    }
}
