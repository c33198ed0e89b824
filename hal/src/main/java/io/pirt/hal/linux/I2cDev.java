package io.pirt.hal.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.pirt.boards.I2cBusSpec;
import io.pirt.hal.Buses;
import io.pirt.hal.HalException;
import io.pirt.hal.I2cBus;
import io.pirt.hal.internal.LibC;
import java.nio.file.Path;

/**
 * One handle on an I2C bus through the kernel's i2c-dev ({@code /dev/i2c-N}): each transaction
 * is one {@code ioctl(fd, I2C_RDWR, ...)} with one or two messages, the second a read after a
 * repeated start. Thread-safe: the handles on one bus share one lock ({@link Adapter}), held for
 * a whole transaction with the timeout it sets.
 *
 * <p>Implementation notes. The structs, from include/uapi/linux/i2c.h and i2c-dev.h (checked
 * against the headers of Linux 6.x with a C compiler: sizeof and offsetof):
 * <pre>
 *   struct i2c_msg { __u16 addr; __u16 flags; __u16 len; __u8 *buf; };
 *       addr at 0, flags at 2 (I2C_M_RD = 0x0001: a read), len at 4, buf at 8 (the three
 *       u16 padded to the pointer's alignment): 16 bytes on arm64 (LP64), 12 on 32-bit arm
 *   struct i2c_rdwr_ioctl_data { struct i2c_msg *msgs; __u32 nmsgs; };
 *       msgs at 0, nmsgs at the pointer's size: 16 bytes on arm64, 8 on 32-bit arm
 * </pre>
 * The native memory is the handle's, allocated at open: {@link #msgs} (two messages),
 * {@link #rdwr} (pointing at them) and {@link #data} (the bytes written, then the bytes read),
 * which grows only when a bigger transaction comes. A transaction copies the caller's bytes in
 * and out and writes the structs in place: it allocates nothing on the Java heap (the ioctl is
 * direct-mapped, {@link LibC.Ioctl}).
 *
 * <p>I2C_TIMEOUT sets the adapter's timeout, in units of 10 ms, for every handle on the bus (the
 * kernel keeps it in the adapter, not in the open file). It is set only when a transaction's
 * timeout, rounded up to 10 ms, differs from the one this process last set on the bus, under
 * the bus's lock: another process on the same bus may change it meanwhile (the kernel has no
 * per-file timeout), which the last-set value cannot see.
 */
final class I2cDev implements Buses.I2cTransfers {
    static final NativeLong I2C_RDWR = new NativeLong(0x0707);
    static final NativeLong I2C_TIMEOUT = new NativeLong(0x0702);
    static final int I2C_M_RD = 0x0001;
    static final int MSG_ADDR = 0, MSG_FLAGS = 2, MSG_LEN = 4, MSG_BUF = 8;
    static final int MSG_BYTES = MSG_BUF + Native.POINTER_SIZE;
    static final int RDWR_MSGS = 0, RDWR_NMSGS = Native.POINTER_SIZE, RDWR_BYTES = 2 * Native.POINTER_SIZE;
    /** i2c-dev refuses a longer message (EINVAL). */
    static final int MAX_MESSAGE_BYTES = 8192;
    /** I2C_TIMEOUT's kernel check is arg <= INT_MAX, and it computes arg * 10 ms in an unsigned int. */
    static final long MAX_TIMEOUT_TICKS = Integer.MAX_VALUE / 10;
    private static final int INITIAL_DATA_BYTES = 64;

    /**
     * What every handle this process opens on one bus shares: its lock, held for a whole
     * transaction, and the adapter timeout last set through any of them.
     */
    static final class Adapter {
        /** In the kernel's 10 ms units; -1 until one is set. Guarded by this. */
        long timeoutTicks = -1;
    }

