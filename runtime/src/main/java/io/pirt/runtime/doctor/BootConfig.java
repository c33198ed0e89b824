package io.pirt.runtime.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Raspberry Pi {@code config.txt} read for one board model: which {@code key=value} lines
 * the firmware applies to it under the conditional filters
 * (https://www.raspberrypi.com/documentation/computers/config_txt.html#conditional-filters):
 * {@code [all]} resets every filter; {@code [none]} applies nothing until the next
 * {@code [all]}; a model filter ({@code [pi4]}, {@code [cm4]}, ...) replaces the previous
 * model filter and applies to the models of the documented table (a CM4 sees {@code [pi4]}
 * and {@code [cm4]}, a 3B+ {@code [pi3]} and {@code [pi3+]}, a Zero 2 W {@code [pi0]},
 * {@code [pi0w]} and {@code [pi02]}); filters of other types ({@code [EDID=...]},
 * {@code [gpio4=1]}, {@code [0x12345678]}, {@code [tryboot]}) depend on things the doctor
 * cannot see, so their lines count as not applied. {@code include} is not followed. Immutable.
 */
final class BootConfig {
    /** The model filters the firmware knows; any other bracketed name is a filter of another type. */
    private static final Set<String> MODEL_FILTERS = Set.of("pi1", "pi2", "pi3", "pi3+", "pi4", "pi400", "cm4", "cm4s", "pi0", "pi0w",
            "pi02", "pi5", "cm5", "pi500");
    /** The model filters each built-in board sees (the documented table). */
    private static final Map<String, Set<String>> BOARD_FILTERS = Map.of("rpi-3b", Set.of("pi3"), "rpi-3b-plus", Set.of("pi3", "pi3+"),
            "rpi-4b", Set.of("pi4"), "rpi-cm4", Set.of("pi4", "cm4"), "rpi-zero-2w", Set.of("pi0", "pi0w", "pi02"), "rpi-5", Set.of("pi5"));

    /**
     * One setting line.
     *
     * @param number  its line number, from 1
     * @param section the filter line it is under ({@code [cm4]}), {@code [all]} at the top
     * @param applies whether the firmware applies it on the board read for
     */
    record Setting(int number, String section, String key, String value, boolean applies) {
        String text() {
            return key + "=" + value;
        }

        String where() {
            return "line " + number + (section.equals("[all]") ? "" : ", under " + section);
        }
    }

    private final List<Setting> settings;

    private BootConfig(List<Setting> settings) {
        this.settings = List.copyOf(settings);
    }

    /** The model filters a board of profile {@code id} (or of the built-in profile it extends) sees; empty for an unknown board. */
    static Set<String> filtersOf(String profileId, Optional<String> extendsId) {
        Set<String> own = BOARD_FILTERS.get(profileId);
        if (own != null) return own;
        return extendsId.map(BOARD_FILTERS::get).orElse(Set.of());
    }

    /** Reads {@code text} for a board that sees {@code modelFilters}. */
    static BootConfig parse(String text, Set<String> modelFilters) {
        List<Setting> settings = new ArrayList<>();
        String model = null;      // the model filter in force; null: none
        String other = null;      // a filter of another type in force; null: none
        boolean none = false;
        String section = "[all]";
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("[") && line.contains("]")) {
                String filter = line.substring(1, line.indexOf(']')).strip();
                section = "[" + filter + "]";
                if (filter.equals("all")) {
                    model = null;
                    other = null;
                    none = false;
                } else if (filter.equals("none")) {
                    none = true;
                } else if (MODEL_FILTERS.contains(filter)) {
                    model = filter;
                } else {
                    other = filter;
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) continue;
            boolean applies = !none && other == null && (model == null || modelFilters.contains(model));
            settings.add(new Setting(i + 1, section, line.substring(0, eq).strip(), line.substring(eq + 1).strip(), applies));
        }
        return new BootConfig(settings);
    }

    /** Every line setting {@code key}, applied or not, in file order. */
    List<Setting> all(String key) {
        return settings.stream().filter(s -> s.key().equals(key)).toList();
    }

    /** The lines setting {@code key} that apply to the board, in file order. */
    List<Setting> applied(String key) {
        return settings.stream().filter(s -> s.applies() && s.key().equals(key)).toList();
    }

    /** The value the firmware ends with for {@code key} (the last applied line wins). */
    Optional<Setting> effective(String key) {
        List<Setting> a = applied(key);
        return a.isEmpty() ? Optional.empty() : Optional.of(a.get(a.size() - 1));
    }

    /** The applied {@code dtoverlay} lines loading {@code overlay} (its name is the value up to the first comma). */
    List<Setting> overlays(String overlay) {
        return applied("dtoverlay").stream().filter(s -> s.value().split(",")[0].strip().equals(overlay)).toList();
    }

    /**
     * Whether a base device-tree parameter is on: the last applied {@code dtparam} line that
     * names it ({@code dtparam=uart0=on}, {@code dtparam=uart0}, several separated by commas).
     */
    Optional<Setting> dtparamOn(String param) {
        return dtparamOn(Set.of(param));
    }

    /**
     * As {@link #dtparamOn(String)} for a parameter with several names, which the base device
     * tree maps to the same property ({@code i2c_arm} and {@code i2c}): the last applied line
     * that names any of them decides.
     */
    Optional<Setting> dtparamOn(Set<String> names) {
        Optional<Setting> last = Optional.empty();
        boolean on = false;
        for (Setting s : applied("dtparam")) {
            for (String p : s.value().split(",")) {
                String[] kv = p.strip().split("=", 2);
                if (!names.contains(kv[0])) continue;
                last = Optional.of(s);
                on = kv.length == 1 || kv[1].equals("on") || kv[1].equals("1") || kv[1].equals("true") || kv[1].equals("yes");
            }
        }
        return on ? last : Optional.empty();
    }
}
