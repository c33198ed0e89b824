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
    /** The errno jSerialComm reported when opening failed; 0 when the failure was found before it tried. */
    private final int errno;

    SerialDeviceException(Reason reason, String message) {
        this(reason, message, 0);
    }

    SerialDeviceException(Reason reason, String message, int errno) {
        super(message);
        this.reason = reason;
        this.errno = errno;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * For {@link Reason#CANNOT_OPEN}: the Linux errno opening failed with (13 EACCES, 11 from
     * the device's flock held by another program, 16 EBUSY...), so a caller can say which;
     * 0 for the other reasons.
     */
    public int errno() {
        return errno;
    }
}
