package io.pirt.hal;

import java.util.HashMap;
import java.util.Map;

/**
 * The runtime shell's {@code gpio} command, carried out inside the application process
 * while an application runs (it owns the board's lines then): read any pin, write a pin the
 * application has not opened, press or release a simulated button.
 */
final class GpioRequests {
    /** Pins opened for the shell, kept open so a written level holds. Guarded by GpioRequests.class. */
    private static final Map<String, GpioPin> SHELL_PINS = new HashMap<>();

    private GpioRequests() {
    }

    /** Carries out a {@code gpio} command line split into words ({@link GpioRequest#USAGE}); returns "ok ...", "error ..." or "unsupported ..." (what this board cannot do). */
    static synchronized String answer(String[] words) {
        GpioRequest request = GpioRequest.parse(words).orElse(null);
        if (request == null) return "error usage: " + GpioRequest.USAGE;
        String pin = request.pin();
        try {
            Board board = Board.current();
            return switch (request.action()) {
                case READ -> "ok " + pin + "=" + (level(board, pin) ? 1 : 0);
                case WRITE -> {
                    GpioPin p = SHELL_PINS.get(pin);
                    if (p == null) {
                        if (board.isOpen(pin)) yield "error pin " + pin + " is in use by the application";
                        p = board.pin(pin, PinMode.OUTPUT);
                        SHELL_PINS.put(pin, p);
                    }
                    p.write(request.level());
                    yield "ok " + pin + "=" + (request.level() ? 1 : 0);
                }
                case PRESS, RELEASE -> {
                    var sim = board.simulation().orElse(null);
                    if (sim == null) yield "unsupported buttons can be pressed only on the simulated board";
                    if (request.action() == GpioRequest.Action.PRESS) sim.press(pin); else sim.release(pin);
                    yield "ok " + pin + (request.action() == GpioRequest.Action.PRESS ? " pressed" : " released");
                }
            };
        } catch (HalException | IllegalArgumentException e) { // IllegalArgumentException: no such pin in the profile
            return "error " + e.getMessage();
        }
    }

    private static boolean level(Board board, String pin) {
        var sim = board.simulation();
        if (sim.isPresent()) return sim.get().level(pin);
        GpioPin shell = SHELL_PINS.get(pin);
        if (shell != null) return shell.read();
        if (board.isOpen(pin)) throw new HalException("pin " + pin + " is in use by the application; it reads it itself");
        try (GpioPin p = board.pin(pin, PinMode.INPUT)) {
            return p.read();
        }
    }
}
