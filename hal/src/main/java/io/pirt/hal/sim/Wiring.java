package io.pirt.hal.sim;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.Pin;
import io.pirt.hal.HalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is connected to the simulated board's pins: jumpers (an output drives an input),
 * push buttons a test or a person can press, LEDs one can look at. Read from a wiring file
 * (format in docs/hal.md), one item per line:
 *
 * <pre>
 * jumper D17 D27          # D17 drives D27
 * button BTN0 D27 low     # pressing pulls D27 low (open it as INPUT_PULLUP); "high" pulls it high
 * led LED0 D17            # an LED lit while D17 is active
 * </pre>
 *
 * Immutable.
 */
public final class Wiring {
    /** Source pin name to the pins it drives; no pin is driven by two. */
    final Map<String, List<String>> jumpers;
    /** Button name to (pin name, level while pressed). */
    final Map<String, Button> buttons;
    /** LED name to pin name. */
    final Map<String, String> leds;

    record Button(String pin, boolean pressedLevel) {
    }

    private Wiring(Map<String, List<String>> jumpers, Map<String, Button> buttons, Map<String, String> leds) {
        this.jumpers = jumpers;
        this.buttons = buttons;
        this.leds = leds;
    }

    /** Nothing connected. */
    public static Wiring none() {
        return new Wiring(Map.of(), Map.of(), Map.of());
    }

    /**
     * Reads a wiring file; pin names and aliases are resolved with {@code profile}.
     *
     * @throws HalException naming the file and line of the first mistake
     */
    public static Wiring load(Path file, BoardProfile profile) {
        try {
            return parse(file.toString(), Files.readAllLines(file), profile);
        } catch (IOException e) {
            throw new HalException("cannot read wiring file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses wiring text (see the class comment); {@code origin} names it in errors. */
    public static Wiring parse(String origin, List<String> lines, BoardProfile profile) {
        Map<String, List<String>> jumpers = new LinkedHashMap<>();
        Map<String, Button> buttons = new LinkedHashMap<>();
        Map<String, String> leds = new LinkedHashMap<>();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            int hash = line.indexOf('#');
            String[] w = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (w.length == 1 && w[0].isEmpty()) continue;
            String where = origin + ":" + n + ": ";
            switch (w[0]) {
                case "jumper" -> {
                    expect(w, 3, where, "jumper FROM TO");
                    String from = pin(w[1], profile, where);
                    String to = pin(w[2], profile, where);
                    if (from.equals(to)) throw new HalException(where + "a jumper from " + from + " to itself");
                    for (Map.Entry<String, List<String>> j : jumpers.entrySet()) {
                        if (j.getValue().contains(to)) {
                            throw new HalException(where + "pin " + to + " would be driven by both " + j.getKey() + " and " + from);
                        }
                    }
                    jumpers.computeIfAbsent(from, k -> new ArrayList<>()).add(to);
                }
                case "button" -> {
                    expect(w, 4, where, "button NAME PIN low|high");
                    if (!w[3].equals("low") && !w[3].equals("high")) {
                        throw new HalException(where + "a button pulls its pin 'low' or 'high' while pressed, not '" + w[3] + "'");
                    }
                    if (buttons.put(w[1], new Button(pin(w[2], profile, where), w[3].equals("high"))) != null) {
                        throw new HalException(where + "button " + w[1] + " is wired twice");
                    }
                }
                case "led" -> {
                    expect(w, 3, where, "led NAME PIN");
                    if (leds.put(w[1], pin(w[2], profile, where)) != null) throw new HalException(where + "LED " + w[1] + " is wired twice");
                }
                default -> throw new HalException(where + "unknown item '" + w[0] + "': expected jumper, button or led");
            }
        }
        return new Wiring(Map.copyOf(jumpers), Map.copyOf(buttons), Map.copyOf(leds));
    }

    private static void expect(String[] words, int count, String where, String form) {
        if (words.length != count) throw new HalException(where + "expected '" + form + "'");
    }

    private static String pin(String nameOrAlias, BoardProfile profile, String where) {
        return profile.findPin(nameOrAlias).map(Pin::name).orElseThrow(() -> new HalException(where + profile.noPinNamed(nameOrAlias)));
    }
}
