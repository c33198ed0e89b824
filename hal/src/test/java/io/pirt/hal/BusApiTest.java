package io.pirt.hal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.boards.I2cBusSpec;
import io.pirt.boards.PwmChannelSpec;
import io.pirt.boards.SpiDeviceSpec;
import io.pirt.hal.sim.SimulatedGpio;
import io.pirt.hal.sim.Wiring;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * I2cBus, SpiDevice and PwmChannel over a backend that records what it is asked: the
 * arguments they check, what they pass down, the pins a PWM channel takes.
 */
class BusApiTest {
    private static final BoardProfile VIRTUAL = BoardProfiles.builtIn().get("virtual");
    private final RecordingBuses buses = new RecordingBuses();
    private final Board board = Board.open(VIRTUAL, new SimulatedGpio(VIRTUAL, Wiring.none()), buses);

    @AfterEach
    void closeBoard() {
        board.close();
    }

    @Test
    void aWriteThenReadIsOneTransactionWithTheDefaultTimeout() {
        buses.i2cAnswer = new byte[] {0x19, 0x20};
        I2cBus bus = board.i2c("i2c-1");
        assertArrayEquals(new byte[] {0x19, 0x20}, bus.writeRead(0x48, new byte[] {0x00}, 2));
        assertEquals(List.of("i2c-1 @0x48 write 00 read 2 in 1000 ms"), buses.calls);
    }

    @Test
    void registerWordsAreMostSignificantByteFirst() {
        buses.i2cAnswer = new byte[] {(byte) 0xE7, 0x00};
        I2cBus bus = board.i2c("i2c-1");
        assertEquals(0xE700, bus.readRegisterWord(0x48, 0));
        bus.writeRegisterWord(0x48, 0x02, 0x4B00);
        bus.writeRegister(0x48, 0x01, 0x60);
        buses.i2cAnswer = new byte[] {0x19};
        assertEquals(0x19, bus.readRegister(0x48, 0x03));
        assertEquals(List.of("i2c-1 @0x48 write 00 read 2 in 1000 ms", "i2c-1 @0x48 write 024b00 read 0 in 1000 ms",
                "i2c-1 @0x48 write 0160 read 0 in 1000 ms", "i2c-1 @0x48 write 03 read 1 in 1000 ms"), buses.calls);
    }

    @Test
    void aCallMayNameItsOwnTimeout() {
        I2cBus bus = board.i2c("i2c-1");
        bus.write(0x10, new byte[] {1}, 25);
        bus.read(0x10, 3, 40);
        assertEquals(List.of("i2c-1 @0x10 write 01 read 0 in 25 ms", "i2c-1 @0x10 write  read 3 in 40 ms"), buses.calls);
    }

