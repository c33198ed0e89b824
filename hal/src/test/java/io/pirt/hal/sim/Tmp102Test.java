package io.pirt.hal.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The simulated TMP102's registers, as its datasheet (TI SBOS397) describes them. */
class Tmp102Test {
    private final Tmp102 sensor = new Tmp102();

    private int readWord(int pointer) {
        byte[] in = new byte[2];
        sensor.transfer(new byte[] {(byte) pointer}, in);
        return (in[0] & 0xFF) << 8 | (in[1] & 0xFF);
    }

    private int readWordWithoutPointer() {
        byte[] in = new byte[2];
        sensor.transfer(new byte[0], in);
        return (in[0] & 0xFF) << 8 | (in[1] & 0xFF);
    }

    private void writeWord(int pointer, int value) {
        sensor.transfer(new byte[] {(byte) pointer, (byte) (value >> 8), (byte) value}, new byte[0]);
    }

    @Test
    void registersReadTheirPowerUpValuesAndTheDefaultTemperature() {
        assertEquals(0x1900, readWord(Tmp102.TEMPERATURE), "25 °C is 0x190 in 12 bits, left-aligned");
        assertEquals(0x60A0, readWord(Tmp102.CONFIG));
        assertEquals(0x4B00, readWord(Tmp102.T_LOW), "75 °C");
        assertEquals(0x5000, readWord(Tmp102.T_HIGH), "80 °C");
    }

    @Test
    void theDatasheetsTwelveBitTableIncludingNegativeTemperatures() {
        double[] celsius = {100, 80, 75, 50, 25, 0.25, 0, -0.25, -25, -55};
        int[] twelveBits = {0x640, 0x500, 0x4B0, 0x320, 0x190, 0x004, 0x000, 0xFFC, 0xE70, 0xC90};
        for (int i = 0; i < celsius.length; i++) {
            sensor.setTemperature(celsius[i]);
            int register = readWord(Tmp102.TEMPERATURE);
            assertEquals(twelveBits[i] << 4, register, celsius[i] + " °C");
            assertEquals(celsius[i], Tmp102.celsius(register), 1e-9);
        }
    }

    @Test
    void aTemperatureRoundsToTheNearestSixteenthAndSaturatesAtTwelveBitsEnd() {
        sensor.setTemperature(31.53);
        assertEquals(Math.round(31.53 * 16) << 4, readWord(Tmp102.TEMPERATURE), "31.5 °C: 504 sixteenths");
        sensor.setTemperature(-10.53);
        assertEquals(-10.5, Tmp102.celsius(readWord(Tmp102.TEMPERATURE)), 1e-9);
        sensor.setTemperature(150);
        assertEquals(0x7FF0, readWord(Tmp102.TEMPERATURE), "above 127.9375 °C the 12-bit format saturates (datasheet: 128 °C reads 7FF)");
    }

    @Test
    void thePointerStaysUntilTheNextWriteSoRepeatedReadsNeedNone() {
        assertEquals(0x60A0, readWord(Tmp102.CONFIG));
        assertEquals(0x60A0, readWordWithoutPointer(), "the pointer still names the configuration");
        sensor.transfer(new byte[] {Tmp102.T_HIGH}, new byte[0]); // a write of the pointer alone
        assertEquals(0x5000, readWordWithoutPointer());
    }

    @Test
    void aReadOfMoreThanTwoBytesRepeatsTheRegisterAndOneByteIsTheMsb() {
        byte[] in = new byte[5];
        sensor.transfer(new byte[] {Tmp102.T_LOW}, in);
        assertArrayEquals(new byte[] {0x4B, 0x00, 0x4B, 0x00, 0x4B}, in);
        byte[] one = new byte[1];
        sensor.transfer(new byte[] {Tmp102.TEMPERATURE}, one);
        assertEquals(0x19, one[0], "the MSB alone is whole degrees");
    }

    @Test
    void theTemperatureRegisterIsReadOnlyAndTheLimitsAreWritable() {
        writeWord(Tmp102.TEMPERATURE, 0x7FF0);
        assertEquals(0x1900, readWord(Tmp102.TEMPERATURE));
        writeWord(Tmp102.T_HIGH, 0x2D0F); // 45 °C; the low nibble is not part of the 12-bit format
        assertEquals(0x2D00, readWord(Tmp102.T_HIGH));
        writeWord(Tmp102.T_LOW, 0xE700); // -25 °C
        assertEquals(0xE700, readWord(Tmp102.T_LOW));
    }

