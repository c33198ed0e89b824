package io.pirt.hal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Board.open(profile, wiring): the backend comes from the profile's gpio.provider. */
class BoardBackendTest {
    private static final BoardProfile VIRTUAL = BoardProfiles.builtIn().get("virtual");

    @Test
    void aSimProfileOpensTheSimulatedBoardWithTheWiringFile(@TempDir Path dir) throws IOException {
        Path wiring = Files.writeString(dir.resolve("rig.wiring"), "button BTN0 D27 low\n");
        try (Board board = Board.open(VIRTUAL, Optional.of(wiring))) {
            assertTrue(board.simulation().isPresent());
            board.simulation().get().press("BTN0");
            try (GpioPin button = board.pin("BTN0", PinMode.INPUT_PULLUP)) {
                assertFalse(button.read(), "the wired button pulls its line low while pressed");
            }
        }
    }

    @Test
    void aSimProfileWithoutWiringOpensAnUnwiredSimulatedBoard() {
        try (Board board = Board.open(VIRTUAL, Optional.empty())) {
            assertTrue(board.simulation().isPresent());
            try (GpioPin pin = board.pin("D17", PinMode.INPUT_PULLUP)) {
                assertTrue(pin.read());
            }
        }
    }

    @Test
    void aSimulatedBoardsGpioIsNeverUnavailable() {
        assertEquals(Optional.empty(), Board.gpioUnavailable(VIRTUAL));
    }
}
