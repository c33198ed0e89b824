package io.pirt.serial;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A serial device (a UART, a USB gadget or USB-serial port, a pseudo-terminal) opened with
 * jSerialComm: 8N1, no flow control, reads blocking until data arrives, writes blocking. The
 * one place pirt opens and closes a serial port: the runtime's console, the {@code pirt}
 * tool's port and the HAL's {@code Uart} all go through it.
 *
 * <p>Closing its {@link #in() input} ends a read blocked in it, and all later reads, without
 * closing the port; {@link #close()} does that, waits (bounded) until no reader is inside
 * jSerialComm, and only then closes the port, because closing under a read crashes the JVM
 * (see {@link SerialPortInput}). Thread-safe: one reader and one writer may run at once;
 * {@link #setBaud} may be called while both do.
 */
public final class SerialDevice implements AutoCloseable {
    /** How long {@link #close()} waits for a woken reader to leave jSerialComm. */
    private static final long READER_EXIT_MS = 2_000;

    private final String path;
    private final SerialPort port;
    private final SerialPortInput in;
    private final OutputStream out;
    private volatile boolean closed;

    private SerialDevice(String path, SerialPort port) {
        this.path = path;
        this.port = port;
        this.in = new SerialPortInput(port);
        this.out = port.getOutputStream();
    }

    /** Opens {@code device} at {@code baud}, 8N1, no flow control. */
    public static SerialDevice open(String device, int baud) throws SerialDeviceException {
        return open(device, baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY, SerialPort.FLOW_CONTROL_DISABLED);
    }

    /**
     * Opens {@code device} with the given framing, in jSerialComm's terms (its stop-bit,
     * parity and flow-control constants).
     *
     * @throws SerialDeviceException saying whether the device is missing, not accessible, or could not be opened
     */
    public static SerialDevice open(String device, int baud, int dataBits, int stopBits, int parity, int flowControl)
            throws SerialDeviceException {
        Path p = Path.of(device);
        if (!Files.exists(p)) {
            throw new SerialDeviceException(SerialDeviceException.Reason.NO_SUCH_DEVICE, "no such device " + device);
        }
        if (!Files.isReadable(p) || !Files.isWritable(p)) {
            throw new SerialDeviceException(SerialDeviceException.Reason.NO_PERMISSION, "no permission to read and write " + device);
        }
        SerialPort port;
        try {
            port = SerialPort.getCommPort(device);
        } catch (SerialPortInvalidPortException e) {
            throw new SerialDeviceException(SerialDeviceException.Reason.NO_SUCH_DEVICE, "no such device " + device + ": "
                    + e.getMessage());
        }
        port.setComPortParameters(baud, dataBits, stopBits, parity);
        port.setFlowControl(flowControl);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 0, 0);
        if (!port.openPort()) {
            int errno = port.getLastErrorCode();
            throw new SerialDeviceException(SerialDeviceException.Reason.CANNOT_OPEN, "cannot open " + device + " (error "
                    + errno + " at " + port.getLastErrorLocation() + ")", errno);
        }
        return new SerialDevice(device, port);
    }

    public String path() {
        return path;
    }

    /** The port's input; closing it ends reads, blocked or to come, and leaves the port open. */
    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    /** The rate the port is set to. */
    public int baud() {
        return port.getBaudRate();
    }

    /** Sets the port's rate while it is open. @throws IOException if the driver refuses the rate */
    public void setBaud(int baud) throws IOException {
        if (!port.setBaudRate(baud)) {
            throw new IOException("cannot set " + path + " to " + baud + " baud (error " + port.getLastErrorCode() + " at "
                    + port.getLastErrorLocation() + "): the device may not support that rate");
        }
    }

    /**
     * The Linux errno of the port's last failed operation (a read or write that failed), for
     * a message that says what the system said.
     */
    public int lastErrorCode() {
        return port.getLastErrorCode();
    }

    /** The number of bytes that can be read without blocking, or -1 when the port failed. */
    public int bytesAvailable() {
        return port.bytesAvailable();
    }

    /**
     * Ends reads, waits until no reader is inside jSerialComm, and closes the port. If a reader
     * does not leave within two seconds the port is left open rather than closed under it (a
     * descriptor leaked until the process ends, never a crash), and that is said on stderr.
     * Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        in.close();
        boolean readerGone;
        try {
            readerGone = in.awaitNoReader(READER_EXIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            readerGone = false;
        }
        if (!readerGone) {
            System.err.println("pirt: a reader of " + path + " did not leave within " + READER_EXIT_MS
                    + " ms of being woken; the port stays open rather than being closed under it");
            return;
        }
        port.closePort();
    }
}
