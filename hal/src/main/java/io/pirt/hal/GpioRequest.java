package io.pirt.hal;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code gpio} command of the runtime's shell, parsed: {@code gpio read PIN},
 * {@code gpio write PIN 0|1}, {@code gpio press BUTTON} or {@code gpio release BUTTON}. The
 * one grammar for it: the runtime's shell parses a command line with it, and an
 * application's process parses the same line when the runtime forwards it there (while an
 * application runs it owns the board's lines). Immutable.
 *
 * @param action what to do
 * @param pin    the pin or button, as the board profile names it ({@code D17}, {@code LED0}, {@code BUTTON0})
 * @param level  for {@link Action#WRITE}, the level to drive; false for the other actions
 */
public record GpioRequest(Action action, String pin, boolean level) {
    /** The grammar, for a usage message. */
    public static final String USAGE = "gpio read PIN | gpio write PIN 0|1 | gpio press BUTTON | gpio release BUTTON";

    /** What a {@code gpio} command does. */
    public enum Action {
        /** Read a pin's level. */
        READ,
        /** Drive a pin no application owns. */
        WRITE,
        /** Press a button of the simulated board. */
        PRESS,
        /** Release a button of the simulated board. */
        RELEASE
    }

    public GpioRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(pin, "pin");
        if (action != Action.WRITE && level) throw new IllegalArgumentException("only a write has a level");
    }

    /**
     * Parses a command line already split into words, {@code words[0]} being {@code gpio}.
     *
     * @return the request, or empty if the words do not follow {@link #USAGE}
     */
    public static Optional<GpioRequest> parse(String[] words) {
        if (words.length < 3 || !words[0].equals("gpio")) return Optional.empty();
        String pin = words[2];
        return switch (words[1]) {
            case "read" -> words.length == 3 ? Optional.of(new GpioRequest(Action.READ, pin, false)) : Optional.empty();
            case "press" -> words.length == 3 ? Optional.of(new GpioRequest(Action.PRESS, pin, false)) : Optional.empty();
            case "release" -> words.length == 3 ? Optional.of(new GpioRequest(Action.RELEASE, pin, false)) : Optional.empty();
            case "write" -> words.length == 4 && (words[3].equals("0") || words[3].equals("1"))
                    ? Optional.of(new GpioRequest(Action.WRITE, pin, words[3].equals("1")))
                    : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** The command line that {@link #parse} reads back as this request, e.g. {@code gpio write D17 1}. */
    public String commandLine() {
        return "gpio " + action.name().toLowerCase(java.util.Locale.ROOT) + " " + pin
                + (action == Action.WRITE ? (level ? " 1" : " 0") : "");
    }
}
