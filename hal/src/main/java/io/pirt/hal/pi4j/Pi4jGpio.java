package io.pirt.hal.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.boardinfo.util.BoardInfoHelper;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputConfig;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import io.pirt.boards.BoardProfile;
import io.pirt.boards.Pin;
import io.pirt.hal.GpioLines;
import io.pirt.hal.HalException;
import io.pirt.hal.PinMode;
import io.pirt.hal.internal.LibC;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The GPIO lines of a real board, on the Linux GPIO character device ({@code /dev/gpiochipN}):
 * outputs through Pi4J 3's gpiod provider, inputs requested by pirt itself through the
 * device's uAPI v2 ({@link InputLine}). The chip is the one the board profile names by label
 * ({@code gpio.chipLabel}, e.g. {@code pinctrl-bcm2711}); the Pi4J context has only the
 * gpiod digital output provider, nothing detected automatically.
 *
 * <p>Inputs report every level change, without debouncing here (GpioPin debounces): a watch
 * ({@link #watch}) is read by the pin's callback thread straight from the kernel's event
 * queue of the line, each change with the kernel's timestamp (CLOCK_MONOTONIC, the clock of
 * {@link System#nanoTime()}). Pi4J's input would read events on an ordinary thread of its own
 * executor and hand over the level only, which is why inputs do not go through it.
 * An output starts inactive and is driven inactive again when released. Levels are logical:
 * for a pin whose profile says {@code activeLow}, active is a low line; pull resistors are
 * physical (INPUT_PULLUP pulls the line high). Thread-safe.
 *
 * <p>Needs read and write access to the chip's device (group {@code gpio} on Raspberry Pi
 * OS) and, on a machine whose /tmp is mounted noexec, system property
 * {@code pirt.native.dir}; docs/hal.md says more. Errors are {@link HalException}s naming
 * the pin, its line and chip, and what to do.
 */
public final class Pi4jGpio implements GpioLines {
    /** "gpiochip0 [pinctrl-bcm2711] (58 lines)", for messages. */
    private final String chip;
    private final Context context;
    /** The chip's device, for the input line requests; closed by close(). */
    private final ChipDevice device;
    /** Configured lines by line offset (BCM number). Guarded by this. */
    private final Map<Integer, Line> lines = new HashMap<>();
    /** Set by close(); guarded by this. */
    private boolean closed;

    /** One configured line: exactly one of input and output is set. */
    private record Line(Pin pin, PinMode mode, InputLine input, DigitalOutput output) {
    }

    /** A backend on {@code context}, whose gpiod output provider is bound to {@code chip}, and on {@code device}, the same chip. */
    Pi4jGpio(String chip, Context context, ChipDevice device) {
        this.chip = chip;
        this.context = context;
        this.device = device;
    }

    /**
     * Opens the GPIO chip of {@code board} through Pi4J.
     *
     * @throws HalException if the profile is not for a real board (provider {@code gpiod}),
     *                      the chip with the profile's label does not exist or cannot be read
     *                      (the message lists the chips there are and how to get access),
     *                      Pi4J does not recognise the board, or its native libraries do not load
     */
    public static Pi4jGpio open(BoardProfile board) {
        if (!"gpiod".equals(board.gpioProvider())) {
            throw new HalException("board " + board.id() + " uses GPIO provider '" + board.gpioProvider()
                    + "'; Pi4jGpio drives boards whose profile says gpio.provider: gpiod");
        }
        GpioChips.Chip chip = GpioChips.find(Path.of("/dev"), board.gpioChipLabel(), board.id());
        if (!BoardInfoHelper.runningOnRaspberryPi()) {
            throw new HalException("Pi4J does not recognise this board as a Raspberry Pi (it reads Revision in /proc/cpuinfo"
                    + " and /proc/device-tree/model), and its gpiod provider then opens no chip, so " + chip + " of board "
                    + board.id() + " cannot be used through Pi4J");
        }
        Path nativeDir;
        try {
            nativeDir = Pi4jNativeLibrary.configure();
        } catch (IOException e) {
            throw new HalException("cannot copy Pi4J's native libraries into " + Pi4jNativeLibrary.DIR_PROPERTY + "="
                    + System.getProperty(Pi4jNativeLibrary.DIR_PROPERTY) + ": " + e, e);
        }
        ChipDevice device = ChipDevice.open(chip.device(), chip.toString());
        Context context;
        try {
            context = Pi4J.newContextBuilder()
                    .add(GpioDDigitalOutputProvider.newInstance())
                    .setGpioChipName(chip.name())
                    .disableShutdownHook() // the runtime closes the board; the kernel frees the lines at exit anyway
                    .build();
        } catch (RuntimeException | LinkageError e) {
            device.close();
            throw new HalException("cannot start Pi4J's gpiod provider on " + chip + ": " + causes(e)
                    + (e instanceof LinkageError || e.getCause() instanceof LinkageError ? nativeHint(nativeDir) : ""), e);
        }
        return new Pi4jGpio(chip.toString(), context, device);
    }

    /**
     * Why GPIO cannot work on {@code board} on this machine, found without starting Pi4J: the
     * message {@link #open} would throw because the GPIO chip the profile names by label
     * ({@code gpio.chipLabel}) is not among {@code /dev/gpiochip*}, or cannot be read. Empty when
     * the chip is there, or when the profile is not a gpiod board. What the runtime says at start
     * on a board whose chip is missing (an emulated userland, a container, a wrong profile).
     *
     * @throws HalException if {@code /dev} cannot be listed, or a chip device exists and JNA cannot load the C library
     */
    public static Optional<String> missingChip(BoardProfile board) {
        return missingChip(board, Path.of("/dev"));
    }

    static Optional<String> missingChip(BoardProfile board, Path devDir) {
        if (!"gpiod".equals(board.gpioProvider())) return Optional.empty();
        GpioChips.Scan scan = GpioChips.scan(devDir);
        for (GpioChips.Chip chip : scan.chips()) {
            if (chip.label().equals(board.gpioChipLabel())) return Optional.empty();
        }
        return Optional.of(GpioChips.notFoundMessage(devDir, board.gpioChipLabel(), board.id(), scan));
    }

    private static String nativeHint(Path nativeDir) {
        if (nativeDir != null) {
            return "; its native libraries were copied into " + nativeDir + " (" + Pi4jNativeLibrary.DIR_PROPERTY
                    + "): is that filesystem mounted noexec?";
        }
        return "; Pi4J copies its native libraries into " + System.getProperty("java.io.tmpdir", "/tmp")
                + " and loads them from there, which fails where that is mounted noexec: set -D"
                + Pi4jNativeLibrary.DIR_PROPERTY + "=DIR to a directory on a filesystem that allows executing files";
    }

    @Override
    public synchronized void configure(Pin pin, PinMode mode) {
        checkOpen();
        Line old = lines.remove(pin.line());
        if (old != null) shutdown(old);
        String id = InputLine.consumerOf(pin); // Pi4J's id, and the consumer label gpioinfo shows
        try {
            if (mode.isInput()) {
                InputLine input = InputLine.request(LibC.get(), device, pin, mode, describe(pin));
                lines.put(pin.line(), new Line(pin, mode, input, null));
            } else {
                DigitalState inactive = physical(false, pin);
                DigitalOutputConfig config = DigitalOutput.newConfigBuilder(context)
                        .id(id).name(pin.name()).address(pin.line())
                        .initial(inactive)
                        .shutdown(inactive)
                        .provider(GpioDDigitalOutputProvider.ID)
                        .build();
                lines.put(pin.line(), new Line(pin, mode, null, context.create(config)));
            }
        } catch (RuntimeException e) {
            throw failure(pin, "configuring it as " + mode, e);
        }
    }

    @Override
    public synchronized boolean read(Pin pin) {
        Line line = line(pin, "read");
        try {
            return line.input != null ? line.input.read() : logical(line.output.state(), pin);
        } catch (RuntimeException e) {
            throw failure(pin, "reading it", e);
        }
    }

    @Override
    public synchronized void write(Pin pin, boolean active) {
        Line line = line(pin, "written");
        if (line.output == null) {
            throw new HalException(pin.name() + " is configured as " + line.mode + "; only an OUTPUT can be written");
        }
        try {
            line.output.state(physical(active, pin));
        } catch (RuntimeException e) {
            throw failure(pin, "writing it", e);
        }
    }

    @Override
    public synchronized LevelChanges watch(Pin pin) {
        Line line = line(pin, "watched");
        if (line.input == null) {
            throw new HalException(pin.name() + " is configured as " + line.mode + "; only an input has level changes");
        }
        return line.input.watch();
    }

    @Override
    public synchronized void release(Pin pin) {
        Line line = lines.remove(pin.line());
        if (line != null) shutdown(line);
    }

    /** Releases every line, then shuts the Pi4J context down (which closes Pi4J's handle of the chip), then closes the chip device. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        List<Line> all = new ArrayList<>(lines.values());
        lines.clear();
        HalException first = null;
        for (Line line : all) {
            try {
                shutdown(line);
            } catch (HalException e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        try {
            context.shutdown();
        } catch (RuntimeException e) {
            HalException h = new HalException("shutting Pi4J down (" + chip + "): " + causes(e), e);
            if (first == null) first = h;
            else first.addSuppressed(h);
        }
        try {
            device.close();
        } catch (RuntimeException e) {
            HalException h = new HalException("closing " + chip + ": " + causes(e), e);
            if (first == null) first = h;
            else first.addSuppressed(h);
        }
        if (first != null) throw first;
    }

    @Override
    public String toString() {
        return "Pi4jGpio[" + chip + "]";
    }

    /** Gives the line back: an input's request is closed (waking its watch); an output is first driven inactive, by its shutdown state. */
    private void shutdown(Line line) {
        try {
            if (line.input != null) line.input.close();
            else context.shutdown(line.output);
        } catch (RuntimeException e) {
            throw failure(line.pin, "releasing it", e);
        }
    }

    private Line line(Pin pin, String what) {
        checkOpen();
        Line line = lines.get(pin.line());
        if (line == null) {
            throw new HalException(pin.name() + " (line " + pin.line() + ") is not configured; configure it before it is " + what);
        }
        return line;
    }

    private void checkOpen() {
        if (closed) throw new HalException("the GPIO backend for " + chip + " is closed");
    }

    /** "D17 (line 17 of gpiochip0 [pinctrl-bcm2711] (58 lines))". */
    private String describe(Pin pin) {
        return pin.name() + " (line " + pin.line() + " of " + chip + ")";
    }

    private HalException failure(Pin pin, String what, RuntimeException e) {
        StringBuilder m = new StringBuilder(describe(pin)).append(": ").append(what).append(" failed: ").append(causes(e));
        if (pin.kernelDriver().isPresent()) {
            m.append("; the board profile says kernel driver ").append(pin.kernelDriver().get())
                    .append(" claims this line at boot, so a request fails as busy until that driver releases it");
        } else if (m.toString().toLowerCase(Locale.ROOT).contains("busy")) {
            m.append("; another program or a kernel driver holds the line: gpioinfo shows each line's consumer");
        }
        return new HalException(m.toString(), e);
    }

    /** The line level that means {@code active} for {@code pin}. */
    static DigitalState physical(boolean active, Pin pin) {
        return active != pin.activeLow() ? DigitalState.HIGH : DigitalState.LOW;
    }

    /** Whether line level {@code state} means active for {@code pin}; UNKNOWN reads as low. */
    static boolean logical(DigitalState state, Pin pin) {
        return (state == DigitalState.HIGH) != pin.activeLow();
    }

    /** The messages of {@code e} and its causes, each once, joined by ": ". */
    static String causes(Throwable e) {
        StringBuilder m = new StringBuilder();
        String last = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String s = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            if (last != null && (last.contains(s) || s.isEmpty())) continue;
            if (m.length() > 0) m.append(": ");
            m.append(s);
            last = s;
        }
        return m.toString();
    }
}
