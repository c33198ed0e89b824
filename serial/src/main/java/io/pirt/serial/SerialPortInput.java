package io.pirt.serial;

import com.fazecast.jSerialComm.SerialPort;
import java.io.FilterInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The input of an open jSerialComm port, for a reader thread that another thread stops.
 *
 * <p>{@link #close()} ends a read blocked in it without closing the port: it switches the port
 * to non-blocking reads, which wakes the blocked read (it returns end of input), and every
 * later read returns end of input without touching the port. jSerialComm's own stream does
 * nothing on close, so a protocol link closing its streams waited its full bound for its
 * reader. Closing the port is not safe while another thread may be inside a read: its
 * {@code readBytes} reads the port handle twice, and a close in between hands the native code
 * a null port (a SIGSEGV in libjSerialComm's readBytes, seen once in a kill -9 soak). So
 * {@link #awaitNoReader(long)} lets the port's owner wait until no read is inside before it
 * closes the port.
 */
final class SerialPortInput extends FilterInputStream {
    private final SerialPort port;
    private volatile boolean closed;
    /** Held shared by every read while it is inside jSerialComm; taken exclusively by {@link #awaitNoReader}. */
    private final ReentrantReadWriteLock inside = new ReentrantReadWriteLock();

    SerialPortInput(SerialPort port) {
        super(port.getInputStream());
        this.port = port;
    }

    @Override
    public int read() throws IOException {
        inside.readLock().lock();
        try {
            return closed ? -1 : super.read();
        } finally {
            inside.readLock().unlock();
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        inside.readLock().lock();
        try {
            return closed ? -1 : super.read(b, off, len);
        } finally {
            inside.readLock().unlock();
        }
    }

    /** Ends reads, blocked or to come; the port stays open for its owner to close. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // Non-blocking mode sets O_NONBLOCK and new termios, and the termios change wakes a read blocked in the tty.
        port.setComPortTimeouts(SerialPort.TIMEOUT_NONBLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 0, 0);
    }

    /**
     * After {@link #close()}: waits until no read is inside jSerialComm, at most {@code timeoutMs}.
     *
     * @return false if a read was still inside when the time was up (the caller must then not close the port)
     */
    boolean awaitNoReader(long timeoutMs) throws InterruptedException {
        if (!inside.writeLock().tryLock(timeoutMs, TimeUnit.MILLISECONDS)) return false;
        inside.writeLock().unlock();
        return true;
    }
}
