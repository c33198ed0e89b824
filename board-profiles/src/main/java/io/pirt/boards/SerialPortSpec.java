package io.pirt.boards;

import java.util.Objects;

/**
 * A serial port a board profile names ({@code SERIAL0}, ...). Immutable.
 *
 * @param name        the port's name in the profile, {@code SERIAL} followed by a number
 * @param device      an absolute device path ({@code /dev/serial0}), or on the simulated
 *                    board a placeholder {@code pty:NAME} for a pseudo-terminal that the
 *                    runtime creates and replaces with its path
 * @param description which UART this is, on which pins, and what must be configured
 * @param enable      the {@code config.txt} line that enables this UART ({@code enable_uart=1},
 *                    {@code dtparam=uart0=on} on a Pi 5), or empty when it needs none or the
 *                    profile does not say
 */
public record SerialPortSpec(String name, String device, String description, String enable) {

    /** The prefix of a pseudo-terminal placeholder. */
    public static final String PTY_PREFIX = "pty:";

    /** Checks that no component is null. */
    public SerialPortSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(enable, "enable");
    }

    /** Whether {@link #device()} is a placeholder the runtime replaces by a pseudo-terminal. */
    public boolean isPseudoTerminal() {
        return device.startsWith(PTY_PREFIX);
    }
}
