package io.pirt.boards;

import java.util.Locale;
import java.util.Optional;

/**
 * What a pin can do on its board's default buses (docs/board-profiles.md, "Pins"):
 * {@code uart} is the primary header UART, {@code i2c} is I2C1, {@code spi} is SPI0 and
 * {@code pwm} a hardware PWM channel.
 */
public enum Capability {
    /** Digital input and output, with edge events. */
    GPIO,
    /** A hardware PWM channel. */
    PWM,
    /** A line of the primary header UART. */
    UART,
    /** A line of the I2C bus on the header. */
    I2C,
    /** A line of the SPI bus on the header. */
    SPI;

    /** The name used in profile files: {@code gpio}, {@code pwm}, ... */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The capability a profile file names, or empty for an unknown name. */
    static Optional<Capability> fromFileName(String name) {
        for (Capability c : values()) {
            if (c.fileName().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
