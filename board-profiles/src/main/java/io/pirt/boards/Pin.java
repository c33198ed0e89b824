package io.pirt.boards;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One GPIO line of a board, as its profile describes it. Immutable.
 *
 * @param name         the pin's name in the profile ({@code D17}, {@code ACT_LED})
 * @param line         the line offset on the board's GPIO chip (the BCM GPIO number on a
 *                     Raspberry Pi)
 * @param header       the physical pin number on the board's header, empty when the line
 *                     is not on a header (an on-board LED)
 * @param capabilities what the pin can do on the default buses; never empty
 * @param activeLow    whether the signal is inverted (writing 1 drives the line low)
 * @param kernelDriver the kernel driver that claims the line at boot (so a gpiod request
 *                     fails as busy until it is released), or empty
 */
public record Pin(String name, int line, OptionalInt header, Set<Capability> capabilities,
                  boolean activeLow, Optional<String> kernelDriver) {

    /** Copies {@code capabilities}; a pin is created only by the profile loader. */
    public Pin {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(kernelDriver, "kernelDriver");
        capabilities = Collections.unmodifiableSet(EnumSet.copyOf(capabilities));
    }

    /** Whether the pin has capability {@code c}. */
    public boolean has(Capability c) {
        return capabilities.contains(c);
    }
}
