package io.pirt.runtime.console;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The byte streams of the console device while it is open. The serial device (jSerialComm)
 * and in-memory streams in tests are its two kinds. {@code in().read} returns -1 or throws
 * once the device is gone (cable out, terminal closed).
 */
public interface ConsolePort extends Closeable {
    InputStream in();

    OutputStream out();

    /**
     * The port's rate, if it is a UART whose rate a tool may switch for its session
     * (docs/protocol.md §5.5); null for a port without one (a USB gadget port, streams in tests).
     */
    default io.pirt.wire.LineRate lineRate() {
        return null;
    }

    /**
     * Whether the port is a reliable byte stream (a connection to the wire socket) rather than
     * a serial line: the endpoint then offers larger frames to a tool that can take them
     * (docs/protocol.md §5.1, {@code STREAM}). False unless a port says otherwise.
     */
    default boolean reliableStream() {
        return false;
    }

    /** Opens the console device, or fails with an IOException saying why (missing, busy, no permission). */
    @FunctionalInterface
    interface Opener {
        ConsolePort open() throws IOException;
    }
}
