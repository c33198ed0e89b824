package io.pirt.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.virtualboard.CableFaults;
import io.pirt.virtualboard.VirtualCable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Where the extension finds its board and key, and what it says when they are not there. */
@Timeout(30)
class RigSettingsTest {
    @TempDir
    Path dir;

    private RigSettings settings(Map<String, String> properties, Map<String, String> environment) {
        return RigSettings.from(properties::get, environment::get, dir.resolve("default.key"));
    }

    @Test
    void nothingNamedMeansAVirtualBoardAt115200WithTheDefaultKey() {
        RigSettings s = settings(Map.of(), Map.of());
        assertTrue(s.virtual());
        assertNull(s.port());
        assertEquals(115_200, s.baud());
        assertEquals(dir.resolve("default.key"), s.key());
    }

    @Test
    void aSystemPropertyWinsOverItsEnvironmentVariable() {
        RigSettings s = settings(Map.of("pirt.port", "/dev/ttyACM0", "pirt.key", "/k/a.key"),
                Map.of("PIRT_PORT", "/dev/ttyUSB0", "PIRT_BAUD", "921600", "PIRT_KEY", "/k/b.key"));
        assertEquals("/dev/ttyACM0", s.port());
        assertEquals("system property pirt.port", s.portOrigin());
        assertEquals(921_600, s.baud());
        assertEquals(Path.of("/k/a.key"), s.key());
        assertTrue(s.keyExplicit());
    }

    @Test
    void aBaudRateThatIsNotANumberSaysWhereItCameFrom() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings(Map.of(), Map.of("PIRT_BAUD", "fast")));
        assertEquals("environment variable PIRT_BAUD is 'fast', not a baud rate such as 115200", e.getMessage());
    }

    @Test
    void aMissingKeySaysWhereItWasLookedForAndHowToMakeOne() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> settings(Map.of("pirt.key", dir.resolve("none.key").toString()), Map.of()).readKey());
        assertTrue(e.getMessage().startsWith("no private key at " + dir.resolve("none.key") + " (system property pirt.key): "
                + "make one with `pirt keygen`"), e.getMessage());
    }

    @Test
    void aPortThatDoesNotExistFailsSayingWhatToDo() {
        IOException e = assertThrows(IOException.class,
                () -> BoardConnection.open(settings(Map.of("pirt.port", dir.resolve("ttyNONE").toString()), Map.of())));
        assertTrue(e.getMessage().startsWith("cannot reach the board on " + dir.resolve("ttyNONE") + " (system property pirt.port): "
                + "no such port"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Or unset pirt.port and PIRT_PORT to run on a fresh virtual board"), e.getMessage());
    }

    /** pirt.port takes the tool's addresses: here a runtime's wire socket (ssh:// goes through the same BoardSession.open). */
    @Test
    void aUnixSocketAddressReachesARuntimesWireSocket() throws Exception {
        try (io.pirt.virtualboard.VirtualBoard board = io.pirt.virtualboard.VirtualBoard.start(
                io.pirt.virtualboard.VirtualBoard.Options.at(dir.resolve("board")))) {
            try (BoardConnection c = BoardConnection.open(settings(Map.of("pirt.port", "unix:" + board.wireSocket()), Map.of()), 30_000)) {
                assertEquals(false, c.isVirtual(), "a board named by pirt.port, not a fresh virtual one");
                assertEquals("virtual", c.boardName());
                assertEquals("unix:" + board.wireSocket(), c.port());
                assertEquals(io.pirt.wire.Response.Status.OK, c.request("info", "").status());
            }
        }
    }

    @Test
    void aPortWhereNoRuntimeAnswersFailsAfterTheHelloTimeoutWithWhatThePortPrinted() throws Exception {
        try (VirtualCable cable = new VirtualCable(dir.resolve("cable"), 0, CableFaults.NONE)) {
            IOException e = assertThrows(IOException.class,
                    () -> BoardConnection.open(settings(Map.of(), Map.of("PIRT_PORT", cable.hostPort().toString())), 1_000));
            assertTrue(e.getMessage().startsWith("cannot reach the board on " + cable.hostPort()
                    + " (environment variable PIRT_PORT): "), e.getMessage());
            assertTrue(e.getMessage().contains("no answer to HELLO within 1000 ms: is the pirt runtime running on the board"),
                    e.getMessage());
        }
    }
}
