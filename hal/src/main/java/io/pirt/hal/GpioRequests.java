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

    /** Carries out {@code gpio read PIN | write PIN 0|1 | press BUTTON | release BUTTON}; returns "ok ..." or "error ...". */
    static synchronized String answer(String[] w) {
        try {
            Board board = Board.current();
            if (w.length == 3 && w[1].equals("read")) {
                return "ok " + w[2] + "=" + (level(board, w[2]) ? 1 : 0);
            }
            if (w.length == 4 && w[1].equals("write") && (w[3].equals("0") || w[3].equals("1"))) {
                GpioPin p = SHELL_PINS.get(w[2]);
                if (p == null) {
                    if (board.isOpen(w[2])) return "error pin " + w[2] + " is in use by the application";
                    p = board.pin(w[2], PinMode.OUTPUT);
                    SHELL_PINS.put(w[2], p);
                }
                p.write(w[3].equals("1"));
                return "ok " + w[2] + "=" + w[3];
            }
            if (w.length == 3 && (w[1].equals("press") || w[1].equals("release"))) {
                var sim = board.simulation().orElse(null);
                if (sim == null) return "error buttons can be pressed only on the simulated board";
                if (w[1].equals("press")) sim.press(w[2]); else sim.release(w[2]);
                return "ok " + w[2] + (w[1].equals("press") ? " pressed" : " released");
            }
            return "error usage: gpio read PIN | gpio write PIN 0|1 | gpio press BUTTON | gpio release BUTTON";
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
