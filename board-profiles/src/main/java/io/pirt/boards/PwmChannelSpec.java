package io.pirt.boards;

import java.util.Objects;
import java.util.Optional;

/**
 * A hardware PWM channel a board profile names ({@code PWM0}), as a channel of a Linux
 * sysfs PWM chip. Immutable.
 *
 * <p>The chip is named by its device, not by its number: {@code /sys/class/pwm/pwmchipN}
 * numbers depend on probe order and change between kernels and overlays, the device a chip
 * belongs to does not.
 *
 * @param name    the channel's name in the profile, e.g. {@code PWM0}
 * @param chip    the name of the device the pwmchip belongs to: the last path element of the
 *                link {@code /sys/class/pwm/pwmchipN/device} ({@code fe20c000.pwm} on a Pi 4,
 *                {@code 3f20c000.pwm} on a Pi 3); {@code sim} on the simulated board
 * @param channel the channel number on that chip ({@code pwmN} after export); 0 or more
 * @param pin     the profile pin the channel drives, with capability {@code pwm}
 * @param enable  the {@code config.txt} line that routes the channel to the pin
 *                ({@code dtoverlay=pwm-2chan}), or empty when it needs none (the simulated
 *                board) or the profile does not say
 */
public record PwmChannelSpec(String name, String chip, int channel, String pin, Optional<String> enable) {

    /** Checks that no component is null. */
    public PwmChannelSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(chip, "chip");
        Objects.requireNonNull(pin, "pin");
        Objects.requireNonNull(enable, "enable");
        if (channel < 0) {
            throw new IllegalArgumentException("channel " + channel + " of " + name + " is negative");
        }
    }
}
