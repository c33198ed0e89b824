package io.pirt.hal.sim;

/**
 * A TMP102 temperature sensor on a simulated I2C bus, modelled after its datasheet (TI
 * SBOS397): four 16-bit registers sent most significant byte first, chosen by a pointer.
 * Not thread-safe: the {@link SimulatedBuses} that holds it calls it with its lock held.
 *
 * <p>Implementation notes. A transaction's first written byte sets the pointer (its two low
 * bits: 0 temperature, 1 configuration, 2 T<sub>LOW</sub>, 3 T<sub>HIGH</sub>; the pointer
 * stays until the next write, so repeated reads need no pointer byte). Further written bytes
 * update the pointed register byte by byte, as the datasheet says (one data byte updates the
 * MSB only; bytes past the second are ignored); the temperature register is read-only. A read
 * returns the pointed register, MSB then LSB, and repeats them if more bytes are read (the
 * datasheet does not say; a register device without auto-increment does that).
 *
 * <p>The temperature register holds the last conversion: 12 bits of two's complement at
 * 0.0625 °C in bits 15..4, or 13 bits in bits 15..3 with bit 0 set when the configuration's EM
 * bit is set; a conversion rounds to the nearest step and saturates at the format's ends
 * (127.9375 °C in 12 bits). Conversions are instantaneous: in continuous mode the register
 * follows the set temperature at once (a real one converts at the CR rate, 4 Hz by default);
 * in shutdown mode (SD) it keeps its value until a one-shot (writing OS), after which OS
 * reads 1. The configuration reads R1 R0 = 11 always; AL is the comparator's state on every
 * conversion (active from T ≥ T<sub>HIGH</sub> until T &lt; T<sub>LOW</sub>, the fault queue
 * satisfied at once since the temperature holds between changes), inverted by POL. The
 * ALERT pin is not modelled (nothing on the simulated board can be wired to it).
 */
final class Tmp102 {
    /** The temperatures a TMP102 works in (datasheet, "Operating temperature range"). */
    static final double MIN_CELSIUS = -55;
    static final double MAX_CELSIUS = 150;
    /** The 7-bit addresses a TMP102 can answer at: its ADD0 pin to GND, V+, SDA or SCL. */
    static final int FIRST_ADDRESS = 0x48;
    static final int LAST_ADDRESS = 0x4B;
    /** What it reads before anyone sets a temperature: a room's. */
    static final double DEFAULT_CELSIUS = 25.0;

    static final int TEMPERATURE = 0;
    static final int CONFIG = 1;
    static final int T_LOW = 2;
    static final int T_HIGH = 3;
    /** Power-up values (datasheet Table 7 and "High- and low-limit registers": 75 °C and 80 °C). */
    static final int CONFIG_RESET = 0x60A0;
    static final int T_LOW_RESET = 0x4B00;
    static final int T_HIGH_RESET = 0x5000;

    private static final int OS = 0x8000;
    private static final int RESOLUTION = 0x6000;
    private static final int POL = 0x0400;
    private static final int SD = 0x0100;
    private static final int AL = 0x0020;
    private static final int EM = 0x0010;
    /** F1 F0 POL TM SD, CR1 CR0 EM: the bits a write keeps (OS is a command, R1 R0 and AL are read-only). */
    private static final int WRITABLE = 0x1F00 | 0x00D0;
    private static final double CELSIUS_PER_LSB = 0.0625;

    /** The temperature around the sensor, MIN_CELSIUS to MAX_CELSIUS. */
    private double ambientCelsius = DEFAULT_CELSIUS;
    /** 0 to 3. */
    private int pointer;
    /** The last conversion's result, as the register reads (bit 0 set in extended mode). */
    private int temperature;
    /** The writable bits of the configuration; the others are derived when it is read. */
    private int config = CONFIG_RESET & WRITABLE;
    /** Limits as written: low bits 3..0 (normal) or 2..0 (extended) are 0. */
    private int tLow = T_LOW_RESET;
    private int tHigh = T_HIGH_RESET;
    /** The comparator's state: true from a conversion at or above T_HIGH until one below T_LOW. */
    private boolean alert;
    /** True once a one-shot conversion has completed, until the configuration's MSB is written again. */
    private boolean oneShotDone;

