package io.pirt.serial;

import java.io.IOException;

/**
 * A serial device could not be opened. {@link #reason()} says which of the three things a
 * person can act on went wrong, so each caller can add the advice that fits its user (the
 * runtime's operator, the tool's user, an application's author); the message names the
 * device and what the system said.
 */
public final class SerialDeviceException extends IOException {
    /** Why the device could not be opened. */
    public enum Reason {
        /** No such device node. */
        NO_SUCH_DEVICE,
        /** The node exists but this user may not read and write it. */
        NO_PERMISSION,
        /** It exists and is accessible, but opening it failed: another program has it, or the driver refused. */
        CANNOT_OPEN
    }

    private final Reason reason;

    SerialDeviceException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
