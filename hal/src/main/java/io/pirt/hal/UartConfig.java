package io.pirt.hal;

import java.util.Objects;

/**
 * How a {@link Uart} frames bytes: speed, data bits, parity, stop bits and flow control.
 * Immutable; {@link #DEFAULT} is 115200 baud, 8 data bits, no parity, 1 stop bit, no flow
 * control ("115200 8N1"), and the {@code withX} methods return changed copies:
 * {@code UartConfig.DEFAULT.withBaud(9600).withParity(Parity.EVEN)}.
 *
 * @param baud        bits per second, positive. Standard rates (9600 ... 4000000) are set
 *                    through termios; others through the Linux custom-rate ioctl, which not
 *                    every driver supports
 * @param dataBits    5 to 8
 * @param parity      the parity bit
 * @param stopBits    1 or 2 stop bits (Linux termios has no 1.5)
 * @param flowControl none, hardware (RTS/CTS) or software (XON/XOFF)
 */
public record UartConfig(int baud, int dataBits, Parity parity, StopBits stopBits, FlowControl flowControl) {
    /** 115200 baud, 8N1, no flow control. */
    public static final UartConfig DEFAULT = new UartConfig(115200, 8, Parity.NONE, StopBits.ONE, FlowControl.NONE);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if {@code baud} is not positive or {@code dataBits}
     *                                  is not 5..8
     * @throws NullPointerException     if an enum value is null
     */
    public UartConfig {
        if (baud <= 0) throw new IllegalArgumentException("baud must be positive, got " + baud);
        if (dataBits < 5 || dataBits > 8) throw new IllegalArgumentException("dataBits must be 5..8, got " + dataBits);
        Objects.requireNonNull(parity, "parity");
        Objects.requireNonNull(stopBits, "stopBits");
        Objects.requireNonNull(flowControl, "flowControl");
    }

    /** This configuration at {@code baud} bits per second. */
    public UartConfig withBaud(int baud) {
        return new UartConfig(baud, dataBits, parity, stopBits, flowControl);
    }

    /** This configuration with {@code dataBits} (5..8) data bits. */
    public UartConfig withDataBits(int dataBits) {
        return new UartConfig(baud, dataBits, parity, stopBits, flowControl);
    }

    /** This configuration with {@code parity}. */
    public UartConfig withParity(Parity parity) {
        return new UartConfig(baud, dataBits, parity, stopBits, flowControl);
    }

    /** This configuration with {@code stopBits}. */
    public UartConfig withStopBits(StopBits stopBits) {
        return new UartConfig(baud, dataBits, parity, stopBits, flowControl);
    }

    /** This configuration with {@code flowControl}. */
    public UartConfig withFlowControl(FlowControl flowControl) {
        return new UartConfig(baud, dataBits, parity, stopBits, flowControl);
    }

    /** The usual short form, e.g. {@code 115200 8N1} or {@code 9600 7E2 RTS/CTS}. */
    @Override
    public String toString() {
        return baud + " " + dataBits + parity.letter + stopBits.text
                + (flowControl == FlowControl.NONE ? "" : " " + flowControl.text);
    }

    /** The parity bit. */
    public enum Parity {
        NONE('N'), ODD('O'), EVEN('E'), MARK('M'), SPACE('S');

        private final char letter;

        Parity(char letter) {
            this.letter = letter;
        }
    }

    /** The number of stop bits. */
    public enum StopBits {
        ONE("1"), TWO("2");

        private final String text;

        StopBits(String text) {
            this.text = text;
        }
    }

    /** How the receiver holds the sender back. */
    public enum FlowControl {
        /** None: bytes the receiver cannot take are lost. */
        NONE("no flow control"),
        /** Hardware: the RTS and CTS lines, which must be wired and enabled on the board. */
        RTS_CTS("RTS/CTS"),
        /** Software: XON/XOFF bytes in the data (so the data must not contain 0x11 and 0x13). */
        XON_XOFF("XON/XOFF");

        private final String text;

        FlowControl(String text) {
            this.text = text;
        }
    }
}
