package io.pirt.examples.thermostat;

import io.pirt.hal.I2cBus;

/**
 * A Texas Instruments TMP102 temperature sensor on an I2C bus, as an application drives it:
 * its temperature register (pointer 0x00) holds the temperature as a 12-bit two's complement
 * number in the upper bits of a 16-bit word, most significant byte first, 0.0625 °C per step
 * (TMP102 datasheet, SBOS397, section 7.5.4: "Temperature Register"). Extended mode (13 bits,
 * bit 0 set) is told apart by that bit.
 */
final class Tmp102 {
    /** The address with ADD0 tied to ground, the common breakout board's default. */
    static final int DEFAULT_ADDRESS = 0x48;
    private static final int TEMPERATURE_REGISTER = 0x00;
    private static final double CELSIUS_PER_STEP = 0.0625;

    private final I2cBus bus;
    private final int address;

    Tmp102(I2cBus bus, int address) {
        this.bus = bus;
        this.address = address;
    }

    /** The temperature now, in °C. @throws io.pirt.hal.HalException if the sensor does not answer */
    double celsius() {
        return celsiusOf(bus.readRegisterWord(address, TEMPERATURE_REGISTER));
    }

    /** The temperature a temperature-register word stands for. */
    static double celsiusOf(int word) {
        boolean extended = (word & 1) != 0;
        int steps = extended ? (short) word >> 3 : (short) word >> 4; // the sign comes with the short
        return steps * CELSIUS_PER_STEP;
    }
}
