package io.pirt.hal.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.hal.Board;
import io.pirt.hal.GpioPin;
import io.pirt.hal.HalException;
import io.pirt.hal.I2cBus;
import io.pirt.hal.PinMode;
import io.pirt.hal.PwmChannel;
import io.pirt.hal.SpiDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated board's buses through the application's API: Board.i2c, Board.spi and Board.pwm on a wired virtual board. */
class SimulatedBusesTest {
    private static final BoardProfile VIRTUAL = BoardProfiles.builtIn().get("virtual");

    @TempDir
    Path dir;
    private Board board;
    private SimulatedBuses sim;

    @BeforeEach
    void openBoard() throws IOException {
        Path wiring = Files.writeString(dir.resolve("rig.wiring"), "tmp102 i2c-1 0x48\nmcp3008 spi0.0 3.3\n");
        board = Board.open(VIRTUAL, Optional.of(wiring));
        sim = board.simulatedBuses().orElseThrow();
    }

    @AfterEach
    void closeBoard() {
        board.close();
    }

    @Test
    void theTmp102ReadsTwentyFiveDegreesUntilSetThenWhatWasSet() {
        try (I2cBus bus = board.i2c("i2c-1")) {
            assertEquals(25.0 * 16 * 16, bus.readRegisterWord(0x48, 0));
            sim.setTemperature("i2c-1", 0x48, -12.25);
            assertEquals(-12.25, (short) bus.readRegisterWord(0x48, 0) / 256.0, 1e-9, "two's complement, 1/16 °C in bits 15..4");
            assertEquals(-12.25, sim.temperature("i2c-1", 0x48));
            bus.writeRegisterWord(0x48, 3, 0x1E00); // THIGH 30 °C
            assertEquals(0x1E00, bus.readRegisterWord(0x48, 3));
            assertEquals(0x1E, bus.read(0x48, 2)[0], "a read without a pointer reads the register last pointed at: THIGH");
        }
    }

    @Test
    void anAddressWithNoDeviceFailsAsTheKernelsNack() {
        try (I2cBus bus = board.i2c("i2c-1")) {
            HalException e = assertThrows(HalException.class, () -> bus.readRegisterWord(0x49, 0));
            assertTrue(e.getMessage().startsWith("i2c-1: no device answered at address 0x49 (the simulated board's wiring puts a TMP102 at 0x48"),
                    e.getMessage());
        }
    }

