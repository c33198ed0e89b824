package io.pirt.hal.linux;

import io.pirt.boards.I2cBusSpec;
import io.pirt.boards.PwmChannelSpec;
import io.pirt.boards.SpiDeviceSpec;
import io.pirt.hal.Buses;
import io.pirt.hal.HalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The I2C buses, SPI devices and PWM channels of a real board, through the kernel's own
 * interfaces: {@code /dev/i2c-N} (i2c-dev, one {@code I2C_RDWR} ioctl per transaction),
 * {@code /dev/spidevB.C} (spidev, one {@code SPI_IOC_MESSAGE} per transfer) and
 * {@code /sys/class/pwm} (sysfs PWM). The profile's device paths are taken under a root
 * directory: {@code /} on a board, a copy of /dev and /sys in a test. {@link #open} does no
 * I/O; each {@code open*} opens what it is asked for, and its errors say what to do (enable the
 * bus in config.txt, join a group, free a channel).
 *
 * <p>Why JNA and not Pi4J's linuxfs provider (Pi4J 3.0.3, read for this): the HAL already
 * binds the C library through JNA for GPIO ({@code io.pirt.hal.internal.LibC}), and three
 * system calls (open, ioctl, close) are all I2C and SPI need. Pi4J's providers come with a
 * context: plugins found by a service loader, I/O objects registered by string id, a logging
 * facade. Its I2C reaches the kernel through a JNI library of its own (libpi4j-linuxfs.so for
 * armhf and aarch64, unpacked at run time) and allocates per register read (a 2 KB buffer, an
 * offsets buffer and a direct copy); its plain reads and writes select the device with
 * {@code I2C_SLAVE} and use read/write, so a write then a read are two transactions without a
 * repeated start, and an address a kernel driver has is refused (EBUSY). Its SPI allocates
 * native memory and a JNA structure per transfer and logs a failed transfer instead of
 * throwing. Its PWM finds the chip by number (0, or 2 on a Pi 5), which changes with kernels
 * and overlays, and sleeps a fixed 70 ms after an export. Here a transaction is one ioctl
 * ({@code I2C_RDWR}, {@code SPI_IOC_MESSAGE}) on native memory the handle keeps, through a
 * direct-mapped JNA binding that allocates nothing on the Java heap; a PWM chip is found by its
 * device; and every failure is a {@link HalException} with the kernel's errno and what to check.
 *
 * <p>Thread-safe. A transaction on a handle is atomic with respect to the other handles this
 * backend opened on the same bus.
 */
public final class KernelBuses implements Buses {
    /** Where the kernel says how long a transfer spidev takes. */
    static final String SPIDEV_BUFSIZ = "sys/module/spidev/parameters/bufsiz";

    private final Path root;
    private final Syscalls sys;
    private final long pwmExportWaitNs;
    /** Per I2C node: what the handles on it share. Entries stay (a board has a few buses). */
    private final ConcurrentMap<Path, I2cDev.Adapter> adapters = new ConcurrentHashMap<>();

    KernelBuses(Path root, Syscalls sys, long pwmExportWaitNs) {
        this.root = root;
        this.sys = sys;
        this.pwmExportWaitNs = pwmExportWaitNs;
    }

    /**
     * The kernel's buses under {@code root} ({@code /} on a board). Opens nothing: no file, no
     * native library.
     */
    public static KernelBuses open(Path root) {
        return new KernelBuses(root, Syscalls.libc(), SysfsPwm.EXPORT_WAIT_NS);
    }

    /**
     * Opens the node of {@code bus} ({@code /dev/i2c-1}) under the root.
     *
     * @throws HalException if it does not exist (the bus is not enabled: the config.txt line to
     *     add), the user may not open it (the group to join), or the kernel says otherwise
     */
    @Override
    public I2cTransfers openI2c(I2cBusSpec bus) {
        Path device = underRoot(bus.device());
        return I2cDev.open(sys, bus, device, adapters.computeIfAbsent(device, d -> new I2cDev.Adapter()));
    }

    /**
     * Opens the node of {@code device} ({@code /dev/spidev0.0}) under the root, in mode 0, 8
     * bits per word, at {@link io.pirt.hal.SpiDevice#DEFAULT_SPEED_HZ}.
     *
     * @throws HalException as {@link #openI2c}, or if the kernel refuses a setting
     */
    @Override
    public SpiTransfers openSpi(SpiDeviceSpec device) {
        return Spidev.open(sys, device, underRoot(device.device()), spidevBufsiz(device));
    }

    /**
     * Exports {@code channel} on the chip under the root's {@code sys/class/pwm} whose device
     * is the profile's, and sets it off, duty 0, {@link io.pirt.hal.PwmChannel#DEFAULT_PERIOD_NS}.
     *
     * @throws HalException if no chip has that device (the chips found, the config.txt line to
     *     add), the channel is taken, or its files cannot be written (the group to join)
     */
    @Override
    public PwmOutput openPwm(PwmChannelSpec channel) {
        return SysfsPwm.open(sys, channel, root.resolve("sys/class/pwm"), pwmExportWaitNs);
    }

    /** Holds nothing of its own: each handle closes its file. */
    @Override
    public void close() {
    }

    /** {@code /dev/i2c-1} of the profile, under the root. */
    private Path underRoot(String device) {
        return root.resolve(device.startsWith("/") ? device.substring(1) : device);
    }

    /** spidev's buffer size: the module parameter, or its default when spidev has none to show. */
    private int spidevBufsiz(SpiDeviceSpec device) {
        Path file = root.resolve(SPIDEV_BUFSIZ);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return Spidev.DEFAULT_BUFSIZ; // spidev not loaded yet: opening the node says so
        } catch (IOException e) {
            throw new HalException("SPI device " + device.name() + ": cannot read " + file + " (spidev's largest transfer): " + e, e);
        }
        String notASize = "SPI device " + device.name() + ": " + file + " reads '" + text + "', not spidev's buffer size in bytes";
        int bytes;
        try {
            bytes = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new HalException(notASize, e);
        }
        if (bytes <= 0) throw new HalException(notASize);
        return bytes;
    }

    /** What to do when {@code what} is not enabled: the profile's config.txt line, or to enable it somehow. */
    static String enableAdvice(Optional<String> enable, String what) {
        return enable.map(line -> "Add '" + line + "' to /boot/firmware/config.txt (/boot/config.txt before Raspberry Pi OS"
                        + " Bookworm) and reboot")
                .orElse("Enable " + what + " in the device tree (the board profile names no config.txt line for it) and reboot");
    }

    /** What to do when a device node of group {@code group} ({@code i2c}) may not be opened. */
    static String groupAdvice(String group, String deviceAllow) {
        return "The user must be in group " + group + " ('sudo usermod -aG " + group + " $USER', then log in again; the"
                + " pirt-runtime package puts its user pirt in it); in a systemd unit with DevicePolicy=, the unit also needs"
                + " DeviceAllow=" + deviceAllow + " rw";
    }
}
