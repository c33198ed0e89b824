package io.pirt.hal.pi4j;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.pirt.boards.Pin;
import io.pirt.hal.HalException;
import io.pirt.hal.PinMode;
import io.pirt.hal.internal.LibC;

/**
 * An input line pirt holds itself through the GPIO character device's uAPI v2, not through
 * Pi4J: one line request (a file descriptor) with the pin's bias, active-low and both edges,
 * labelled {@code pirt-<pin>} (the consumer {@code gpioinfo} shows). Its level is read with
 * GPIO_V2_LINE_GET_VALUES_IOCTL; its edges are watched by reading the request's event queue
 * ({@link LineEvents}). {@link #close()} gives the line back. Not thread-safe: its owner,
 * Pi4jGpio, serialises calls (the watch's own thread reads events, nothing else).
 */
final class InputLine implements AutoCloseable {
    private final LibC libc;
    private final ChipDevice chip;
    private final int fd;
    /** "D17 (line 17 of gpiochip0 ...)", for messages. */
    private final String what;
    private final Memory values = new Memory(GpioUapi.VALUES_BYTES);
    /** The latest watch, or null before the first. */
    private LineEvents watch;
    private boolean closed;

    private InputLine(LibC libc, ChipDevice chip, int fd, String what) {
        this.libc = libc;
        this.chip = chip;
        this.fd = fd;
        this.what = what;
    }

    /**
     * Requests {@code pin}'s line as an input in {@code mode} from {@code chip}.
     *
     * @param what the pin, its line and chip, for messages
     * @throws HalException if the kernel refuses the request, saying why (busy: another consumer holds the line)
     */
    static InputLine request(LibC libc, ChipDevice chip, Pin pin, PinMode mode, String what) {
        int fd;
        try (Memory request = new Memory(GpioUapi.REQUEST_BYTES)) {
            GpioUapi.encodeRequest(request, pin.line(), consumerOf(pin), GpioUapi.inputFlags(mode, pin.activeLow()));
            fd = chip.requestLine(request);
        } catch (LastErrorException e) {
            throw new HalException("the kernel refused the input line request (GPIO_V2_GET_LINE_IOCTL): " + refusal(e.getErrorCode()), e);
        }
        return new InputLine(libc, chip, fd, what);
    }

    /** What a refused line request's errno means here. */
    static String refusal(int errno) {
        return switch (errno) {
            case 16 -> "EBUSY, the line is busy";
            case 22 -> "EINVAL; a kernel older than 5.10 has no GPIO uAPI v2";
            case 6 -> "ENXIO, the line has no interrupt for edge detection";
            case 13, 1 -> "permission denied (errno " + errno + "); the user needs read and write access to the chip device";
            default -> "errno " + errno;
        };
    }

    /** The consumer label of {@code pin}'s line: {@code pirt-D17}. */
    static String consumerOf(Pin pin) {
        return "pirt-" + pin.name();
    }

    /** The line's logical level (the kernel inverts an active-low line). */
    boolean read() {
        values.clear();
        values.setLong(GpioUapi.VALUES_MASK, 1);
        chip.getValues(fd, values);
        return (values.getLong(GpioUapi.VALUES_BITS) & 1) != 0;
    }

    /** A new watch of the line's edges, from now on (edges queued before are discarded). */
    LineEvents watch() {
        long lastSeqno = watch == null ? 0 : watch.lastSeqno();
        watch = new LineEvents(libc, fd, what, lastSeqno);
        return watch;
    }

    /** Wakes the latest watch, if any, then closes the line request: the line goes back to the system. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (watch != null) watch.wakeUp();
        values.close();
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            throw new HalException(what + ": closing its line request failed: " + e.getMessage(), e);
        }
    }
}
