package io.pirt.hal.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.pirt.boards.SpiDeviceSpec;
import io.pirt.hal.Buses;
import io.pirt.hal.HalException;
import io.pirt.hal.SpiDevice;
import io.pirt.hal.internal.LibC;
import java.nio.file.Path;

/**
 * One SPI device through the kernel's spidev ({@code /dev/spidevB.C}): settings by the
 * {@code SPI_IOC_WR_*} ioctls, each transfer one {@code SPI_IOC_MESSAGE(1)} under one chip
 * select. Thread-safe (this is the lock).
 *
 * <p>Implementation notes. The request numbers are {@code _IOW('k', nr, type)} from
 * include/uapi/linux/spi/spidev.h, by asm-generic/ioctl.h (the one ARM and x86 use):
 * direction write (1) {@code << 30 | sizeof(type) << 16 | 'k' (0x6b) << 8 | nr}; the values
 * below were checked by printing the header's macros with a C compiler. The transfer struct,
 * the same on 32- and 64-bit (its pointers are {@code __u64}):
 * <pre>
 *   struct spi_ioc_transfer {            32 bytes
 *       __u64 tx_buf;  __u64 rx_buf;      0, 8
 *       __u32 len;     __u32 speed_hz;    16, 20
 *       __u16 delay_usecs;                24
 *       __u8 bits_per_word; __u8 cs_change; __u8 tx_nbits; __u8 rx_nbits;   26, 27, 28, 29
 *       __u8 word_delay_usecs; __u8 pad;  30, 31
 *   };
 * </pre>
 * The native memory is the device's, allocated at open: {@link #setting} (the value an
 * {@code SPI_IOC_WR_*} points at), {@link #message} (the transfer struct; what is not written
 * per transfer stays zero: no delay, no chip-select change, single-wire) and {@link #tx},
 * {@link #rx}, which grow only when a longer transfer comes. A transfer allocates nothing on the
 * Java heap.
 *
 * <p>spidev refuses a transfer longer than its buffer, the module parameter {@code bufsiz}
 * (4096 bytes unless set: {@code spidev.bufsiz=N} on the kernel command line, or
 * {@code options spidev bufsiz=N} in /etc/modprobe.d), with EMSGSIZE; read at open from
 * /sys/module/spidev/parameters/bufsiz, so such a transfer is refused here first, saying so.
 */
final class Spidev implements Buses.SpiTransfers {
    /** _IOW('k', 1, __u8): the clock mode, SPI_CPHA (1) | SPI_CPOL (2); the other mode bits cleared (MSB first, chip select active low). */
    static final NativeLong SPI_IOC_WR_MODE = new NativeLong(0x40016b01L);
    /** _IOW('k', 3, __u8). */
    static final NativeLong SPI_IOC_WR_BITS_PER_WORD = new NativeLong(0x40016b03L);
    /** _IOW('k', 4, __u32). */
    static final NativeLong SPI_IOC_WR_MAX_SPEED_HZ = new NativeLong(0x40046b04L);
    /** SPI_IOC_MESSAGE(1) = _IOW('k', 0, char[1 * sizeof(struct spi_ioc_transfer)]), 32 bytes. */
    static final NativeLong SPI_IOC_MESSAGE_1 = new NativeLong(0x40206b00L);
    static final int TRANSFER_BYTES = 32;
    static final int TX_BUF = 0, RX_BUF = 8, LEN = 16, SPEED_HZ = 20, BITS_PER_WORD = 26;
    /** spidev's bufsiz when the module parameter cannot be read. */
    static final int DEFAULT_BUFSIZ = 4096;
    private static final int INITIAL_BUFFER_BYTES = 64;

