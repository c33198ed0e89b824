package io.pirt.boards;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An SPI device a board profile names ({@code spi0.0}: bus 0, chip select 0), as the Linux
 * spidev character device the runtime opens. Immutable.
 *
 * @param name   the device's name in the profile, e.g. {@code spi0.0}
 * @param device the character device, e.g. {@code /dev/spidev0.0}; {@code sim} on the
 *               simulated board
 * @param pins   the profile pins the device uses (chip select, MISO, MOSI, SCLK), each with
 *               capability {@code spi}; not empty
 * @param enable the {@code config.txt} line that enables the bus ({@code dtparam=spi=on}), or
 *               empty when it needs none (the simulated board) or the profile does not say
 */
public record SpiDeviceSpec(String name, String device, List<String> pins, Optional<String> enable) {

    /** Checks that no component is null and copies {@code pins}. */
    public SpiDeviceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(device, "device");
        pins = List.copyOf(pins);
        Objects.requireNonNull(enable, "enable");
    }
}
