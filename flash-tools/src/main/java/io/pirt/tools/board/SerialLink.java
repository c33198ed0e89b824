package io.pirt.tools.board;

import io.pirt.serial.SerialDevice;
import io.pirt.serial.SerialDeviceException;
import io.pirt.tools.ToolException;
import io.pirt.wire.LineRate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A board's serial port (8N1, no flow control), or a message that says why it could not be
 * opened: no such device, no permission, or busy. Its rate can be changed while open (a baud
 * switch, docs/protocol.md §5.6). Closing its input stream ends blocked reads; closing it
 * closes the port once no read is inside ({@link SerialDevice}).
 */
public final class SerialLink implements LineRate, BoardLink {
    private final SerialDevice device;

    private SerialLink(SerialDevice device) {
        this.device = device;
    }

    /**
     * Opens {@code path} at {@code baud}.
     *
     * @throws ToolException (exit 1) naming the port and what to do
     */
    public static SerialLink open(String path, int baud) throws ToolException {
        try {
            return new SerialLink(SerialDevice.open(path, baud));
        } catch (SerialDeviceException e) {
            throw ToolException.failure(switch (e.reason()) {
                case NO_SUCH_DEVICE -> "no such port " + path + ": is the board plugged in? `pirt ports` lists the serial "
                        + "ports of this machine";
                case NO_PERMISSION -> "no permission to use " + path + ": add yourself to the port's group "
                        + "(e.g. `sudo usermod -aG dialout $USER`, then log in again)";
                case CANNOT_OPEN -> e.getMessage() + ": it is busy (another program, e.g. picocom, screen or another pirt, "
                        + "has it open; close that) or the driver refused it";
            });
        }
    }

    public String path() {
        return device.path();
    }

    @Override
    public int baud() {
        return device.baud();
    }

    @Override
    public void setBaud(int baud) throws IOException {
        device.setBaud(baud);
    }

    /** The port's input. Closing it ends a read blocked in it, and all later reads, without closing the port. */
    @Override
    public InputStream in() {
        return device.in();
    }

    @Override
    public OutputStream out() {
        return device.out();
    }

    @Override
    public java.util.Optional<LineRate> lineRate() {
        return java.util.Optional.of(this);
    }

    @Override
    public String address() {
        return device.path();
    }

    @Override
    public void close() {
        device.close();
    }
}