    @Test
    void registersAreUpdatedByteByByteSoOneDataByteSetsTheMsbOnly() {
        sensor.transfer(new byte[] {Tmp102.T_HIGH, 0x3C}, new byte[0]);
        assertEquals(0x3C00, readWord(Tmp102.T_HIGH), "60 °C: the MSB changed, the LSB kept");
    }

    @Test
    void onlyTheConfigurationsWritableBitsChange() {
        writeWord(Tmp102.CONFIG, 0x0000); // would clear R1 R0 and AL, which are read-only
        assertEquals(0x6020, readWord(Tmp102.CONFIG), "R1 R0 stay 11, AL stays 1 (no alert, POL 0), CR goes to 0.25 Hz");
        writeWord(Tmp102.CONFIG, 0x1EF0); // F1 F0 POL TM; CR1 CR0, AL (read-only), EM
        assertEquals(0x7EF0 & ~0x0020, readWord(Tmp102.CONFIG) & ~0x0020, "F1 F0 POL TM, CR1 CR0 and EM are kept; AL is the comparator's");
    }

    @Test
    void extendedModeReadsThirteenBitsWithBitZeroSet() {
        writeWord(Tmp102.CONFIG, 0x60B0); // EM
        sensor.setTemperature(150);
        int register = readWord(Tmp102.TEMPERATURE);
        assertEquals((0x0960 << 3) | 1, register, "the datasheet's 13-bit table: 150 °C is 0960h");
        assertEquals(150.0, Tmp102.celsius(register), 1e-9);
        sensor.setTemperature(-55);
        assertEquals((0x1C90 << 3 | 1) & 0xFFFF, readWord(Tmp102.TEMPERATURE), "-55 °C is 1C90h in 13 bits");
    }

    @Test
    void inShutdownTheRegisterHoldsUntilAOneShotThenOsReadsOne() {
        sensor.setTemperature(20);
        writeWord(Tmp102.CONFIG, 0x61A0); // SD
        sensor.setTemperature(30);
        assertEquals(20.0, Tmp102.celsius(readWord(Tmp102.TEMPERATURE)), 1e-9, "no conversion in shutdown");
        assertEquals(0, readWord(Tmp102.CONFIG) & 0x8000, "OS reads 0 before a one-shot");
        writeWord(Tmp102.CONFIG, 0xE1A0); // SD and OS: one conversion
        assertEquals(30.0, Tmp102.celsius(readWord(Tmp102.TEMPERATURE)), 1e-9);
        assertEquals(0x8000, readWord(Tmp102.CONFIG) & 0x8000, "OS reads 1 once the one-shot conversion is done");
        writeWord(Tmp102.CONFIG, 0x60A0); // continuous again
        sensor.setTemperature(31);
        assertEquals(31.0, Tmp102.celsius(readWord(Tmp102.TEMPERATURE)), 1e-9);
    }

    @Test
    void alIsTheComparatorFromThighUntilBelowTlowInvertedByPol() {
        int al = 0x0020;
        sensor.setTemperature(79.9375);
        assertEquals(al, readWord(Tmp102.CONFIG) & al, "POL 0: AL reads 1 while no alert");
        sensor.setTemperature(80);
        assertEquals(0, readWord(Tmp102.CONFIG) & al, "at THIGH the comparator is active: AL reads 0");
        sensor.setTemperature(75);
        assertEquals(0, readWord(Tmp102.CONFIG) & al, "still active down to TLOW (hysteresis)");
        sensor.setTemperature(74.9375);
        assertEquals(al, readWord(Tmp102.CONFIG) & al, "below TLOW it clears");
        writeWord(Tmp102.CONFIG, 0x64A0); // POL 1
        assertEquals(0, readWord(Tmp102.CONFIG) & al, "POL 1 inverts the bit");
    }

    @Test
    void aTemperatureOutsideTheSensorsRangeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sensor.setTemperature(151));
        assertTrue(e.getMessage().contains("-55 to 150 °C"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sensor.setTemperature(Double.NaN));
        assertEquals(25.0, sensor.temperatureCelsius(), "a refused temperature changes nothing");
    }
}