    Tmp102() {
        convert();
    }

    /**
     * Sets the temperature around the sensor; in continuous mode the register has it at once.
     *
     * @throws IllegalArgumentException outside the sensor's range, {@value #MIN_CELSIUS} to {@value #MAX_CELSIUS} °C
     */
    void setTemperature(double celsius) {
        if (!(celsius >= MIN_CELSIUS && celsius <= MAX_CELSIUS)) {
            throw new IllegalArgumentException("a TMP102 measures " + (int) MIN_CELSIUS + " to " + (int) MAX_CELSIUS + " °C, not " + celsius);
        }
        ambientCelsius = celsius;
        if ((config & SD) == 0) convert();
    }

    double temperatureCelsius() {
        return ambientCelsius;
    }

    /** One I2C transaction addressed to this sensor: {@code write} (may be empty), then {@code read} (may be empty). */
    void transfer(byte[] write, byte[] read) {
        if (write.length > 0) {
            pointer = write[0] & 0x03;
            if (write.length > 1) writeByte(true, write[1] & 0xFF);
            if (write.length > 2) writeByte(false, write[2] & 0xFF);
        }
        if (read.length > 0) {
            int value = register(pointer);
            for (int i = 0; i < read.length; i++) read[i] = (byte) (i % 2 == 0 ? value >> 8 : value);
        }
    }

    /** The pointed register's value as a read returns it. */
    int register(int which) {
        return switch (which) {
            case TEMPERATURE -> temperature;
            case CONFIG -> config | RESOLUTION | (oneShotDone ? OS : 0) | (alert == ((config & POL) != 0) ? AL : 0);
            case T_LOW -> tLow;
            case T_HIGH -> tHigh;
            default -> throw new IllegalArgumentException("a TMP102 has registers 0 to 3, not " + which);
        };
    }

    private void writeByte(boolean msb, int value) {
        int shifted = msb ? value << 8 : value;
        int keep = msb ? 0x00FF : 0xFF00;
        switch (pointer) {
            case TEMPERATURE -> { } // read-only
            case CONFIG -> writeConfig((config & keep) | (shifted & WRITABLE), msb && (value & (OS >> 8)) != 0, msb);
            case T_LOW -> tLow = ((tLow & keep) | shifted) & limitMask();
            case T_HIGH -> tHigh = ((tHigh & keep) | shifted) & limitMask();
            default -> throw new IllegalStateException("pointer " + pointer);
        }
    }

    private void writeConfig(int newConfig, boolean oneShot, boolean msb) {
        config = newConfig;
        if (msb) oneShotDone = false;
        if ((config & SD) == 0) {
            convert(); // continuous: the next conversion is in the new mode (EM) and against the limits as they are
        } else if (oneShot) {
            convert();
            oneShotDone = true;
        }
    }

    private int limitMask() {
        return (config & EM) != 0 ? 0xFFF8 : 0xFFF0;
    }

    private void convert() {
        boolean extended = (config & EM) != 0;
        int bits = extended ? 13 : 12;
        long code = Math.round(ambientCelsius / CELSIUS_PER_LSB);
        code = Math.max(-(1L << (bits - 1)), Math.min((1L << (bits - 1)) - 1, code));
        temperature = extended ? (int) ((code << 3) | 1) & 0xFFFF : (int) (code << 4) & 0xFFFF;
        int t = code(temperature);
        if (!alert && t >= code(tHigh)) alert = true;
        else if (alert && t < code(tLow)) alert = false;
    }

    /** A register's temperature as a signed count of 0.0625 °C, in the format the configuration sets now. */
    private int code(int register) {
        return (config & EM) != 0 ? (short) register >> 3 : (short) register >> 4;
    }

    /** A temperature register's value in °C: 12- or 13-bit as its bit 0 says. */
    static double celsius(int register) {
        return ((register & 1) != 0 ? (short) register >> 3 : (short) register >> 4) * CELSIUS_PER_LSB;
    }
}
