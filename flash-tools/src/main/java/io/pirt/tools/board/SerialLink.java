package io.pirt.tools.board;

import com.fazecast.jSerialComm.SerialPort;
import io.pirt.runtime.console.SerialPortInput;
import io.pirt.runtime.protocol.LineRate;
import io.pirt.tools.ToolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A board's serial port opened with jSerialComm (8N1, no flow control, reads blocking until
 * data arrives), or a message that says why it could not be: no such device, no
 * permission, or busy. Its rate can be changed while open (a baud switch, docs/protocol.md
 * §5.5). Closing its input stream ends blocked reads; closing it closes the port.
 */
public final class SerialLink implements LineRate, AutoCloseable {
    private final String path;
    private final SerialPort port;
    /** The port's input; its close ends reads without closing the port. */
    private final InputStream in;

    private SerialLink(String path, SerialPort port) {
        this.path = path;
        this.port = port;
        this.in = new SerialPortInput(port);
    }

    /**
     * Opens {@code path} at {@code baud}.
     *
     * @throws ToolException (exit 1) naming the port and what to do
     */
    public static SerialLink open(String path, int baud) throws ToolException {
        Path p = Path.of(path);
        if (!Files.exists(p)) {
            throw ToolException.failure("no such port " + path + ": is the board plugged in? `pirt ports` lists the serial "
                    + "ports of this machine");
        }
        if (!Files.isReadable(p) || !Files.isWritable(p)) {
            throw ToolException.failure("no permission to use " + path + ": add yourself to the port's group "
                    + "(e.g. `sudo usermod -aG dialout $USER`, then log in again)");
        }
        SerialPort port = SerialPort.getCommPort(path);
        port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 0, 0);
        if (!port.openPort()) {
            throw ToolException.failure("cannot open " + path + ": it is busy (another program, e.g. picocom, screen or "
                    + "another pirt, has it open; close that) or it failed (error " + port.getLastErrorCode()
                    + " at " + port.getLastErrorLocation() + ")");
        }
        return new SerialLink(path, port);
    }

    public String path() {
        return path;
    }

    @Override
    public int baud() {
        return port.getBaudRate();
    }

    @Override
    public void setBaud(int baud) throws IOException {
        if (!port.setBaudRate(baud)) {
            throw new IOException("cannot set " + path + " to " + baud + " baud (error " + port.getLastErrorCode() + " at "
                    + port.getLastErrorLocation() + "): the adapter may not support that rate");
        }
    }

    /**
     * The port's input. Closing it ends a read blocked in it, and all later reads, without
     * closing the port ({@link SerialPortInput}): a protocol link that closes its streams and
     * waits for its reader is not kept waiting, and the port is closed by {@link #close()}
     * once the reader is gone.
     */
    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return port.getOutputStream();
    }

    @Override
    public void close() {
        port.closePort();
    }
}
