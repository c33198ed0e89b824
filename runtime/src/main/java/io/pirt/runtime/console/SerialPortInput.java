package io.pirt.runtime.console;

import com.fazecast.jSerialComm.SerialPort;
import java.io.FilterInputStream;
import java.io.IOException;

/**
 * The input of an open jSerialComm port, for a reader thread that another thread stops.
 *
 * <p>{@link #close()} ends a read blocked in it without closing the port: it switches the port
 * to non-blocking reads, which wakes the blocked read (it returns end of input), and every
 * later read returns end of input without touching the port. jSerialComm's own stream does
 * nothing on close, so a protocol link closing its streams waited its full bound for its
 * reader. Closing the port instead is not safe while another thread may enter a read: its
 * {@code readBytes} reads the port handle twice, and a close in between hands the native code
 * a null port (a SIGSEGV in libjSerialComm's readBytes, seen once in a kill -9 soak). So the
 * owner closes the port only after the reader is gone.
 */
public final class SerialPortInput extends FilterInputStream {
    private final SerialPort port;
    private volatile boolean closed;

    public SerialPortInput(SerialPort port) {
        super(port.getInputStream());
        this.port = port;
    }

    @Override
    public int read() throws IOException {
        return closed ? -1 : super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return closed ? -1 : super.read(b, off, len);
    }

    /** Ends reads, blocked or to come; the port stays open for its owner to close. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // Non-blocking mode sets O_NONBLOCK and new termios, and the termios change wakes a read blocked in the tty.
        port.setComPortTimeouts(SerialPort.TIMEOUT_NONBLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 0, 0);
    }
}
