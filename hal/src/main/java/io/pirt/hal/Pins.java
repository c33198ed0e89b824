package io.pirt.hal;

import java.util.HashMap;
import java.util.Map;

/**
 * Zerynth-style shorthands for ported code, on {@link Board#current()}:
 * {@code pinMode(D17, OUTPUT); digitalWrite(D17, HIGH); onPinFall(BTN0, fn)}. A pin is
 * opened by {@link #pinMode} (again: reopened in the new mode) and stays open.
 * New code should prefer {@link Board#pin(String, PinMode)}, which returns a handle.
 */
public final class Pins {
    public static final PinMode INPUT = PinMode.INPUT, OUTPUT = PinMode.OUTPUT,
            INPUT_PULLUP = PinMode.INPUT_PULLUP, INPUT_PULLDOWN = PinMode.INPUT_PULLDOWN;
    public static final int LOW = 0, HIGH = 1;

    /** Pins opened here, by the name they were opened with. Guarded by Pins.class. */
    private static final Map<String, GpioPin> OPEN = new HashMap<>();

    private Pins() {
    }

    /** Opens {@code pin} (D17, LED0) in {@code mode}, closing it first if it was opened here before. */
    public static synchronized void pinMode(String pin, PinMode mode) {
        GpioPin old = OPEN.remove(pin);
        if (old != null) old.close();
        OPEN.put(pin, Board.current().pin(pin, mode));
    }

    /** {@link #HIGH} or {@link #LOW}. */
    public static int digitalRead(String pin) {
        return opened(pin).read() ? HIGH : LOW;
    }

    /** Drives output {@code pin}: {@code value} 0 is LOW, anything else HIGH. */
    public static void digitalWrite(String pin, int value) {
        opened(pin).write(value != LOW);
    }

    /** Calls {@code fn} at PRIO_HIGHEST on each rising edge of input {@code pin}. */
    public static EdgeWatch onPinRise(String pin, Runnable fn) {
        return onPinRise(pin, fn, 0);
    }

    /** As {@link #onPinRise(String, Runnable)}, after {@code debounceMs} of stable level. */
    public static EdgeWatch onPinRise(String pin, Runnable fn, long debounceMs) {
        return opened(pin).onEdge(Edge.RISING, debounceMs, (active, nanos) -> fn.run());
    }

    /** Calls {@code fn} at PRIO_HIGHEST on each falling edge of input {@code pin}. */
    public static EdgeWatch onPinFall(String pin, Runnable fn) {
        return onPinFall(pin, fn, 0);
    }

    /** As {@link #onPinFall(String, Runnable)}, after {@code debounceMs} of stable level. */
    public static EdgeWatch onPinFall(String pin, Runnable fn, long debounceMs) {
        return opened(pin).onEdge(Edge.FALLING, debounceMs, (active, nanos) -> fn.run());
    }

    private static synchronized GpioPin opened(String pin) {
        GpioPin p = OPEN.get(pin);
        if (p == null) throw new HalException("pin " + pin + " was not set up: call pinMode(\"" + pin + "\", ...) first");
        return p;
    }
}
