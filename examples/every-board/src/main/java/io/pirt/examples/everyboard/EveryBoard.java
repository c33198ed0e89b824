package io.pirt.examples.everyboard;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.LedClassDevice;
import io.pirt.boards.Pin;
import io.pirt.hal.Board;
import io.pirt.hal.GpioPin;
import io.pirt.hal.HalException;
import io.pirt.hal.PinMode;
import io.pirt.hal.Supervisor;
import io.pirt.threading.Periodic;
import io.pirt.threading.Thread;
import io.pirt.threading.Threading;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An application that runs on every built-in board as shipped, with no board file: the
 * virtual board and every Raspberry Pi profile. It names only what they all have
 * ({@code EveryBoardPinsTest} checks each profile): header pins {@value #OUTPUT_PIN} (header
 * pin 15 on a Pi) and {@value #INPUT_PIN} (16), and the board's status LED.
 *
 * <p>A periodic thread at {@code PRIO_HIGH} (SCHED_FIFO where the runtime may use it) wakes
 * every 500 ms, drives {@value #OUTPUT_PIN} to the other level, lights the status LED with
 * it, reads {@value #INPUT_PIN} back and prints what it did and how late it woke. With a
 * jumper wire from header pin 15 to 16 (the virtual board has one), {@value #INPUT_PIN}
 * follows; without one its pull-down keeps it low. A board whose status LED cannot be used
 * (none in the profile, or not in {@code /sys/class/leds}, as on QEMU's emulated 3 B) runs
 * without it and says why.
 */
public final class EveryBoard {
    /** The header pins it uses: on every built-in board, free of the console, I2C and SPI. */
    static final String OUTPUT_PIN = "D22", INPUT_PIN = "D23";
    static final long PERIOD_MICROS = 500_000;

    private EveryBoard() {
    }

    public static void main(String[] args) {
        Board board = Board.current();
        BoardProfile profile = board.profile();
        // The runtime tells an application which bundle it came in; run by hand it is "dev".
        String version = System.getProperty("pirt.bundle.version", "dev");
        System.out.println("every-board " + version + " on " + profile.name() + " (board " + profile.id() + "), scheduling "
                + Threading.schedulingMode());
        Optional<GpioPin> led = openStatusLed(board, System.out::println);
        GpioPin out = board.pin(OUTPUT_PIN, PinMode.OUTPUT);
        GpioPin in = board.pin(INPUT_PIN, PinMode.INPUT_PULLDOWN);
        System.out.println(OUTPUT_PIN + " (header pin " + header(profile, OUTPUT_PIN) + ") changes level every "
                + PERIOD_MICROS / 1000 + " ms and " + INPUT_PIN + " (header pin " + header(profile, INPUT_PIN)
                + ") is read back: with a jumper between the two pins it follows, else it reads low");

        Thread loop = new Thread(() -> {
            Periodic every = Periodic.everyMicros(PERIOD_MICROS);
            for (int n = 1; ; n++) {
                long lateNanos = every.waitNext();
                System.out.println(tick(n, out, in, led.orElse(null), lateNanos));
            }
        }, "every-board");
        loop.start(Thread.PRIO_HIGH);
        Supervisor.markHealthy();
    }

    /**
     * The board's status LED opened as an output, or empty when the profile names none or it
     * cannot be opened; {@code say} is told which, and why.
     */
    static Optional<GpioPin> openStatusLed(Board board, Consumer<String> say) {
        BoardProfile profile = board.profile();
        Optional<String> name = profile.statusLedDevice().map(LedClassDevice::name).or(() -> profile.statusLed().map(Pin::name));
        if (name.isEmpty()) {
            say.accept("no status LED on this board (" + profile.statusLedNote() + "); carrying on without one");
            return Optional.empty();
        }
        try {
            GpioPin led = board.pin(name.get(), PinMode.OUTPUT);
            say.accept("status LED " + name.get() + " blinks with " + OUTPUT_PIN);
            return Optional.of(led);
        } catch (HalException e) {
            say.accept("status LED " + name.get() + " cannot be used, carrying on without it: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * One period's work: {@code out} to the other level, {@code led} (null: none) with it,
     * {@code in} read back. Returns the line to print.
     */
    static String tick(int n, GpioPin out, GpioPin in, GpioPin led, long lateNanos) {
        boolean level = out.toggle();
        if (led != null) led.write(level);
        return "tick " + n + ": " + out.name() + " " + (level ? "high" : "low") + ", " + in.name() + " reads " + (in.read() ? "high" : "low")
                + (led == null ? "" : ", LED " + led.name() + (level ? " on" : " off")) + "; woke " + lateNanos / 1000 + " us late";
    }

    private static String header(BoardProfile profile, String pin) {
        return profile.pin(pin).header().stream().mapToObj(Integer::toString).findFirst().orElse("none");
    }
}