    private final Syscalls sys;
    private final SpiDeviceSpec spec;
    /** The node as opened, for messages ({@code /dev/spidev0.0}). */
    private final Path device;
    /** spidev's bufsiz: the longest transfer it takes. */
    private final int maxTransferBytes;
    /** The open file; -1 once closed. Guarded by this. */
    private int fd;
    /** The settings the kernel has; -1 before the first is set. Guarded by this. */
    private int mode = -1, bitsPerWord = -1, speedHz = -1;
    /** Guarded by this. */
    private final Memory setting = new Memory(4);
    /** struct spi_ioc_transfer. Guarded by this. */
    private final Memory message = new Memory(TRANSFER_BYTES);
    /** The bytes sent and received; each as long as the other. Guarded by this. */
    private Memory tx = new Memory(INITIAL_BUFFER_BYTES), rx = new Memory(INITIAL_BUFFER_BYTES);

    private Spidev(Syscalls sys, SpiDeviceSpec spec, Path device, int maxTransferBytes, int fd) {
        this.sys = sys;
        this.spec = spec;
        this.device = device;
        this.maxTransferBytes = maxTransferBytes;
        this.fd = fd;
        message.clear();
    }

    /**
     * Opens {@code device}, the node of {@code spec}, in mode 0, 8 bits per word, at
     * {@link SpiDevice#DEFAULT_SPEED_HZ} (set even if the kernel has them: an earlier user may
     * have left others).
     *
     * @param maxTransferBytes spidev's bufsiz
     * @throws HalException if it cannot be opened (missing: the bus is not enabled; no permission:
     *     the group to join) or the kernel refuses a setting
     */
    static Spidev open(Syscalls sys, SpiDeviceSpec spec, Path device, int maxTransferBytes) {
        Spidev opened;
        try {
            opened = new Spidev(sys, spec, device, maxTransferBytes, sys.open(device.toString(), LibC.O_RDWR | LibC.O_CLOEXEC));
        } catch (LastErrorException e) {
            throw openFailure(spec, device, e);
        }
        try {
            opened.configure(0, 8, SpiDevice.DEFAULT_SPEED_HZ);
        } catch (HalException e) {
            try {
                opened.close();
            } catch (HalException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
        return opened;
    }

    private static HalException openFailure(SpiDeviceSpec spec, Path device, LastErrorException e) {
        String what = "SPI device " + spec.name() + ": cannot open " + device + " (" + Errno.describe(e) + ")";
        return switch (e.getErrorCode()) {
            case Errno.ENOENT -> new HalException(what + ": the SPI bus is not enabled. " + KernelBuses.enableAdvice(spec.enable(), "the SPI bus")
                    + "; the node also needs the kernel module spidev (the pirt-runtime package loads it at boot; by hand:"
                    + " 'sudo modprobe spidev')", e);
            case Errno.EACCES, Errno.EPERM -> new HalException(what + ": no permission. " + KernelBuses.groupAdvice("spi", "char-spi"), e);
            default -> new HalException(what, e);
        };
    }

    @Override
    public synchronized void configure(int mode, int bitsPerWord, int speedHz) {
        checkOpen();
        int oldMode = this.mode;
        int oldBits = this.bitsPerWord;
        try {
            apply(mode, bitsPerWord, speedHz);
        } catch (HalException refused) {
            // All or nothing: what the kernel took before the refusal goes back, so the device is as the caller's
            // SpiDevice still says (a mode taken, then a word size refused, would leave the device in the new mode).
            try {
                apply(oldMode, oldBits, this.speedHz);
            } catch (HalException restoring) {
                refused.addSuppressed(restoring);
            }
            throw refused;
        }
    }

    /** Writes the settings that differ from the device's, in order; a field changes once the kernel took it. Guarded by this. */
    private void apply(int mode, int bitsPerWord, int speedHz) {
        if (mode != this.mode) {
            setting.setByte(0, (byte) mode);
            set(SPI_IOC_WR_MODE, "clock mode " + mode + " (CPOL " + (mode >> 1) + ", CPHA " + (mode & 1) + ")");
            this.mode = mode;
        }
        if (bitsPerWord != this.bitsPerWord) {
            setting.setByte(0, (byte) bitsPerWord);
            set(SPI_IOC_WR_BITS_PER_WORD, bitsPerWord + " bits per word");
            this.bitsPerWord = bitsPerWord;
        }
        if (speedHz != this.speedHz) {
            setting.setInt(0, speedHz);
            set(SPI_IOC_WR_MAX_SPEED_HZ, "a clock of " + speedHz + " Hz");
            this.speedHz = speedHz;
        }
    }

    /** Guarded by this. */
    private void set(NativeLong request, String what) {
        try {
            sys.ioctl(fd, request, setting);
        } catch (LastErrorException e) {
            throw new HalException(where() + ": the kernel refused " + what + " (" + Errno.describe(e) + ")"
                    + (e.getErrorCode() == Errno.EINVAL ? ": the SPI controller cannot do it" : ""), e);
        }
    }

    @Override
    public synchronized void transfer(byte[] out, byte[] in) {
        checkOpen();
        int length = out.length;
        if (length > maxTransferBytes) {
            throw new HalException(where() + ": a transfer of " + length + " bytes is longer than spidev's buffer, " + maxTransferBytes
                    + " bytes (the kernel module's parameter bufsiz): split it, or raise the limit with spidev.bufsiz=N on the"
                    + " kernel command line (/boot/firmware/cmdline.txt) and reboot");
        }
        int wordBytes = bitsPerWord <= 8 ? 1 : bitsPerWord <= 16 ? 2 : 4;
        if (length % wordBytes != 0) {
            throw new HalException(where() + ": at " + bitsPerWord + " bits per word a word takes " + wordBytes + " bytes, so a"
                    + " transfer is a whole number of them; " + length + " bytes is not");
        }
        if (tx.size() < length) grow(length);
        tx.write(0, out, 0, length);
        message.setLong(TX_BUF, Pointer.nativeValue(tx));
        message.setLong(RX_BUF, Pointer.nativeValue(rx));
        message.setInt(LEN, length);
        message.setInt(SPEED_HZ, speedHz);
        message.setByte(BITS_PER_WORD, (byte) bitsPerWord);
        int done;
        try {
            done = sys.ioctl(fd, SPI_IOC_MESSAGE_1, message);
        } catch (LastErrorException e) {
            throw transferFailure(length, e);
        }
        if (done != length) {
            throw new HalException(where() + ": the kernel transferred " + done + " of " + length + " bytes (SPI_IOC_MESSAGE)");
        }
        rx.read(0, in, 0, length);
    }

    private HalException transferFailure(int length, LastErrorException e) {
        String failed = where() + ": the transfer of " + length + " bytes failed (" + Errno.describe(e) + ")";
        return switch (e.getErrorCode()) {
            case Errno.EMSGSIZE -> new HalException(failed + ": longer than spidev's buffer (the kernel module's parameter bufsiz);"
                    + " split it, or raise the limit with spidev.bufsiz=N on the kernel command line and reboot", e);
            case Errno.EINVAL -> new HalException(failed + ": the SPI controller refused it (a length, speed or word size it"
                    + " cannot do)", e);
            case Errno.ESHUTDOWN -> new HalException(failed + ": the SPI controller is gone (its driver was unbound); open the"
                    + " device again once it is back", e);
            default -> new HalException(failed, e);
        };
    }

    /** Guarded by this. */
    private void grow(int bytes) {
        long size = Math.min(Math.max(bytes, 2 * tx.size()), maxTransferBytes);
        tx.close();
        rx.close();
        tx = new Memory(size);
        rx = new Memory(size);
    }

    private void checkOpen() {
        if (fd < 0) throw new HalException("SPI device " + spec.name() + " (" + device + ") was closed");
    }

    private String where() {
        return "SPI device " + spec.name() + " (" + device + ")";
    }

    @Override
    public synchronized void close() {
        if (fd < 0) return;
        int closing = fd;
        fd = -1;
        setting.close();
        message.close();
        tx.close();
        rx.close();
        try {
            sys.close(closing);
        } catch (LastErrorException e) {
            throw new HalException("SPI device " + spec.name() + ": closing " + device + " failed (" + Errno.describe(e) + ")", e);
        }
    }

    @Override
    public String toString() {
        return "Spidev[" + spec.name() + ", " + device + "]";
    }
}