    private final Syscalls sys;
    private final I2cBusSpec spec;
    /** The node as opened, for messages ({@code /dev/i2c-1}). */
    private final Path device;
    private final Adapter adapter;
    /** The open file; -1 once closed. Guarded by adapter. */
    private int fd;
    /** Two struct i2c_msg; the padding stays zero. Guarded by adapter. */
    private final Memory msgs = new Memory(2L * MSG_BYTES);
    /** struct i2c_rdwr_ioctl_data, msgs pointing at {@link #msgs}. Guarded by adapter. */
    private final Memory rdwr = new Memory(RDWR_BYTES);
    /** The bytes written (from 0), then those read (after them). Guarded by adapter. */
    private Memory data = new Memory(INITIAL_DATA_BYTES);
    /** {@link #data}'s native address, written into the messages' buf. Guarded by adapter. */
    private long dataAddress = Pointer.nativeValue(data);

    private I2cDev(Syscalls sys, I2cBusSpec spec, Path device, Adapter adapter, int fd) {
        this.sys = sys;
        this.spec = spec;
        this.device = device;
        this.adapter = adapter;
        this.fd = fd;
        msgs.clear();
        rdwr.clear();
        rdwr.setPointer(RDWR_MSGS, msgs);
    }

    /**
     * Opens {@code device}, the node of bus {@code spec}.
     *
     * @throws HalException if it cannot be opened: missing (the bus is not enabled), no
     *     permission (the group to join), or what the kernel said
     */
    static I2cDev open(Syscalls sys, I2cBusSpec spec, Path device, Adapter adapter) {
        try {
            return new I2cDev(sys, spec, device, adapter, sys.open(device.toString(), LibC.O_RDWR | LibC.O_CLOEXEC));
        } catch (LastErrorException e) {
            throw openFailure(spec, device, e);
        }
    }

    private static HalException openFailure(I2cBusSpec spec, Path device, LastErrorException e) {
        String bus = "I2C bus " + spec.name() + ": cannot open " + device + " (" + Errno.describe(e) + ")";
        return switch (e.getErrorCode()) {
            case Errno.ENOENT -> new HalException(bus + ": the bus is not enabled. " + KernelBuses.enableAdvice(spec.enable(), "the I2C bus")
                    + "; the node also needs the kernel module i2c-dev (the pirt-runtime package loads it at boot; by hand:"
                    + " 'sudo modprobe i2c-dev')", e);
            case Errno.EACCES, Errno.EPERM -> new HalException(bus + ": no permission. " + KernelBuses.groupAdvice("i2c", "char-i2c"), e);
            default -> new HalException(bus, e);
        };
    }

    @Override
    public void transfer(int address, byte[] write, byte[] read, long timeoutMs) {
        int writeBytes = write.length;
        int readBytes = read.length;
        if (writeBytes > MAX_MESSAGE_BYTES || readBytes > MAX_MESSAGE_BYTES) {
            throw new HalException(where(address) + ": an I2C message is at most " + MAX_MESSAGE_BYTES + " bytes (the kernel's"
                    + " i2c-dev limit), not " + Math.max(writeBytes, readBytes) + "; split the transfer");
        }
        synchronized (adapter) {
            if (fd < 0) throw new HalException("I2C bus " + spec.name() + " (" + device + ") was closed");
            if (data.size() < writeBytes + readBytes) grow(writeBytes + readBytes);
            setTimeout(address, timeoutMs);
            int count = 0;
            if (writeBytes > 0) {
                data.write(0, write, 0, writeBytes);
                message(count++, address, 0, writeBytes, dataAddress);
            }
            if (readBytes > 0) message(count++, address, I2C_M_RD, readBytes, dataAddress + writeBytes);
            rdwr.setInt(RDWR_NMSGS, count);
            int done;
            try {
                done = sys.ioctl(fd, I2C_RDWR, rdwr);
            } catch (LastErrorException e) {
                throw transferFailure(address, timeoutMs, e);
            }
            if (done != count) {
                throw new HalException(where(address) + ": the kernel transferred " + done + " of the transaction's " + count
                        + " messages (I2C_RDWR); the device may have stopped answering part-way");
            }
            if (readBytes > 0) data.read(writeBytes, read, 0, readBytes);
        }
    }

