package io.pirt.examples.thermostat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The control law and the sensor's number format, without a board. */
class FanLawTest {
    @Test
    void theFanIsOffWhenCoolFullWhenHotAndInProportionBetween() {
        assertEquals(0.0, FanLaw.dutyFor(-40), 0);
        assertEquals(0.0, FanLaw.dutyFor(25), 0);
        assertEquals(0.5, FanLaw.dutyFor(30), 1e-9);
        assertEquals(1.0, FanLaw.dutyFor(35), 0);
        assertEquals(1.0, FanLaw.dutyFor(120), 0);
    }

    @Test
    void temperatureWordsReadAsTheDatasheetsTableSays() {
        // TMP102 datasheet, Table 7.5.4 "Temperature Data Format (Normal Mode)"
        assertEquals(127.9375, Tmp102.celsiusOf(0x7FF0), 0);
        assertEquals(100.0, Tmp102.celsiusOf(0x6400), 0);
        assertEquals(25.0, Tmp102.celsiusOf(0x1900), 0);
        assertEquals(0.0625, Tmp102.celsiusOf(0x0010), 0);
        assertEquals(0.0, Tmp102.celsiusOf(0x0000), 0);
        assertEquals(-0.25, Tmp102.celsiusOf(0xFFC0), 0);
        assertEquals(-25.0, Tmp102.celsiusOf(0xE700), 0);
        assertEquals(-55.0, Tmp102.celsiusOf(0xC900), 0);
        // extended mode (13 bits, bit 0 set): 150 °C is 0x0960 in 13 bits, 0x4B01 in the register
        assertEquals(150.0, Tmp102.celsiusOf(0x4B01), 0);
    }
}
