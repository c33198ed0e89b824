package io.pirt.boards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The missing-pin error names the remedy (a board file that extends the profile with an
 * alias), and the remedy it names works: the board file it shows loads and gives the pin the
 * name.
 */
class MissingPinTest {
    private static final BoardProfiles PROFILES = BoardProfiles.builtIn();

    @TempDir
    Path dir;

    @Test
    void aPiWithoutTheNameSaysWhichBoardFileAddsItAndWhereThePiTakesIt() {
        String m = PROFILES.get("rpi-4b").noPinNamed("BTN0");
        assertEquals("board rpi-4b has no pin or alias 'BTN0'; its header pins are D0-D27, its aliases LED0 (ACT)"
                + " (pirt boards show rpi-4b lists them with header numbers). To give a header pin that name, write a board file"
                + " that extends rpi-4b, e.g. /etc/pirt/my-rpi-4b.yaml holding {version: 1, id: my-rpi-4b, name: rpi-4b with BTN0"
                + " on D17, extends: rpi-4b, aliases: {BTN0: D17}}, and start the runtime with --board-file /etc/pirt/my-rpi-4b.yaml"
                + " (on a Pi: PIRT_OPTS in /etc/pirt/pirt.conf, then sudo systemctl restart pirt-runtime); the board is then"
                + " my-rpi-4b, which bundles name in --boards (docs/board-profiles.md, \"Inheritance (extends)\")", m);
        assertFalse(m.contains("\n"), "one line, so the console and the log keep it whole");
    }

    @Test
    void theBoardFileTheMessageShowsLoadsAndNamesThePinOnEveryBuiltInBoard() throws IOException {
        for (BoardProfile profile : PROFILES.all()) {
            String pin = MissingPin.suggestedPin(profile);
            String message = profile.noPinNamed("BTN7");
            String yaml = MissingPin.boardFile(profile, "BTN7", pin);
            assertTrue(message.contains(" holding " + yaml + ", "), message);
            Path file = Files.writeString(dir.resolve("my-" + profile.id() + ".yaml"), yaml);
            BoardProfile extended = PROFILES.loadFile(file);
            assertEquals(pin, extended.pin("BTN7").name(), profile.id());
            assertTrue(extended.pin("BTN7").header().isPresent(), profile.id() + ": " + pin + " is a header pin");
        }
    }

    @Test
    void theSuggestedPinIsD17WhereItIsFreeElseAPlainGpioPinNoAliasNames() {
        assertEquals("D17", MissingPin.suggestedPin(PROFILES.get("rpi-3b")));
        assertEquals("D5", MissingPin.suggestedPin(PROFILES.get("virtual")), "the virtual board's D17 is its LED0");
    }

    @Test
    void theVirtualBoardsMessageListsItsPinsAsRangesWithoutThePisConfigFile() {
        String m = PROFILES.get("virtual").noPinNamed("D99");
        assertTrue(m.startsWith("board virtual has no pin or alias 'D99'; its header pins are D2, D3, D5-D13, D16-D19, D22-D27,"
                + " its aliases LED0 (D17), BTN0 (D27)"), m);
        assertTrue(m.contains("--board-file /etc/pirt/my-virtual.yaml;"), m);
        assertFalse(m.contains("pirt.conf"), m);
    }

    @Test
    void aBoardFilesOwnMissingNameIsAddedToThatFile() throws IOException {
        Path file = Files.writeString(dir.resolve("bench.yaml"), "{version: 1, id: bench, name: bench, extends: rpi-5}");
        BoardProfile bench = PROFILES.loadFile(file);
        String m = bench.noPinNamed("BTN0");
        assertTrue(m.endsWith(". To give a header pin that name, add it to the aliases of " + bench.origin()
                + " (aliases: {BTN0: D17}) and restart the runtime (docs/board-profiles.md, \"Inheritance (extends)\")"), m);
    }

    @Test
    void aNameNoAliasCouldHaveGetsTheListOnly() {
        String m = PROFILES.get("rpi-5").noPinNamed("led0");
        assertTrue(m.endsWith("(pirt boards show rpi-5 lists them with header numbers)"), m);
    }

    @Test
    void pinLookupByNameThrowsTheSameMessage() {
        BoardProfile profile = PROFILES.get("rpi-3b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> profile.pin("BTN0"));
        assertEquals(profile.noPinNamed("BTN0"), e.getMessage());
    }

    @Test
    void rangesJoinRunsOfThreeOrMoreInNumberOrder() {
        assertEquals("D0-D27", MissingPin.ranges(IntStream.rangeClosed(0, 27).mapToObj(i -> "D" + i).toList().reversed()));
        assertEquals("D1, D2, D4-D6, LED", MissingPin.ranges(List.of("D6", "LED", "D1", "D5", "D2", "D4")));
    }
}
