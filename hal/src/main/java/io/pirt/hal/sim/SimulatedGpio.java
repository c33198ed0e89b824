package io.pirt.hal.sim;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.Pin;
import io.pirt.hal.GpioLines;
import io.pirt.hal.HalException;
import io.pirt.hal.PinMode;
import java.util.HashMap;
import java.util.Map;

/**
 * The simulated board's GPIO: pins with state, connected by a {@link Wiring}. Writing an
 * output changes the inputs jumpered to it and records their level changes on the writer's
 * thread, for their callback threads to take; {@link #press(String)} and {@link #release(String)} work a wired button, and
 * {@link #isLit(String)} looks at a wired LED. Thread-safe; a write allocates nothing.
 *
 * <p>An input's level is, in this order: the output jumpered to it (while that pin is an
 * output), a pressed button on it, its pull resistor (up: active; down or none: inactive).
 */
public final class SimulatedGpio implements GpioLines {
    private final BoardProfile profile;
    private final Wiring wiring;
    /** One per profile pin, by pin name; the map never changes after construction. */
    private final Map<String, SimPin> pins = new HashMap<>();
    /** The same pins, for allocation-free walks. */
    private final SimPin[] all;

    /** State of one pin. Fields guarded by the SimulatedGpio. */
    private static final class SimPin {
        /** Null while the pin is not configured. */
        PinMode mode;
        boolean output;
        /** The output pin jumpered to this one, or null. */
        SimPin drivenBy;
        /** Level a wired button forces while pressed, or null when no button is pressed on it. */
        Boolean buttonLevel;
        /** Where this pin's level changes go while it is watched, else null. */
        LevelRing watch;
        /** Level last recorded in the watch. */
        boolean reported;
    }

    public SimulatedGpio(BoardProfile profile, Wiring wiring) {
        this.profile = profile;
        this.wiring = wiring;
        for (Pin p : profile.pins()) pins.put(p.name(), new SimPin());
        all = pins.values().toArray(SimPin[]::new);
        wiring.jumpers.forEach((from, targets) -> {
            for (String to : targets) pins.get(to).drivenBy = pins.get(from);
        });
    }

    @Override
    public synchronized void configure(Pin pin, PinMode mode) {
        SimPin p = pin(pin.name());
        p.mode = mode;
        p.output = false;
        reportChanges();
    }

    @Override
    public synchronized boolean read(Pin pin) {
        return level(configured(pin));
    }

    @Override
    public synchronized void write(Pin pin, boolean active) {
        SimPin p = configured(pin);
        if (p.mode != PinMode.OUTPUT) throw new HalException("pin " + pin.name() + " is not an output");
        p.output = active;
        reportChanges();
    }

    @Override
    public synchronized LevelChanges watch(Pin pin) {
        SimPin p = configured(pin);
        if (p.mode == PinMode.OUTPUT) throw new HalException("pin " + pin.name() + " is an output; only an input has level changes");
        p.watch = new LevelRing();
        p.reported = level(p);
        return p.watch;
    }

    @Override
    public synchronized void release(Pin pin) {
        SimPin p = pin(pin.name());
        p.mode = null;
        p.watch = null;
        reportChanges();
    }

    @Override
    public synchronized void close() {
        for (SimPin p : all) {
            p.mode = null;
            p.watch = null;
        }
    }

    /**
     * Presses wired button {@code name}, held until {@link #release(String)}.
     *
     * @throws HalException if no such button is wired
     */
    public void press(String name) {
        setPressed(name, true);
    }

    /** Lets go of wired button {@code name}. */
    public void release(String name) {
        setPressed(name, false);
    }

    private synchronized void setPressed(String name, boolean down) {
        Wiring.Button b = wiring.buttons.get(name);
        if (b == null) throw new HalException("no button '" + name + "' is wired; the wiring has " + wiring.buttons.keySet());
        pins.get(b.pin()).buttonLevel = down ? b.pressedLevel() : null;
        reportChanges();
    }

    /**
     * True while the pin of wired LED {@code name} is an active output.
     *
     * @throws HalException if no such LED is wired
     */
    public synchronized boolean isLit(String name) {
        String pin = wiring.leds.get(name);
        if (pin == null) throw new HalException("no LED '" + name + "' is wired; the wiring has " + wiring.leds.keySet());
        SimPin p = pins.get(pin);
        return p.mode == PinMode.OUTPUT && p.output;
    }

    /** The level of pin {@code nameOrAlias} as the simulation has it, open or not. */
    public synchronized boolean level(String nameOrAlias) {
        return level(pins.get(profile.pin(nameOrAlias).name()));
    }

    /** Caller holds this. */
    private static boolean level(SimPin p) {
        if (p.mode == PinMode.OUTPUT) return p.output;
        if (p.drivenBy != null && p.drivenBy.mode == PinMode.OUTPUT) return p.drivenBy.output;
        if (p.buttonLevel != null) return p.buttonLevel;
        return p.mode == PinMode.INPUT_PULLUP;
    }

    /**
     * Records each change of a watched pin's level in its ring (which never blocks), with this
     * monitor held, which keeps the changes of one pin in order. Caller holds this.
     */
    private void reportChanges() {
        long now = System.nanoTime();
        for (SimPin p : all) {
            if (p.watch == null) continue;
            boolean level = level(p);
            if (level != p.reported) {
                p.reported = level;
                p.watch.record(level, now);
            }
        }
    }

    private SimPin pin(String name) {
        SimPin p = pins.get(name);
        if (p == null) throw new HalException("board " + profile.id() + " has no pin " + name);
        return p;
    }

    private SimPin configured(Pin pin) {
        SimPin p = pin(pin.name());
        if (p.mode == null) throw new HalException("pin " + pin.name() + " is not configured");
        return p;
    }
}
