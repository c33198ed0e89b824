package io.pirt.examples.everyboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.hal.Board;
import io.pirt.hal.GpioPin;
import io.pirt.hal.PinMode;
import io.pirt.hal.sim.SimulatedGpio;
import io.pirt.hal.sim.Wiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The example's periods on a simulated board, in process: what it drives, reads and prints. */
class EveryBoardTest {
    private static final BoardProfiles PROFILES = BoardProfiles.builtIn();

    @Test
    void eachPeriodFlipsTheOutputAndTheLedAndReadsTheJumperedInput() {
        BoardProfile virtual = PROFILES.get("virtual");
        SimulatedGpio sim = new SimulatedGpio(virtual, Wiring.parse("as pirt sim", List.of("jumper D22 D23", "led LED0 D17"), virtual));
        try (Board board = Board.open(virtual, sim)) {
            List<String> said = new ArrayList<>();
            GpioPin led = EveryBoard.openStatusLed(board, said::add).orElseThrow();
            assertEquals(List.of("status LED D17 blinks with D22"), said);
            GpioPin out = board.pin(EveryBoard.OUTPUT_PIN, PinMode.OUTPUT);
            GpioPin in = board.pin(EveryBoard.INPUT_PIN, PinMode.INPUT_PULLDOWN);
            assertEquals("tick 1: D22 high, D23 reads high, LED D17 on; woke 12 us late", EveryBoard.tick(1, out, in, led, 12_345));
            assertTrue(sim.isLit("LED0"));
            assertEquals("tick 2: D22 low, D23 reads low, LED D17 off; woke 0 us late", EveryBoard.tick(2, out, in, led, 0));
            assertFalse(sim.isLit("LED0"));
        }
    }

    @Test
    void withoutAJumperTheInputReadsLowAndWithoutAnLedTheLineSaysNothingOfIt() {
        BoardProfile virtual = PROFILES.get("virtual");
        try (Board board = Board.open(virtual, new SimulatedGpio(virtual, Wiring.none()))) {
            GpioPin out = board.pin(EveryBoard.OUTPUT_PIN, PinMode.OUTPUT);
            GpioPin in = board.pin(EveryBoard.INPUT_PIN, PinMode.INPUT_PULLDOWN);
            assertEquals("tick 1: D22 high, D23 reads low; woke 0 us late", EveryBoard.tick(1, out, in, null, 0));
        }
    }

    /** As on QEMU's emulated 3 B, whose /sys/class/leds is empty: the example carries on and says why. */
    @Test
    void aStatusLedTheKernelDoesNotHaveIsSaidAndLeftOut() {
        assumeFalse(Files.exists(Path.of("/sys/class/leds/ACT")) || Files.exists(Path.of("/sys/class/leds/led0")),
                "this machine has a kernel LED ACT or led0 (a Raspberry Pi): the LED would open");
        BoardProfile pi3 = PROFILES.get("rpi-3b");
        try (Board board = Board.open(pi3, new SimulatedGpio(pi3, Wiring.none()))) {
            List<String> said = new ArrayList<>();
            Optional<GpioPin> led = EveryBoard.openStatusLed(board, said::add);
            assertTrue(led.isEmpty());
            assertEquals(1, said.size(), said::toString);
            assertTrue(said.get(0).startsWith("status LED ACT cannot be used, carrying on without it: ACT is the kernel LED ACT,"
                    + " but none of /sys/class/leds/ACT, /sys/class/leds/led0 exists"), said::toString);
        }
    }
}
