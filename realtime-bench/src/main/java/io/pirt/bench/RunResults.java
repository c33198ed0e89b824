package io.pirt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runs {@code compare.sh} collected: one line per run of key=value pairs, the
 * {@code RESULT} line of {@link CyclicLatency} or {@link CyclictestHistogram} with the
 * script's {@code phase=}, {@code config=}, {@code rep=} and {@code hlog=} around it.
 * Lines that are blank or start with {@code #} are skipped.
 *
 * <p>Immutable, so thread-safe.
 */
final class RunResults {
    /** One run: its key=value pairs, in file order. */
    record Run(Map<String, String> fields) {
        String phase() {
            return text("phase");
        }

        String config() {
            return text("config");
        }

        String text(String key) {
            String v = fields.get(key);
            if (v == null) throw new IllegalStateException("run " + fields + " has no " + key + "=");
            return v;
        }

        double number(String key) {
            try {
                return Double.parseDouble(text(key));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("run " + fields + ": " + key + "=" + fields.get(key) + " is not a number", e);
            }
        }

        Optional<String> optional(String key) {
            return Optional.ofNullable(fields.get(key));
        }
    }

    /** Orders runs by p99, then max: the middle one of a sorted group is the median run. */
    static final Comparator<Run> BY_P99_THEN_MAX = Comparator.<Run>comparingDouble(r -> r.number("p99_us"))
            .thenComparingDouble(r -> r.number("max_us"));

    private final List<Run> runs;

    RunResults(List<Run> runs) {
        this.runs = List.copyOf(runs);
    }

    /**
     * Reads a results file.
     *
     * @throws IOException naming the file and line when a line is not key=value pairs with phase= and config=
     */
    static RunResults read(Path file) throws IOException {
        List<Run> runs = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            Map<String, String> fields = new LinkedHashMap<>();
            for (String pair : line.split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    if (pair.equals("RESULT")) continue;
                    throw new IOException(file + ":" + (i + 1) + ": \"" + pair + "\" is not key=value");
                }
                fields.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            if (!fields.containsKey("phase") || !fields.containsKey("config") || !fields.containsKey("p99_us")) {
                throw new IOException(file + ":" + (i + 1) + ": a run needs phase=, config= and p99_us=");
            }
            runs.add(new Run(fields));
        }
        return new RunResults(runs);
    }

    /** The runs of one configuration in one phase, in file order. */
    List<Run> runs(String phase, String config) {
        return runs.stream().filter(r -> r.phase().equals(phase) && r.config().equals(config)).toList();
    }

    /** The median run (by p99, then max; the lower middle of an even count), if there is any run. */
    Optional<Run> median(String phase, String config) {
        List<Run> group = new ArrayList<>(runs(phase, config));
        if (group.isEmpty()) return Optional.empty();
        group.sort(BY_P99_THEN_MAX);
        return Optional.of(group.get((group.size() - 1) / 2));
    }

    /** The phases, in the order they first appear. */
    List<String> phases() {
        return runs.stream().map(Run::phase).distinct().toList();
    }
}
