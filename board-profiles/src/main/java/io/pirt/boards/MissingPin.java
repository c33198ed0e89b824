package io.pirt.boards;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one wording of "this board has no pin of that name" ({@link BoardProfile#noPinNamed}):
 * the header pins the board has, and how to give one of them the name asked for, which is an
 * alias in a board file that extends the profile, passed to the runtime with
 * {@code --board-file} (docs/board-profiles.md, "Inheritance (extends)"; on a Pi the runtime's
 * options are {@code PIRT_OPTS} in {@code /etc/pirt/pirt.conf}, docs/raspberry-pi.md). One line,
 * so the console and the log keep it whole.
 */
final class MissingPin {
    /** The header pin the advice aliases when the board has it and no alias names it yet (GPIO 17, header pin 11 on a Pi). */
    static final String PREFERRED_PIN = "D17";
    /** Alias names follow the pin-name pattern (docs/board-profiles.md): for another name the advice would not load. */
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    /** A name that ends in a number, D17: prefix and number. */
    private static final Pattern NUMBERED = Pattern.compile("([A-Z_]*[A-Z_])(\\d+)");

    private MissingPin() {
    }

    static String message(BoardProfile profile, String nameOrAlias) {
        String id = profile.id();
        StringBuilder m = new StringBuilder("board ").append(id).append(" has no pin or alias '").append(nameOrAlias).append("'");
        List<String> header = profile.pins().stream().filter(p -> p.header().isPresent()).map(Pin::name).toList();
        m.append("; its header pins are ").append(header.isEmpty() ? "none" : ranges(header));
        if (!profile.aliases().isEmpty()) {
            List<String> aliases = new ArrayList<>();
            profile.aliases().forEach((alias, target) -> aliases.add(alias + " (" + target + ")"));
            m.append(", its aliases ").append(String.join(", ", aliases));
        }
        m.append(" (pirt boards show ").append(id).append(" lists them with header numbers)");
        String pin = suggestedPin(profile);
        if (pin == null || !NAME.matcher(nameOrAlias).matches()) return m.toString();
        if (isBuiltIn(profile)) {
            String file = "/etc/pirt/my-" + id + ".yaml";
            m.append(". To give a header pin that name, write a board file that extends ").append(id).append(", e.g. ").append(file)
                    .append(" holding ").append(boardFile(profile, nameOrAlias, pin))
                    .append(", and start the runtime with --board-file ").append(file);
            if (!"sim".equals(profile.gpioProvider())) {
                m.append(" (on a Pi: PIRT_OPTS in /etc/pirt/pirt.conf, then sudo systemctl restart pirt-runtime)");
            }
            m.append("; the board is then my-").append(id).append(", which bundles name in --boards");
        } else {
            m.append(". To give a header pin that name, add it to the aliases of ").append(profile.origin())
                    .append(" (aliases: {").append(nameOrAlias).append(": ").append(pin).append("}) and restart the runtime");
        }
        return m.append(" (docs/board-profiles.md, \"Inheritance (extends)\")").toString();
    }

    /**
     * A whole board file, in YAML's one-line flow style, that extends {@code profile} (a built-in
     * one) and names {@code pin} {@code alias}; its id is {@code my-} and the profile's id, which
     * must also be its file name.
     */
    static String boardFile(BoardProfile profile, String alias, String pin) {
        return "{version: 1, id: my-" + profile.id() + ", name: " + profile.id() + " with " + alias + " on " + pin
                + ", extends: " + profile.id() + ", aliases: {" + alias + ": " + pin + "}}";
    }

    /** D17 if it is a free header GPIO pin, else the first header pin that can do GPIO and nothing else and no alias names; null if none. */
    static String suggestedPin(BoardProfile profile) {
        List<Pin> free = profile.pins().stream()
                .filter(p -> p.header().isPresent() && p.has(Capability.GPIO) && !profile.aliases().containsValue(p.name())).toList();
        for (Pin p : free) {
            if (p.name().equals(PREFERRED_PIN)) return p.name();
        }
        return free.stream().filter(p -> p.capabilities().size() == 1).map(Pin::name).findFirst().orElse(null);
    }

    private static boolean isBuiltIn(BoardProfile profile) {
        return profile.origin().startsWith(BoardProfiles.BUILT_IN_DIR);
    }

    /** "D0-D27" for D0, D1, ..., D27; runs of three or more numbers with one prefix become a range, in number order. */
    static String ranges(List<String> names) {
        Map<String, List<Integer>> numbered = new TreeMap<>();
        List<String> others = new ArrayList<>();
        for (String n : names) {
            Matcher m = NUMBERED.matcher(n);
            if (m.matches()) {
                numbered.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
            } else {
                others.add(n);
            }
        }
        List<String> parts = new ArrayList<>();
        numbered.forEach((prefix, numbers) -> {
            numbers.sort(null);
            for (int i = 0; i < numbers.size(); ) {
                int j = i;
                while (j + 1 < numbers.size() && numbers.get(j + 1) == numbers.get(j) + 1) j++;
                if (j - i >= 2) {
                    parts.add(prefix + numbers.get(i) + "-" + prefix + numbers.get(j));
                } else {
                    for (int k = i; k <= j; k++) parts.add(prefix + numbers.get(k));
                }
                i = j + 1;
            }
        });
        parts.addAll(others);
        return String.join(", ", parts);
    }
}
