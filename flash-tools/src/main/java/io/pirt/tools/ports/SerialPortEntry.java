package io.pirt.tools.ports;

import com.fazecast.jSerialComm.SerialPort;
import java.util.Locale;

/**
 * One serial port of this machine as {@code pirt ports} shows it, with a guess of what is
 * at the other end. Immutable.
 *
 * @param path        the device, e.g. {@code /dev/ttyACM0}
 * @param description what the driver or USB descriptor calls it, e.g. {@code Gadget Serial}
 * @param vendorId    USB vendor id, -1 when not a USB device
 * @param productId   USB product id, -1 when not a USB device
 */
public record SerialPortEntry(String path, String description, int vendorId, int productId) {
    /** Linux's USB gadget serial (g_serial / the CDC ACM function): Netchip's ids. */
    static final int GADGET_VENDOR = 0x0525;
    static final int GADGET_PRODUCT = 0xa4a7;

    /** What a port probably is. */
    public enum Kind {
        /** A Pi's USB gadget serial: the board's console over its USB cable. */
        BOARD("likely a board (USB gadget serial)"),
        /** A USB-serial adapter (FTDI, CP210x, CH340, PL2303): a board's UART console if one is wired to it. */
        ADAPTER("USB-serial adapter: a board's UART console if wired"),
        /** Anything else: a built-in UART, a modem, a Bluetooth port. */
        OTHER("");

        private final String note;

        Kind(String note) {
            this.note = note;
        }

        public String note() {
            return note;
        }
    }

    static SerialPortEntry of(SerialPort p) {
        String description = p.getPortDescription();
        String descriptive = p.getDescriptivePortName();
        String text = description == null || description.isBlank() ? String.valueOf(descriptive) : description;
        return new SerialPortEntry(p.getSystemPortPath(), text.strip(), p.getVendorID(), p.getProductID());
    }

    /** The guess: a CDC ACM device or one that says "Gadget Serial" is a board; known UART chips are adapters. */
    public Kind kind() {
        String d = description.toLowerCase(Locale.ROOT);
        if (d.contains("gadget serial") || (vendorId == GADGET_VENDOR && productId == GADGET_PRODUCT)
                || path.contains("ttyACM") || d.contains("raspberry pi")) {
            return Kind.BOARD;
        }
        if (vendorId == 0x0403 || vendorId == 0x10c4 || vendorId == 0x1a86 || vendorId == 0x067b
                || d.contains("ftdi") || d.contains("ft232") || d.contains("cp210") || d.contains("ch340")
                || d.contains("ch341") || d.contains("pl2303") || path.contains("ttyUSB")) {
            return Kind.ADAPTER;
        }
        return Kind.OTHER;
    }

    /** {@code vvvv:pppp} in hex, or empty when not a USB device. */
    public String usbId() {
        return vendorId < 0 || productId < 0 ? "" : String.format("%04x:%04x", vendorId, productId);
    }
}