    @Test
    void badAddressesLengthsAndTimeoutsAreRefusedBeforeTheBus() {
        I2cBus bus = board.i2c("i2c-1");
        assertEquals("I2C address 0x80 is not a 7-bit address (0x00 to 0x7f)",
                assertThrows(IllegalArgumentException.class, () -> bus.write(0x80, (byte) 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> bus.write(-1, (byte) 1));
        assertThrows(IllegalArgumentException.class, () -> bus.write(0x48));
        assertThrows(IllegalArgumentException.class, () -> bus.read(0x48, 0));
        assertThrows(IllegalArgumentException.class, () -> bus.read(0x48, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> bus.writeRegister(0x48, 256, 0));
        assertThrows(IllegalArgumentException.class, () -> bus.writeRegister(0x48, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> bus.writeRegisterWord(0x48, 1, 0x10000));
        assertEquals(List.of(), buses.calls, "nothing reached the bus");
    }

    @Test
    void theBackendsErrorReachesTheCallerAsItIs() {
        buses.i2cError = new HalException("i2c-1 (/dev/i2c-1): no device answered at address 0x49");
        I2cBus bus = board.i2c("i2c-1");
        assertEquals("i2c-1 (/dev/i2c-1): no device answered at address 0x49",
                assertThrows(HalException.class, () -> bus.readRegister(0x49, 0)).getMessage());
    }

    @Test
    void aClosedBusSaysHowToOpenItAgainAndSeveralHandlesMayShareABus() {
        I2cBus first = board.i2c("i2c-1");
        I2cBus second = board.i2c("i2c-1");
        first.close();
        first.close(); // twice is harmless
        assertEquals("I2C bus i2c-1 was closed; open it again with Board.i2c()",
                assertThrows(HalException.class, () -> first.write(0x48, (byte) 0)).getMessage());
        second.write(0x48, (byte) 0);
        assertEquals(1, buses.closed.size());
    }

    @Test
    void anUnknownNameListsWhatTheBoardHas() {
        assertEquals("board virtual has no I2C bus named 'i2c-0'; it has i2c-1",
                assertThrows(HalException.class, () -> board.i2c("i2c-0")).getMessage());
        assertTrue(assertThrows(HalException.class, () -> board.spi("spi1.0")).getMessage()
                .startsWith("board virtual has no SPI device named 'spi1.0'; it has spi0.0"));
        assertTrue(assertThrows(HalException.class, () -> board.pwm("PWM7")).getMessage()
                .startsWith("board virtual has no PWM channel named 'PWM7'; it has PWM0"));
    }

    @Test
    void anSpiDeviceIsConfiguredThenTransfersFullDuplex() {
        buses.spiAnswer = new byte[] {0, 1, (byte) 0xFF};
        SpiDevice adc = board.spi("spi0.0");
        assertEquals(0, adc.mode());
        assertEquals(8, adc.bitsPerWord());
        assertEquals(SpiDevice.DEFAULT_SPEED_HZ, adc.speedHz());
        adc.configure(3, 8, 1_350_000);
        assertArrayEquals(new byte[] {0, 1, (byte) 0xFF}, adc.transfer((byte) 1, (byte) 0x80, (byte) 0));
        assertEquals(3, adc.mode());
        assertEquals(1_350_000, adc.speedHz());
        assertEquals(List.of("spi0.0 mode 3 bits 8 speed 1350000", "spi0.0 tx 018000"), buses.calls);
    }

    @Test
    void badSpiSettingsAndLengthsAreRefused() {
        SpiDevice adc = board.spi("spi0.0");
        assertThrows(IllegalArgumentException.class, () -> adc.configure(4, 8, 1000));
        assertThrows(IllegalArgumentException.class, () -> adc.configure(0, 0, 1000));
        assertThrows(IllegalArgumentException.class, () -> adc.configure(0, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> adc.transfer(new byte[2], new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> adc.transfer());
        assertEquals(List.of(), buses.calls);
        assertEquals(0, adc.mode(), "a refused setting left the device as it was");
    }

    @Test
    void anSpiDeviceHasOneHolderUntilClosed() {
        SpiDevice adc = board.spi("spi0.0");
        assertEquals("SPI device spi0.0 is already open; close it before opening it again",
                assertThrows(HalException.class, () -> board.spi("spi0.0")).getMessage());
        adc.close();
        board.spi("spi0.0").close();
    }

    @Test
    void aPwmChannelOpensOffAndKeepsTheDutysFractionAcrossFrequencies() {
        PwmChannel fan = board.pwm("PWM0");
        assertEquals("D18", fan.pin());
        assertFalse(fan.isEnabled());
        assertEquals(PwmChannel.DEFAULT_PERIOD_NS, fan.periodNanos());
        fan.setDuty(0.25);
        fan.enable();
        fan.setFrequencyHz(25_000);
        assertEquals(40_000, fan.periodNanos());
        assertEquals(10_000, fan.dutyNanos());
        assertEquals(0.25, fan.duty(), 1e-9);
        fan.disable();
        assertEquals(List.of("PWM0 period 1000000 duty 250000 off", "PWM0 period 1000000 duty 250000 on",
                "PWM0 period 40000 duty 10000 on", "PWM0 period 40000 duty 10000 off"), buses.calls);
    }

    @Test
    void zerynthsWriteSetsPeriodAndPulseAndStarts() {
        PwmChannel servo = board.pwm("D18");
        servo.write(20_000_000, 1_500_000);
        assertTrue(servo.isEnabled());
        assertEquals(50.0, servo.frequencyHz(), 1e-9);
        assertEquals(List.of("PWM0 period 20000000 duty 1500000 on"), buses.calls);
        assertThrows(IllegalArgumentException.class, () -> servo.write(1000, 1001));
        assertThrows(IllegalArgumentException.class, () -> servo.setDuty(1.5));
        assertThrows(IllegalArgumentException.class, () -> servo.setDuty(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> servo.setDutyNanos(20_000_001));
        assertThrows(IllegalArgumentException.class, () -> servo.setFrequencyHz(0));
        assertEquals(1, buses.calls.size(), "refused values reached nothing");
    }

    @Test
    void aRefusedChangeLeavesTheChannelAsTheOutputIs() {
        PwmChannel fan = board.pwm("PWM0");
        buses.pwmError = new HalException("PWM0: the kernel refused period 10");
        assertThrows(HalException.class, () -> fan.setPeriodNanos(10));
        assertEquals(PwmChannel.DEFAULT_PERIOD_NS, fan.periodNanos());
    }

    @Test
    void aPwmChannelTakesItsPinWhileOpen() {
        PwmChannel fan = board.pwm("PWM0");
        assertEquals("pin D18 is in use by PWM channel PWM0; close the channel before opening the pin as GPIO",
                assertThrows(HalException.class, () -> board.pin("D18", PinMode.OUTPUT)).getMessage());
        assertEquals("PWM channel PWM0 is already open; close it before opening it again",
                assertThrows(HalException.class, () -> board.pwm("D18")).getMessage());
        fan.close();
        GpioPin pin = board.pin("D18", PinMode.OUTPUT);
        assertEquals("pin D18 of PWM channel PWM0 is open as GPIO (OUTPUT); close the pin before opening the channel",
                assertThrows(HalException.class, () -> board.pwm("PWM0")).getMessage());
        pin.close();
        board.pwm("PWM0").close();
    }

    @Test
    void closingTheBoardClosesWhatIsOpenOnIt() {
        board.i2c("i2c-1");
        board.spi("spi0.0");
        board.pwm("PWM1");
        board.close();
        assertEquals(List.of("PWM1", "spi0.0", "i2c-1"), buses.closed);
        assertTrue(buses.backendClosed);
    }

    /** Records each call as a line; answers reads with {@code i2cAnswer} / {@code spiAnswer}. */
    private static final class RecordingBuses implements Buses {
        final List<String> calls = new ArrayList<>();
        final List<String> closed = new ArrayList<>();
        byte[] i2cAnswer = new byte[0];
        byte[] spiAnswer = new byte[0];
        HalException i2cError;
        HalException pwmError;
        boolean backendClosed;

        @Override
        public I2cTransfers openI2c(I2cBusSpec bus) {
            return new I2cTransfers() {
                @Override
                public void transfer(int address, byte[] write, byte[] read, long timeoutMs) {
                    if (i2cError != null) throw i2cError;
                    calls.add(bus.name() + " @" + I2cBus.formatAddress(address) + " write " + HexFormat.of().formatHex(write) + " read "
                            + read.length + " in " + timeoutMs + " ms");
                    System.arraycopy(i2cAnswer, 0, read, 0, Math.min(read.length, i2cAnswer.length));
                }

                @Override
                public void close() {
                    closed.add(bus.name());
                }
            };
        }

        @Override
        public SpiTransfers openSpi(SpiDeviceSpec device) {
            return new SpiTransfers() {
                @Override
                public void configure(int mode, int bitsPerWord, int speedHz) {
                    calls.add(device.name() + " mode " + mode + " bits " + bitsPerWord + " speed " + speedHz);
                }

                @Override
                public void transfer(byte[] tx, byte[] rx) {
                    calls.add(device.name() + " tx " + HexFormat.of().formatHex(tx));
                    System.arraycopy(spiAnswer, 0, rx, 0, Math.min(rx.length, spiAnswer.length));
                }

                @Override
                public void close() {
                    closed.add(device.name());
                }
            };
        }

        @Override
        public PwmOutput openPwm(PwmChannelSpec channel) {
            return new PwmOutput() {
                @Override
                public void set(long periodNs, long dutyNs, boolean enabled) {
                    if (pwmError != null) throw pwmError;
                    calls.add(channel.name() + " period " + periodNs + " duty " + dutyNs + (enabled ? " on" : " off"));
                }

                @Override
                public void close() {
                    closed.add(channel.name());
                }
            };
        }

        @Override
        public void close() {
            backendClosed = true;
        }
    }
}
