package io.pirt.hal;

import io.pirt.boards.Pin;
import io.pirt.threading.Thread;

/**
 * One GPIO pin of the board, claimed by the application until {@link #close()}: read,
 * write, toggle, and edge callbacks. Get it from {@link Board#pin(String, PinMode)}.
 *
 * <p>Levels are logical: {@code true} is active (high, unless the profile says the pin is
 * active-low). A name the profile lists under {@code leds} (the ACT LED of a Raspberry Pi,
 * as {@code LED0}) is an output driven through the kernel's LED class: active is full
 * brightness, and closing the pin gives the LED back to its kernel trigger. Thread-safe.
 */
public final class GpioPin implements AutoCloseable {
    private final Board board;
    /** The GPIO line, or null when this is an LED-class LED; exactly one of pin and led is set. */
    private final Pin pin;
    /** The kernel LED this output drives, or null when this is a GPIO line. */
    private final SysfsLed led;
    /** The profile's name of the pin or LED ({@code D17}, {@code ACT}). */
    private final String name;
    private final PinMode mode;
    /** The edge callback, or null. Guarded by this. */
    private EdgeWatch watch;
    private volatile boolean closed;

    GpioPin(Board board, Pin pin, PinMode mode) {
        this.board = board;
        this.pin = pin;
        this.led = null;
        this.name = pin.name();
        this.mode = mode;
    }

    /** An LED of the kernel's LED class, always an OUTPUT. */
    GpioPin(Board board, String name, SysfsLed led) {
        this.board = board;
        this.pin = null;
        this.led = led;
        this.name = name;
        this.mode = PinMode.OUTPUT;
    }

    /** The pin's name in the board profile (D17, ACT), whatever alias it was opened by. */
    public String name() {
        return name;
    }

    /**
     * The line on the GPIO chip (the BCM number on a Raspberry Pi), or -1 for an LED of the
     * kernel's LED class, which pirt drives through sysfs rather than a line.
     */
    public int line() {
        return pin != null ? pin.line() : -1;
    }

    public PinMode mode() {
        return mode;
    }

    /** The pin's level: what drives an input, or what an output was set to. */
    public boolean read() {
        checkOpen();
        return led != null ? led.read() : board.lines().read(pin);
    }

    /**
     * Drives the output to {@code active}.
     *
     * @throws HalException if the pin is an input
     */
    public void write(boolean active) {
        checkOpen();
        if (mode.isInput()) throw new HalException("pin " + name + " is open as " + mode + ": only an OUTPUT pin can be written");
        if (led != null) led.write(active);
        else board.lines().write(pin, active);
    }

    /** Drives the output to the opposite of its level; returns the new level. */
    public synchronized boolean toggle() {
        boolean next = !read();
        write(next);
        return next;
    }

    /**
     * Calls {@code callback} on a thread at {@link Thread#PRIO_HIGHEST} (as Zerynth runs pin
     * interrupts at top priority) for each {@code edge}, after {@code debounceMs} of stable
     * level (0: no debouncing).
     *
     * @throws HalException if the pin is an output or already has a callback
     */
    public EdgeWatch onEdge(Edge edge, long debounceMs, EdgeCallback callback) {
        return onEdge(edge, debounceMs, Thread.PRIO_HIGHEST, callback);
    }

    /** As {@link #onEdge(Edge, long, EdgeCallback)}, with the callback thread at {@code priority}. */
    public synchronized EdgeWatch onEdge(Edge edge, long debounceMs, int priority, EdgeCallback callback) {
        checkOpen();
        if (!mode.isInput()) throw new HalException("pin " + name + " is an OUTPUT: edge callbacks need an input pin");
        if (watch != null && !watch.isClosed()) {
            throw new HalException("pin " + pin.name() + " already has an edge callback; close its EdgeWatch first");
        }
        GpioLines.LevelChanges changes = board.lines().watch(pin);
        EdgeWatch w;
        try {
            // Read after the watch started: a change after this read is among the changes; one before it, a repeat.
            w = new EdgeWatch(pin.name(), edge, debounceMs, priority, board.lines().read(pin), changes, callback);
        } catch (RuntimeException | Error e) {
            changes.close(); // no thread took it over
            throw e;
        }
        watch = w;
        return w;
    }

    /** Stops any callback and gives the pin back; it can then be opened again. */
    @Override
    public void close() {
        EdgeWatch w;
        synchronized (this) {
            if (closed) return;
            closed = true;
            w = watch;
        }
        if (w != null) w.close();
        if (led != null) board.release(this, led);
        else board.release(this, pin);
    }

    private void checkOpen() {
        if (closed) throw new HalException("pin " + name + " was closed; open it again with Board.pin()");
    }

    @Override
    public String toString() {
        return "GpioPin[" + name + ", " + (led != null ? led : "line " + pin.line()) + ", " + mode + "]";
    }
}