    /** Guarded by adapter. */
    private void message(int index, int address, int flags, int lengthBytes, long buffer) {
        long at = (long) index * MSG_BYTES;
        msgs.setShort(at + MSG_ADDR, (short) address);
        msgs.setShort(at + MSG_FLAGS, (short) flags);
        msgs.setShort(at + MSG_LEN, (short) lengthBytes);
        if (Native.POINTER_SIZE == 8) {
            msgs.setLong(at + MSG_BUF, buffer);
        } else {
            msgs.setInt(at + MSG_BUF, (int) buffer);
        }
    }

    /** Guarded by adapter. */
    private void grow(int bytes) {
        Memory bigger = new Memory(Math.max(bytes, 2 * data.size()));
        data.close();
        data = bigger;
        dataAddress = Pointer.nativeValue(bigger);
    }

    /** Guarded by adapter. */
    private void setTimeout(int address, long timeoutMs) {
        long ticks = Math.min((timeoutMs + 9) / 10, MAX_TIMEOUT_TICKS);
        if (ticks == adapter.timeoutTicks) return;
        try {
            sys.ioctl(fd, I2C_TIMEOUT, new NativeLong(ticks));
        } catch (LastErrorException e) {
            throw new HalException(where(address) + ": the kernel refused the bus timeout of " + timeoutMs + " ms (I2C_TIMEOUT, "
                    + ticks + " x 10 ms: " + Errno.describe(e) + ")", e);
        }
        adapter.timeoutTicks = ticks;
    }

    private HalException transferFailure(int address, long timeoutMs, LastErrorException e) {
        String failed = where(address) + ": ";
        String kernel = " (" + Errno.describe(e) + ")";
        return switch (e.getErrorCode()) {
            case Errno.ENXIO, Errno.EREMOTEIO -> new HalException(failed + "no device answered at that address" + kernel
                    + ": check the wiring (SDA to SDA, SCL to SCL, a common ground), the device's power and its address (a"
                    + " module's jumpers may change it); 'i2cdetect -y " + busNumber() + "' lists the addresses that answer", e);
            case Errno.ETIMEDOUT -> new HalException(failed + "the bus timed out after " + timeoutMs + " ms" + kernel
                    + ": a device may be holding SDA or SCL low (power-cycle it), or the bus lacks its pull-up resistors", e);
            case Errno.EAGAIN -> new HalException(failed + "the bus was busy or arbitration was lost" + kernel
                    + ": another master drives the bus, or noise on the lines; try again, and check the wiring if it persists", e);
            case Errno.EOPNOTSUPP -> new HalException(failed + "the bus's adapter cannot do plain I2C transfers (I2C_RDWR), only"
                    + " SMBus" + kernel, e);
            case Errno.EINVAL -> new HalException(failed + "the kernel refused the transaction as invalid" + kernel + ": "
                    + "a length or address the adapter cannot do", e);
            default -> new HalException(failed + "the transaction failed" + kernel, e);
        };
    }

    /** {@code 1} for {@code /dev/i2c-1}, as i2cdetect names the bus; the node's name if it has no number. */
    private String busNumber() {
        String name = device.getFileName().toString();
        return name.startsWith("i2c-") ? name.substring(4) : name;
    }

    private String where(int address) {
        return "I2C bus " + spec.name() + " (" + device + "), device " + I2cBus.formatAddress(address);
    }

    @Override
    public void close() {
        synchronized (adapter) {
            if (fd < 0) return;
            int closing = fd;
            fd = -1;
            msgs.close();
            rdwr.close();
            data.close();
            try {
                sys.close(closing);
            } catch (LastErrorException e) {
                throw new HalException("I2C bus " + spec.name() + ": closing " + device + " failed (" + Errno.describe(e) + ")", e);
            }
        }
    }

    @Override
    public String toString() {
        return "I2cDev[" + spec.name() + ", " + device + "]";
    }
}
