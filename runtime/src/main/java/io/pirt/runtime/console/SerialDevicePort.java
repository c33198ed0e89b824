package io.pirt.runtime.console;

import com.fazecast.jSerialComm.SerialPort;
import io.pirt.runtime.protocol.LineRate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The console on a serial device opened with jSerialComm: the USB gadget {@code /dev/ttyGS0},
 * a UART, or on the virtual board a pseudo-terminal — the same code path in all three. A
 * UART (anything but a USB gadget port) offers its {@link #lineRate()} for a tool to switch.
 */
public final class SerialDevicePort implements ConsolePort {
    private final SerialPort port;
    private final InputStream in;
    private final OutputStream out;
    /** Null on a USB gadget port, whose "rate" is a number nobody uses. */
    private final LineRate lineRate;

    private SerialDevicePort(SerialPort port, boolean usbGadget) {
        this.port = port;
        this.in = new SerialPortInput(port); // its close ends a blocked read; close() below closes the port after
        this.out = port.getOutputStream();
        this.lineRate = usbGadget ? null : new LineRate() {
            @Override
            public int baud() {
                return port.getBaudRate();
            }

            @Override
            public void setBaud(int baud) throws IOException {
                if (!port.setBaudRate(baud)) {
                    throw new IOException(port.getSystemPortPath() + " refused " + baud + " baud (error " + port.getLastErrorCode()
                            + " at " + port.getLastErrorLocation() + ")");
                }
            }
        };
    }

    /** Whether {@code device} is a USB gadget serial port (the Pi's {@code /dev/ttyGS*}), which has no line rate. */
    public static boolean isUsbGadget(String device) {
        return Path.of(device).getFileName().toString().startsWith("ttyGS");
    }

    /**
     * Opens {@code device} at {@code baud}, 8N1, reads blocking until data arrives.
     * {@code usbGadget}: the device is a USB gadget port, with no rate a tool could switch.
     *
     * @throws IOException saying whether the device is missing, not accessible, or busy
     */
    public static SerialDevicePort open(String device, int baud, boolean usbGadget) throws IOException {
        Path path = Path.of(device);
        if (!Files.exists(path)) throw new IOException("no such device " + device);
        if (!Files.isReadable(path) || !Files.isWritable(path)) {
            throw new IOException("no permission to use " + device + " (add the runtime's user to the device's group, e.g. dialout)");
        }
        SerialPort p = SerialPort.getCommPort(device);
        p.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        p.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 0, 0);
        if (!p.openPort()) {
            throw new IOException("cannot open " + device + " (error " + p.getLastErrorCode() + " at " + p.getLastErrorLocation()
                    + "; is another program using it?)");
        }
        return new SerialDevicePort(p, usbGadget);
    }

    @Override
    public LineRate lineRate() {
        return lineRate;
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public void close() {
        port.closePort();
    }
}
