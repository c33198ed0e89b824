package io.pirt.boards;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An I2C bus a board profile names ({@code i2c-1}), as the Linux i2c-dev character device
 * the runtime opens. Immutable.
 *
 * @param name   the bus's name in the profile, e.g. {@code i2c-1}
 * @param device the character device, e.g. {@code /dev/i2c-1}; {@code sim} on the simulated
 *               board
 * @param pins   the profile pins the bus uses (SDA, SCL), each with capability {@code i2c}; not
 *               empty
 * @param enable the {@code config.txt} line that enables the bus ({@code dtparam=i2c_arm=on}),
 *               or empty when it needs none (the simulated board) or the profile does not say
 */
public record I2cBusSpec(String name, String device, List<String> pins, Optional<String> enable) {

    /** Checks that no component is null and copies {@code pins}. */
    public I2cBusSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(device, "device");
        pins = List.copyOf(pins);
        Objects.requireNonNull(enable, "enable");
    }
}
