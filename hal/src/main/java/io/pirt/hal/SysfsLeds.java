package io.pirt.hal;

import io.pirt.boards.LedClassDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The board's LEDs of the kernel's LED class, under one directory ({@code /sys/class/leds} on
 * a board, a copy of it in a test): finds an LED's directory, claims it for a {@link GpioPin},
 * and gives every claimed LED its trigger back when the pin closes, when the board closes, or
 * when the JVM exits (the kernel restores nothing by itself, unlike a gpiod line). Thread-safe.
 *
 * <p>Implementation notes: the JVM exit is covered by a shutdown hook, registered when the
 * first LED is claimed and removed by {@link #close()}. It runs when the application returns
 * from main, calls System.exit or gets SIGTERM; a SIGKILL (the runtime's last resort after
 * its stop grace period) runs nothing, and the LED then keeps trigger none until the next
 * reboot or the next application that opens and closes it.
 */
final class SysfsLeds implements AutoCloseable {
    /** Where the kernel lists its LEDs. */
    static final Path SYSTEM_DIR = Path.of("/sys/class/leds");

    private final Path dir;
    /** LEDs claimed and not yet released, in claim order. Guarded by this. */
    private final Set<SysfsLed> claimed = new LinkedHashSet<>();
    /** Releases what is still claimed when the JVM exits; null until the first claim and after close. Guarded by this. */
    private Thread exitHook;

    SysfsLeds(Path dir) {
        this.dir = dir;
    }

    /**
     * The LED {@code led}, at the first of its {@code sysfs} names that exists; not yet claimed.
     *
     * @param openedAs the name or alias the application used, for messages
     * @throws HalException if none of its names exists, listing the LEDs there are
     */
    SysfsLed find(LedClassDevice led, String openedAs) {
        for (String name : led.sysfsNames()) {
            Path ledDir = dir.resolve(name);
            if (Files.isDirectory(ledDir)) {
                String label = (openedAs.equals(led.name()) ? led.name() : openedAs + " (LED " + led.name() + ")") + ", " + ledDir;
                return new SysfsLed(ledDir, label);
            }
        }
        List<String> tried = led.sysfsNames().stream().map(n -> dir.resolve(n).toString()).toList();
        throw new HalException(openedAs + " is the kernel LED " + led.name() + ", but none of " + String.join(", ", tried)
                + " exists; the kernel's LEDs here are " + present() + ". Check the board profile's leds." + led.name()
                + ".sysfs, and that the device tree still has the LED (a dtparam=act_led_... or an overlay may rename or"
                + " remove it)");
    }

    /**
     * Claims {@code led} ({@link SysfsLed#claim()}); it is released at exit unless released before.
     * It is listed for the exit hook before it is claimed, so no claim slips past an exit that
     * begins meanwhile (the LED's own lock orders the two).
     *
     * @throws HalException if the claim fails, or the JVM is already exiting
     */
    void claim(SysfsLed led) {
        synchronized (this) {
            if (exitHook == null) {
                Thread hook = new Thread(this::releaseAtExit, "pirt-led-restore");
                try {
                    Runtime.getRuntime().addShutdownHook(hook);
                } catch (IllegalStateException e) {
                    throw new HalException(led + ": the JVM is exiting, so no LED is taken from the kernel now", e);
                }
                exitHook = hook;
            }
            claimed.add(led);
        }
        try {
            led.claim();
        } catch (RuntimeException e) {
            synchronized (this) {
                claimed.remove(led);
            }
            throw e;
        }
    }

    /** Gives {@code led} back to the kernel ({@link SysfsLed#release()}). */
    void release(SysfsLed led) {
        synchronized (this) {
            claimed.remove(led);
        }
        led.release();
    }

    /**
     * Releases every LED still claimed and drops the exit hook. Idempotent.
     *
     * @throws HalException for the first LED whose trigger could not be put back, the others suppressed
     */
    @Override
    public void close() {
        Thread hook;
        synchronized (this) {
            hook = exitHook;
            exitHook = null;
        }
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is exiting and runs the hook itself; releasing here too is harmless (idempotent).
            }
        }
        HalException first = releaseAll();
        if (first != null) throw first;
    }

    private void releaseAtExit() {
        HalException first = releaseAll();
        if (first != null) {
            // No caller is left to throw to: the process's stderr (the runtime's log) is where it can be seen.
            System.err.println("pirt: giving LEDs back to the kernel at exit failed: " + first.getMessage());
            for (Throwable t : first.getSuppressed()) System.err.println("pirt: " + t.getMessage());
        }
    }

    private HalException releaseAll() {
        List<SysfsLed> all;
        synchronized (this) {
            all = new ArrayList<>(claimed);
            claimed.clear();
        }
        HalException first = null;
        for (SysfsLed led : all) {
            try {
                led.release();
            } catch (HalException e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        return first;
    }

    /** The LED names under {@link #dir}, for a message. */
    private String present() {
        if (!Files.isDirectory(dir)) return "none (" + dir + " does not exist: no LED class here)";
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            return names.isEmpty() ? "none" : String.join(", ", names);
        } catch (IOException e) {
            return "unknown (" + dir + " cannot be listed: " + e.getMessage() + ")";
        }
    }
}
