package io.pirt.runtime.console;

import io.pirt.serial.SerialDevice;
import io.pirt.serial.SerialDeviceException;
import io.pirt.wire.LineRate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The console on a serial device: the USB gadget {@code /dev/ttyGS0}, a UART, or on the
 * virtual board a pseudo-terminal — the same code path in all three. A UART (anything but a
 * USB gadget port) offers its {@link #lineRate()} for a tool to switch.
 */
public final class SerialDevicePort implements ConsolePort {
    private final SerialDevice device;
    /** Null on a USB gadget port, whose "rate" is a number nobody uses. */
    private final LineRate lineRate;

    private SerialDevicePort(SerialDevice device, boolean usbGadget) {
        this.device = device;
        this.lineRate = usbGadget ? null : new LineRate() {
            @Override
            public int baud() {
                return device.baud();
            }

            @Override
            public void setBaud(int baud) throws IOException {
                device.setBaud(baud);
            }
        };
    }

    /** Whether {@code device} is a USB gadget serial port (the Pi's {@code /dev/ttyGS*}), which has no line rate. */
    public static boolean isUsbGadget(String device) {
        return Path.of(device).getFileName().toString().startsWith("ttyGS");
    }

    /**
     * Opens {@code device} at {@code baud}, 8N1. {@code usbGadget}: the device is a USB gadget
     * port, with no rate a tool could switch.
     *
     * @throws IOException saying whether the device is missing, not accessible, or busy
     */
    public static SerialDevicePort open(String device, int baud, boolean usbGadget) throws IOException {
        try {
            return new SerialDevicePort(SerialDevice.open(device, baud), usbGadget);
        } catch (SerialDeviceException e) {
            throw switch (e.reason()) {
                case NO_SUCH_DEVICE -> e;
                case NO_PERMISSION -> new IOException(e.getMessage() + " (add the runtime's user to the device's group, e.g. dialout)", e);
                case CANNOT_OPEN -> new IOException(e.getMessage() + "; is another program using it?", e);
            };
        }
    }

    @Override
    public LineRate lineRate() {
        return lineRate;
    }

    @Override
    public InputStream in() {
        return device.in();
    }

    @Override
    public OutputStream out() {
        return device.out();
    }

    @Override
    public void close() {
        device.close();
    }
}
