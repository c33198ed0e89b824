package io.pirt.hal.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The simulated MCP3008's SPI protocol and conversion, as its datasheet (Microchip DS21295) describes them. */
class Mcp3008Test {
    private final Mcp3008 adc = new Mcp3008(3.3);

    /** The usual three-byte exchange: start bit, SGL + channel, a byte to clock the rest out. */
    private int readSingleEnded(int channel) {
        byte[] rx = new byte[3];
        adc.transfer(0, new byte[] {0x01, (byte) (0x80 | channel << 4), 0x00}, rx);
        assertEquals(0, rx[0], "DOUT is high-impedance (read low) until the null bit");
        assertEquals(0, rx[1] & 0xFC, "the sample clock and the null bit read 0");
        return (rx[1] & 3) << 8 | (rx[2] & 0xFF);
    }

    @Test
    void theResultIs1024TimesVinOverVrefRoundedDownAtMost1023() {
        adc.setVoltage(0, 1.65);
        assertEquals(512, readSingleEnded(0), "half the reference");
        adc.setVoltage(0, 3.3);
        assertEquals(1023, readSingleEnded(0), "the reference itself reads 3FFh");
        adc.setVoltage(0, 3.3 - 3.3 / 1024);
        assertEquals(1023, readSingleEnded(0), "3FFh from VREF - 1 LSB");
        adc.setVoltage(0, 1.0);
        assertEquals(310, readSingleEnded(0), "1024 * 1.0 / 3.3 = 310.3");
        adc.setVoltage(0, 0);
        assertEquals(0, readSingleEnded(0));
    }

    @Test
    void eachChannelIsSelectedByD2D1D0() {
        for (int ch = 0; ch < Mcp3008.CHANNELS; ch++) adc.setVoltage(ch, 0.1 * (ch + 1));
        for (int ch = 0; ch < Mcp3008.CHANNELS; ch++) {
            assertEquals((int) Math.floor(1024 * 0.1 * (ch + 1) / 3.3 + 1e-9), readSingleEnded(ch), "channel " + ch);
        }
    }

    @Test
    void leadingZerosBeforeTheStartBitShiftTheAnswerWithIt() {
        adc.setVoltage(5, 2.0); // 620
        byte[] rx = new byte[4];
        // start bit at bit 15 instead of 7: one byte later
        adc.transfer(0, new byte[] {0x00, 0x01, (byte) (0x80 | 5 << 4), 0x00}, rx);
        assertEquals(620, (rx[2] & 3) << 8 | (rx[3] & 0xFF));
        // the five-bit command right after a start bit in the first byte's low bits: 0b00011101 = start, SGL, D2 D1 D0 = 5
        byte[] rx2 = new byte[3];
        adc.transfer(0, new byte[] {0x1D, 0x00, 0x00}, rx2);
        // start at bit 3: sample at 8, null at 9, B9 at 10 .. B0 at 19
        int result = ((rx2[1] & 0x3F) << 4) | ((rx2[2] & 0xF0) >> 4);
        assertEquals(620, result);
    }

    @Test
    void furtherClocksSendTheResultLsbFirstThenZeros() {
        adc.setVoltage(0, 1.0); // 310 = 01 0011 0110
        byte[] rx = new byte[5];
        adc.transfer(0, new byte[] {0x01, (byte) 0x80, 0, 0, 0}, rx);
        // bits 14..23: B9..B0; 24..32: B1..B9; then zeros
        int lsbFirst = 0;
        for (int b = 1; b <= 9; b++) {
            int bit = 23 + b;
            if ((rx[bit / 8] & (0x80 >> (bit % 8))) != 0) lsbFirst |= 1 << b;
        }
        assertEquals(310 & ~1, lsbFirst, "B1 to B9 again, least significant first");
        assertEquals(0, rx[4] & 0x7F, "zeros after B9");
    }

    @Test
    void differentialPairsSubtractAndANegativeDifferenceReadsZero() {
        adc.setVoltage(2, 2.0);
        adc.setVoltage(3, 0.5);
        byte[] rx = new byte[3];
        adc.transfer(0, new byte[] {0x01, (byte) (0b0010 << 4), 0}, rx); // DIFF, D2 D1 D0 = 010: CH2 = IN+, CH3 = IN-
        assertEquals((int) Math.floor(1024 * 1.5 / 3.3), (rx[1] & 3) << 8 | (rx[2] & 0xFF));
        adc.transfer(0, new byte[] {0x01, (byte) (0b0011 << 4), 0}, rx); // 011: CH2 = IN-, CH3 = IN+
        assertEquals(0, (rx[1] & 3) << 8 | (rx[2] & 0xFF), "IN+ below IN- reads 000h");
    }

    @Test
    void aTransferEndingBeforeTheCommandReadsNothingButZeros() {
        adc.setVoltage(0, 3.3);
        byte[] rx = new byte[] {1, 1};
        adc.transfer(0, new byte[] {0x00, 0x01}, rx);
        assertArrayEquals(new byte[] {0, 0}, rx);
    }

    @Test
    void mode3WorksAndModes1And2AreRefused() {
        adc.setVoltage(0, 1.65);
        byte[] rx = new byte[3];
        adc.transfer(3, new byte[] {0x01, (byte) 0x80, 0}, rx);
        assertEquals(512, (rx[1] & 3) << 8 | (rx[2] & 0xFF));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adc.transfer(1, new byte[3], new byte[3]));
        assertTrue(e.getMessage().contains("modes 0 and 3"), e.getMessage());
    }

    @Test
    void voltagesOutsideTheReferenceAndChannelsPast7AreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adc.setVoltage(0, 3.4));
        assertTrue(e.getMessage().contains("0 to 3.3 V"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> adc.setVoltage(0, -0.1));
        e = assertThrows(IllegalArgumentException.class, () -> adc.setVoltage(8, 1));
        assertTrue(e.getMessage().contains("channels 0 to 7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Mcp3008(6.0));
    }
}
