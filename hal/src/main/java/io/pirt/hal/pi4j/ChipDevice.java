package io.pirt.hal.pi4j;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.pirt.hal.HalException;
import io.pirt.hal.internal.LibC;
import java.nio.file.Path;

/**
 * The GPIO chip's character device ({@code /dev/gpiochipN}) as pirt's input lines use it:
 * the two ioctls a plain file cannot answer. Tests stand in for it with pipes as lines, so
 * the rest (poll, read, close of the line) runs for real.
 */
interface ChipDevice extends AutoCloseable {
    /**
     * Requests lines with {@code request}, a struct gpio_v2_line_request
     * (GPIO_V2_GET_LINE_IOCTL), and returns the line request's file descriptor.
     *
     * @throws LastErrorException with the kernel's errno (EBUSY: the line is held)
     */
    int requestLine(Pointer request);

    /** Fills {@code values}, a struct gpio_v2_line_values with its mask set, from line request {@code lineFd}. */
    void getValues(int lineFd, Pointer values);

    /** Closes the chip (line requests made through it stay valid until closed themselves). */
    @Override
    void close();

    /**
     * Opens {@code device} for line requests.
     *
     * @param chip the chip, for messages ("gpiochip0 [pinctrl-bcm2711] (58 lines)")
     * @throws HalException if it cannot be opened, saying why
     */
    static ChipDevice open(Path device, String chip) {
        LibC libc = LibC.get();
        int fd;
        try {
            fd = libc.open(device.toString(), LibC.O_RDWR | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new HalException("cannot open " + device + " (" + chip + ") for line requests: " + e.getMessage()
                    + (e.getErrorCode() == 13 ? "; the user needs read and write access (group gpio on Raspberry Pi OS)" : ""), e);
        }
        return new Kernel(libc, fd);
    }

    /** The real chip: ioctls on its file descriptor. */
    final class Kernel implements ChipDevice {
        private final LibC libc;
        private final int fd;
        private final NativeLong getLine = new NativeLong(GpioUapi.GET_LINE_IOCTL);
        private final NativeLong getValues = new NativeLong(GpioUapi.GET_VALUES_IOCTL);

        private Kernel(LibC libc, int fd) {
            this.libc = libc;
            this.fd = fd;
        }

        @Override
        public int requestLine(Pointer request) {
            libc.ioctl(fd, getLine, request);
            return request.getInt(GpioUapi.REQUEST_FD);
        }

        @Override
        public void getValues(int lineFd, Pointer values) {
            libc.ioctl(lineFd, getValues, values);
        }

        @Override
        public void close() {
            libc.close(fd);
        }
    }
}
