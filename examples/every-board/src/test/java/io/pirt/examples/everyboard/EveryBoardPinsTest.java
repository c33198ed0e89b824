package io.pirt.examples.everyboard;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.boards.Capability;
import io.pirt.boards.Pin;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every built-in profile has what the example names, so a new or changed profile cannot
 * break "runs on every built-in board as shipped" without this test failing.
 */
class EveryBoardPinsTest {
    private static final List<BoardProfile> BUILT_IN = BoardProfiles.builtIn().all();

    @Test
    void everyBuiltInBoardHasTheHeaderPinsAsGpio() {
        assertTrue(BUILT_IN.size() >= 7, "the built-in profiles: " + BUILT_IN);
        for (BoardProfile profile : BUILT_IN) {
            for (String name : List.of(EveryBoard.OUTPUT_PIN, EveryBoard.INPUT_PIN)) {
                Pin pin = profile.pin(name); // throws, naming the board, if it has no such pin
                assertTrue(pin.has(Capability.GPIO), profile.id() + " " + name + ": " + pin.capabilities());
                assertTrue(pin.header().isPresent(), profile.id() + " " + name + " is on the header");
                assertTrue(pin.kernelDriver().isEmpty(), profile.id() + " " + name + " is held by " + pin.kernelDriver());
            }
        }
    }

    @Test
    void everyBuiltInBoardNamesAStatusLed() {
        for (BoardProfile profile : BUILT_IN) {
            assertTrue(profile.statusLed().isPresent() || profile.statusLedDevice().isPresent(),
                    profile.id() + " has no status LED: " + profile.statusLedNote());
        }
    }
}
