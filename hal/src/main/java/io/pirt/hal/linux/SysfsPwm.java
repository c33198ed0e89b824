package io.pirt.hal.linux;

import com.sun.jna.LastErrorException;
import io.pirt.boards.PwmChannelSpec;
import io.pirt.hal.Buses;
import io.pirt.hal.HalException;
import io.pirt.hal.PwmChannel;
import io.pirt.hal.internal.LibC;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One PWM channel through the kernel's sysfs PWM interface ({@code /sys/class/pwm/pwmchipN}):
 * exported at open (off, polarity normal), driven by writing its {@code period},
 * {@code duty_cycle} and {@code enable}, disabled and unexported at close. Thread-safe (this is the lock).
 *
 * <p>Implementation notes. The chip is found by its device, not its number: the
 * {@code pwmchipN} whose {@code device} link ends in the profile's chip ({@code fe20c000.pwm}).
 * After the export the channel's directory {@code pwmM} exists, but its attributes stay
 * root's until udev has run the rule that opens them to group gpio (Raspberry Pi OS's
 * 99-com.rules, or the pirt-runtime package's 60-pirt.rules), some milliseconds later; open
 * waits for that, bounded (see {@link #awaitWritable}). The kernel refuses a state whose duty
 * exceeds its period (EINVAL), and a period of 0 with any duty: {@link #set} writes the period
 * first when the new period is at least the current duty, else the duty first, so that no write
 * makes such a state; a value that does not change is not written. Each write opens the
 * attribute, writes the number in one write and closes it, as {@code echo} does; the errno
 * says what the kernel refused.
 */
final class SysfsPwm implements Buses.PwmOutput {
    /** How long open waits for udev to open an exported channel's attributes to us. */
    static final long EXPORT_WAIT_NS = 1_000_000_000L;
    private static final long EXPORT_POLL_NS = 5_000_000L;

    private final Syscalls sys;
    private final PwmChannelSpec spec;
    /** {@code .../pwmchipN}. */
    private final Path chip;
    /** {@code .../pwmchipN/pwmM}. */
    private final Path channel;
    /** What the kernel has: 0 <= dutyNs <= periodNs, or both 0 after an export. Guarded by this. */
    private long periodNs, dutyNs;
    private boolean enabled;
    /** Guarded by this. */
    private boolean closed;

    private SysfsPwm(Syscalls sys, PwmChannelSpec spec, Path chip) {
        this.sys = sys;
        this.spec = spec;
        this.chip = chip;
        this.channel = chip.resolve("pwm" + spec.channel());
    }

    /**
     * Finds the chip of {@code spec} under {@code classDir} ({@code /sys/class/pwm}), exports
     * the channel and sets it to off, duty 0, {@link PwmChannel#DEFAULT_PERIOD_NS}.
     *
     * @param exportWaitNs how long to wait for udev to open the exported channel's attributes
     * @throws HalException if no chip has the profile's device (the message lists the chips
     *     found and the config.txt line to add), the channel is taken, or an attribute cannot
     *     be written; the message names the file and what to do. A channel it exported is
     *     unexported again.
     */
    static SysfsPwm open(Syscalls sys, PwmChannelSpec spec, Path classDir, long exportWaitNs) {
        SysfsPwm pwm = new SysfsPwm(sys, spec, findChip(spec, classDir));
        pwm.export();
        try {
            pwm.awaitWritable(exportWaitNs);
            pwm.periodNs = pwm.readNumber("period");
            pwm.dutyNs = pwm.readNumber("duty_cycle");
            pwm.enabled = pwm.readNumber("enable") != 0;
            pwm.set(PwmChannel.DEFAULT_PERIOD_NS, 0, false);
            pwm.normalPolarity();
        } catch (HalException e) {
            try {
                pwm.unexport();
            } catch (HalException u) {
                e.addSuppressed(u);
            }
            throw e;
        }
        return pwm;
    }

    private static Path findChip(PwmChannelSpec spec, Path classDir) {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> chips = Files.newDirectoryStream(classDir, "pwmchip*")) {
            for (Path chip : chips) {
                Path link = chip.resolve("device");
                String device;
                try {
                    device = String.valueOf(Files.readSymbolicLink(link).getFileName());
                } catch (IOException e) {
                    found.add(chip.getFileName() + " -> (cannot read " + link + ": " + e + ")");
                    continue;
                }
                if (device.equals(spec.chip())) return chip;
                found.add(chip.getFileName() + " -> " + device);
            }
        } catch (NoSuchFileException e) {
            // No PWM chip at all: the kernel makes the class directory with the first chip. Said below.
        } catch (IOException e) {
            throw new HalException("PWM channel " + spec.name() + ": cannot list " + classDir + ": " + e, e);
        }
        found.sort(null);
        throw new HalException("PWM channel " + spec.name() + ": no PWM chip of device " + spec.chip() + " in " + classDir + " (it has "
                + (found.isEmpty() ? "none" : String.join(", ", found)) + "): the PWM is not enabled. "
                + KernelBuses.enableAdvice(spec.enable(), "the PWM channel"));
    }

    private void export() {
        Path export = chip.resolve("export");
        try {
            writeRaw(export, spec.channel());
        } catch (LastErrorException e) {
            String failed = where() + ": cannot export it (writing " + spec.channel() + " to " + export + ": " + Errno.describe(e) + ")";
            throw switch (e.getErrorCode()) {
                case Errno.EBUSY -> new HalException(failed + ": the channel is taken. " + (Files.isDirectory(channel)
                        ? channel + " exists: another program exported it, or one (a pirt application among them) ended without"
                                + " unexporting it; if nothing uses it, free it with 'echo " + spec.channel() + " | sudo tee "
                                + chip.resolve("unexport") + "'"
                        : "A kernel driver holds it (an overlay that uses the same PWM, such as audio on the headphone jack):"
                                + " remove that overlay from config.txt"), e);
                case Errno.EINVAL, Errno.ENODEV -> new HalException(failed + ": " + chip.getFileName() + " has no channel "
                        + spec.channel() + " (its npwm: " + npwm() + "); check the board profile's pwm channel", e);
                default -> attributeFailure(failed, e);
            };
        }
    }

    private String npwm() {
        try {
            return Files.readString(chip.resolve("npwm"), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "unreadable, " + e;
        }
    }

    /**
     * Waits until the exported channel's {@code period} is writable for this process, at most
     * {@code timeoutNs}; then returns either way (a write that still fails says why).
     *
     * <p>This polls, with short parks: the attribute's owner and mode change when udev's rule
     * runs, in another process, and the kernel announces no such change to the exporter (it
     * sends its uevent to udev, before the rule runs). The wait happens once per open, never on
     * a set; it ends at once where the attribute is writable already (root, or udev was fast).
     * An interrupt ends it early, keeping the interrupt status.
     */
    private void awaitWritable(long timeoutNs) {
        Path period = channel.resolve("period");
        long deadline = System.nanoTime() + timeoutNs;
        while (!Files.isWritable(period) && deadline - System.nanoTime() > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(EXPORT_POLL_NS);
        }
    }

    private long readNumber(String attribute) {
        Path file = channel.resolve(attribute);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new HalException(where() + ": cannot read " + file + ": " + e, e);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new HalException(where() + ": " + file + " reads '" + text + "', not a number: is " + chip + " a sysfs PWM chip?", e);
        }
    }

    /**
     * Makes the polarity normal (active high) if a former user left it inversed: the kernel keeps
     * a channel's state across unexport and export. It changes only while the channel is off.
     */
    private void normalPolarity() {
        Path polarity = channel.resolve("polarity");
        if (!Files.exists(polarity)) return; // a driver without polarity control: always normal
        String text;
        try {
            text = Files.readString(polarity, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new HalException(where() + ": cannot read " + polarity + ": " + e, e);
        }
        if (!text.equals("normal")) write(polarity, "normal");
    }

    @Override
    public synchronized void set(long periodNs, long dutyNs, boolean enabled) {
        if (closed) throw new HalException(where() + " was closed");
        if (this.enabled && !enabled) {
            write(channel.resolve("enable"), 0);
            this.enabled = false;
        }
        if (periodNs >= this.dutyNs) {
            writePeriod(periodNs);
            writeDuty(dutyNs);
        } else {
            writeDuty(dutyNs);
            writePeriod(periodNs);
        }
        if (enabled && !this.enabled) {
            write(channel.resolve("enable"), 1);
            this.enabled = true;
        }
    }

    /** Guarded by this. */
    private void writePeriod(long periodNs) {
        if (periodNs == this.periodNs) return;
        write(channel.resolve("period"), periodNs);
        this.periodNs = periodNs;
    }

    /** Guarded by this. */
    private void writeDuty(long dutyNs) {
        if (dutyNs == this.dutyNs) return;
        write(channel.resolve("duty_cycle"), dutyNs);
        this.dutyNs = dutyNs;
    }

    private void write(Path file, long value) {
        write(file, Long.toString(value));
    }

    private void write(Path file, String value) {
        try {
            writeRaw(file, value);
        } catch (LastErrorException e) {
            String failed = where() + ": cannot write " + value + " to " + file + " (" + Errno.describe(e) + ")";
            throw e.getErrorCode() == Errno.EINVAL
                    ? new HalException(failed + ": the PWM controller refused it (a period or duty it cannot make?); the"
                            + " channel has period " + periodNs + " ns, duty " + dutyNs + " ns, " + (enabled ? "on" : "off"), e)
                    : attributeFailure(failed, e);
        }
    }

    private HalException attributeFailure(String failed, LastErrorException e) {
        return switch (e.getErrorCode()) {
            case Errno.EACCES, Errno.EPERM -> new HalException(failed + ": no permission. The sysfs PWM files are root's until a"
                    + " udev rule gives them to group gpio (Raspberry Pi OS's 99-com.rules; the pirt-runtime package's"
                    + " 60-pirt.rules): the user must be in group gpio ('sudo usermod -aG gpio $USER', then log in again)", e);
            case Errno.EROFS -> new HalException(failed + ": /sys is read-only for this process (systemd's"
                    + " ProtectKernelTunables=): the unit needs ReadWritePaths=" + chip + " (systemd follows the link to the"
                    + " chip's device directory; 'sudo systemctl edit pirt-runtime')", e);
            default -> new HalException(failed, e);
        };
    }

    /** One attribute write, as {@code echo value > file}; throws what the kernel said. */
    private void writeRaw(Path file, long value) {
        writeRaw(file, Long.toString(value));
    }

    private void writeRaw(Path file, String value) {
        byte[] text = value.getBytes(StandardCharsets.US_ASCII);
        int fd = sys.open(file.toString(), LibC.O_WRONLY | LibC.O_CLOEXEC);
        try {
            int written = sys.write(fd, text);
            if (written != text.length) {
                throw new HalException(where() + ": the kernel took " + written + " of the " + text.length + " bytes written to " + file);
            }
        } finally {
            sys.close(fd);
        }
    }

    /**
     * Disables the output, then unexports the channel, trying both.
     *
     * @throws HalException the first failure, the other suppressed
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        HalException failure = null;
        if (enabled) {
            try {
                write(channel.resolve("enable"), 0);
                enabled = false;
            } catch (HalException e) {
                failure = e;
            }
        }
        try {
            unexport();
        } catch (HalException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }

    private void unexport() {
        Path unexport = chip.resolve("unexport");
        try {
            writeRaw(unexport, spec.channel());
        } catch (LastErrorException e) {
            throw attributeFailure(where() + ": cannot unexport it (writing " + spec.channel() + " to " + unexport + ": "
                    + Errno.describe(e) + ")", e);
        }
    }

    private String where() {
        return "PWM channel " + spec.name() + " (" + chip.getFileName() + "/pwm" + spec.channel() + ", " + spec.chip() + ")";
    }

    @Override
    public String toString() {
        return "SysfsPwm[" + spec.name() + ", " + channel + "]";
    }
}
