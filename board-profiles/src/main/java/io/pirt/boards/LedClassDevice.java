package io.pirt.boards;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An LED that the Linux kernel drives through its LED class, {@code /sys/class/leds/NAME}: an
 * application switches it by writing {@code none} to its {@code trigger}, then its
 * {@code brightness}. The activity LED of every Raspberry Pi is one (docs/board-profiles.md,
 * "LED-class LEDs"). Immutable.
 *
 * @param name       the LED's name in the profile ({@code ACT}); shares the name space of pins
 *                   and aliases
 * @param sysfsNames the directory names under {@code /sys/class/leds} it may have, in the
 *                   order to try: the first that exists is the LED ({@code ACT}, then
 *                   {@code led0} on kernels from before Raspberry Pi's rename); never empty
 * @param pin        the profile pin that is this LED's GPIO line, which the kernel's
 *                   {@code leds-gpio} driver holds, or empty when the line is not on the
 *                   profile's GPIO chip
 */
public record LedClassDevice(String name, List<String> sysfsNames, Optional<String> pin) {

    /** Copies {@code sysfsNames}; an LED is created only by the profile loader. */
    public LedClassDevice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pin, "pin");
        sysfsNames = List.copyOf(sysfsNames);
        if (sysfsNames.isEmpty()) throw new IllegalArgumentException("LED " + name + " has no sysfs name");
    }
}