    @Test
    void settingASensorThatIsNotWiredListsTheDevicesThatAre() {
        HalException e = assertThrows(HalException.class, () -> sim.setTemperature("i2c-1", 0x4A, 20));
        assertEquals("no TMP102 is wired at 0x4a on i2c-1; the wiring has a TMP102 at 0x48 on i2c-1, an MCP3008 on spi0.0", e.getMessage());
        e = assertThrows(HalException.class, () -> sim.setVoltage("spi0.1", 0, 1));
        assertTrue(e.getMessage().startsWith("no MCP3008 is wired on spi0.1; the wiring has"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sim.setTemperature("i2c-1", 0x48, 200));
    }

    @Test
    void theMcp3008ConvertsTheVoltageSetOnTheChannelAsked() {
        sim.setVoltage("spi0.0", 3, 1.65);
        try (SpiDevice adc = board.spi("spi0.0")) {
            byte[] rx = adc.transfer((byte) 0x01, (byte) (0x80 | 3 << 4), (byte) 0x00);
            assertEquals(512, (rx[1] & 3) << 8 | (rx[2] & 0xFF));
            rx = adc.transfer((byte) 0x01, (byte) (0x80 | 2 << 4), (byte) 0x00);
            assertEquals(0, (rx[1] & 3) << 8 | (rx[2] & 0xFF), "channel 2 is at 0 V until set");
            adc.configure(1, 8, 1_000_000);
            HalException e = assertThrows(HalException.class, () -> adc.transfer((byte) 0x01, (byte) 0x80, (byte) 0));
            assertTrue(e.getMessage().startsWith("spi0.0: an MCP3008 speaks SPI modes 0 and 3 only"), e.getMessage());
            e = assertThrows(HalException.class, () -> adc.configure(0, 16, 1_000_000));
            assertTrue(e.getMessage().contains("8-bit words only"), e.getMessage());
        }
    }

    @Test
    void anSpiDeviceWithNothingWiredReadsZeros() {
        try (Board unwired = Board.open(VIRTUAL, Optional.empty()); SpiDevice spi = unwired.spi("spi0.0")) {
            assertArrayEquals(new byte[3], spi.transfer((byte) 0x01, (byte) 0x80, (byte) 0x00));
        }
    }

    @Test
    void eachPwmChangeIsInTheTimelineAndClosingRecordsItOff() {
        assertFalse(sim.pwm("PWM0").open());
        assertEquals(List.of(), sim.pwm("PWM0").changes());
        long before = System.nanoTime();
        try (PwmChannel fan = board.pwm("PWM0")) {
            fan.setFrequencyHz(25_000);
            fan.setDuty(0.4);
            fan.enable();
            PwmState s = sim.pwm("D18");
            assertTrue(s.open() && s.enabled());
            assertEquals(40_000, s.periodNs());
            assertEquals(16_000, s.dutyNs());
            assertEquals(0.4, s.duty(), 1e-9);
            assertEquals(25_000, s.frequencyHz(), 1e-6);
            assertEquals(List.of(false, false, false, true), s.changes().stream().map(PwmState.Change::enabled).toList(),
                    "opened off, then period, duty, on");
            assertTrue(s.changes().get(0).nanos() >= before);
        }
        PwmState closed = sim.pwm("PWM0");
        assertFalse(closed.open() || closed.enabled());
        PwmState.Change last = closed.changes().get(closed.changes().size() - 1);
        assertEquals(new PwmState.Change(last.nanos(), 40_000, 16_000, false), last, "closing stops the output, period and duty as they were");
        assertEquals(List.of("PWM0", "PWM1"), sim.pwmStates().stream().map(PwmState::channel).toList());
    }

    @Test
    void theTimelineKeepsTheLastThousandChangesAndCountsTheRest() {
        try (PwmChannel led = board.pwm("PWM1")) {
            for (int i = 0; i <= 1100; i++) led.setDutyNanos(i);
        }
        PwmState s = sim.pwm("PWM1");
        assertEquals(SimulatedBuses.PWM_TIMELINE_CAPACITY, s.changes().size());
        assertEquals(1 + 1101 + 1 - SimulatedBuses.PWM_TIMELINE_CAPACITY, s.earlierChanges(), "open, 1101 sets, close");
        assertEquals(1100, s.changes().get(s.changes().size() - 2).dutyNs(), "the newest are kept, in order");
        assertEquals(1099, s.changes().get(s.changes().size() - 3).dutyNs());
    }

    @Test
    void anOpenChannelTakesItsPinAndAnOpenPinItsChannel() {
        PwmChannel channel = board.pwm("D18");
        assertEquals("PWM0", channel.name(), "a channel opens by its pin too");
        HalException e = assertThrows(HalException.class, () -> board.pin("D18", PinMode.OUTPUT));
        assertTrue(e.getMessage().contains("in use by PWM channel PWM0"), e.getMessage());
        e = assertThrows(HalException.class, () -> board.pwm("PWM0"));
        assertTrue(e.getMessage().contains("already open"), e.getMessage());
        channel.close();
        try (GpioPin pin = board.pin("D18", PinMode.OUTPUT)) {
            e = assertThrows(HalException.class, () -> board.pwm("PWM0"));
            assertTrue(e.getMessage().contains("is open as GPIO"), e.getMessage());
        }
        board.pwm("PWM0").close(); // free again once the pin is closed
    }

    @Test
    void aPwmChannelTheProfileDoesNotHaveIsNamedWithThoseItHas() {
        HalException e = assertThrows(HalException.class, () -> sim.pwm("PWM7"));
        assertEquals("board virtual has no PWM channel 'PWM7'; it has PWM0, PWM1", e.getMessage());
    }
}
