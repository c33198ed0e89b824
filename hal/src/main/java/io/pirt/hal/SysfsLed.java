package io.pirt.hal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One LED of the kernel's LED class while a {@link GpioPin} has it: its directory under
 * {@code /sys/class/leds}, the trigger that was active before, and its on level.
 *
 * <p>Implementation notes: {@link #claim()} reads the active trigger (the bracketed entry of
 * {@code trigger}, e.g. {@code none [mmc0] timer}), writes {@code none} so that the kernel
 * stops driving the LED, then {@code 0} to {@code brightness}. A write is {@code 0} or
 * {@code max_brightness}; a read parses {@code brightness}, so it shows what the kernel has.
 * {@link #release()} writes the saved trigger back. Every access opens, writes or reads, and
 * closes the attribute, as {@code echo} does: sysfs takes a value in one write. Thread-safe.
 */
final class SysfsLed {
    private static final byte[] NONE = "none".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFF = "0".getBytes(StandardCharsets.US_ASCII);

    /** How messages name the LED: {@code LED0 (LED ACT, /sys/class/leds/ACT)}. */
    private final String label;
    private final Path trigger;
    private final Path brightness;
    private final Path maxBrightness;
    /** The trigger active before {@link #claim()}; null until then. Guarded by this. */
    private String savedTrigger;
    /** {@code max_brightness} as written for "on"; null until claimed. Guarded by this. */
    private byte[] on;
    /** Set by {@link #release()}: the kernel has the LED back and nothing more is written. Guarded by this. */
    private boolean released;

    /** @param dir the LED's directory, e.g. {@code /sys/class/leds/ACT}; @param label how messages name it */
    SysfsLed(Path dir, String label) {
        this.label = label;
        this.trigger = dir.resolve("trigger");
        this.brightness = dir.resolve("brightness");
        this.maxBrightness = dir.resolve("max_brightness");
    }

    /**
     * Takes the LED from the kernel's trigger and switches it off.
     *
     * @throws HalException if an attribute cannot be read or written; the trigger is put back
     *                      if it was already changed
     */
    synchronized void claim() {
        checkClaimed(); // released before the claim: the JVM's exit hook came first
        String active = activeTrigger(read(trigger));
        int max = maxBrightness(read(maxBrightness));
        write(trigger, NONE);
        try {
            write(brightness, OFF);
        } catch (HalException e) {
            try {
                write(trigger, active.getBytes(StandardCharsets.US_ASCII));
            } catch (HalException restore) {
                e.addSuppressed(restore);
            }
            throw e;
        }
        savedTrigger = active;
        on = Integer.toString(max).getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether the LED's brightness is above 0. */
    synchronized boolean read() {
        checkClaimed();
        String text = read(brightness).strip();
        try {
            return Integer.parseInt(text) > 0;
        } catch (NumberFormatException e) {
            throw new HalException(label + ": " + brightness + " reads '" + text + "', not a number: is this an LED of the"
                    + " kernel's LED class?", e);
        }
    }

    /** Switches the LED fully on ({@code max_brightness}) or off. */
    synchronized void write(boolean active) {
        checkClaimed();
        write(brightness, active ? on : OFF);
    }

    /**
     * Gives the LED back to the kernel: writes the saved trigger. Later reads and writes fail.
     * Idempotent.
     *
     * @throws HalException if the trigger cannot be written (the LED counts as released anyway)
     */
    synchronized void release() {
        if (released || savedTrigger == null) {
            released = true;
            return;
        }
        released = true;
        write(trigger, savedTrigger.getBytes(StandardCharsets.US_ASCII));
    }

    /** The trigger put back on release, e.g. {@code mmc0}; null before {@link #claim()}. */
    synchronized String savedTrigger() {
        return savedTrigger;
    }

    @Override
    public String toString() {
        return label;
    }

    private void checkClaimed() {
        if (released) throw new HalException(label + " was closed and is the kernel's again; open it again with Board.pin()");
    }

    /** The bracketed entry of a {@code trigger} file: {@code none [mmc0] timer} gives {@code mmc0}. */
    private String activeTrigger(String text) {
        for (String entry : text.strip().split("\\s+")) {
            if (entry.length() > 2 && entry.startsWith("[") && entry.endsWith("]")) {
                return entry.substring(1, entry.length() - 1);
            }
        }
        String shown = text.strip();
        throw new HalException(label + ": " + trigger + " names no active trigger in brackets (it reads '"
                + (shown.length() > 80 ? shown.substring(0, 80) + "..." : shown) + "'), so the one to restore is unknown:"
                + " is this an LED of the kernel's LED class?");
    }

    private int maxBrightness(String text) {
        String digits = text.strip();
        if (digits.matches("[0-9]{1,9}") && Integer.parseInt(digits) > 0) return Integer.parseInt(digits);
        throw new HalException(label + ": " + maxBrightness + " reads '" + text.strip() + "', not a brightness above 0: is"
                + " this an LED of the kernel's LED class?");
    }

    private String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw failure("cannot read " + file, e);
        }
    }

    private void write(Path file, byte[] value) {
        try {
            // WRITE without CREATE: a missing attribute is an error, not a new file.
            Files.write(file, value, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw failure("cannot write '" + new String(value, StandardCharsets.US_ASCII) + "' to " + file, e);
        }
    }

    /** What went wrong with an attribute, and what to do about it. */
    HalException failure(String what, IOException e) {
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        String hint;
        if (e instanceof AccessDeniedException) {
            reason = "permission denied";
            hint = "the pirt-runtime package's udev rule (/lib/udev/rules.d/60-pirt.rules) lets group pirt write every LED's"
                    + " trigger and brightness: run as a member of group pirt (pirt-runtime.service runs as user pirt), and"
                    + " right after installing the package apply the rule with"
                    + " 'sudo udevadm trigger --subsystem-match=leds --action=add' (or reboot)";
        } else if (e instanceof NoSuchFileException) {
            reason = "no such file";
            hint = "is this an LED of the kernel's LED class? Check the board profile's leds section";
        } else if ("Read-only file system".equals(reason)) {
            hint = "/sys is read-only for this process (systemd's ProtectKernelTunables=): pirt-runtime.service makes"
                    + " /sys/class/leds/ACT and led0 writable; for another LED add ReadWritePaths=/sys/class/leds/NAME with"
                    + " 'sudo systemctl edit pirt-runtime'";
        } else if ("Device or resource busy".equals(reason)) {
            hint = "the kernel says the LED is busy: a driver has taken its sysfs interface (a camera flash LED does);"
                    + " use another LED";
        } else if ("Invalid argument".equals(reason)) {
            hint = "the kernel refused the value: no such trigger (was its module unloaded?) or a brightness it does not take";
        } else {
            hint = null;
        }
        return new HalException(label + ": " + what + ": " + reason + (hint == null ? "" : "; " + hint), e);
    }
}
