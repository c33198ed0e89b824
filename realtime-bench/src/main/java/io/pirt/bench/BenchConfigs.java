package io.pirt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The configurations {@code compare.sh} ran, from its tab-separated file: one line per
 * configuration, {@code name<TAB>reference<TAB>description}, where {@code reference} is the
 * name of the configuration its ratios are taken against ({@code -} for a reference itself)
 * and {@code description} says what was run, for people. Order is kept: it is the order of
 * the report's rows.
 */
record BenchConfigs(List<Config> configs) {
    record Config(String name, Optional<String> reference, String description) {
    }

    BenchConfigs {
        configs = List.copyOf(configs);
    }

    /**
     * @throws IOException naming file and line for a line without three tab-separated fields
     *     or with a reference that is not a configuration of the file
     */
    static BenchConfigs read(Path file) throws IOException {
        List<Config> configs = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t", 3);
            if (f.length != 3) throw new IOException(file + ":" + (i + 1) + ": expected name<TAB>reference<TAB>description");
            configs.add(new Config(f[0].trim(), f[1].trim().equals("-") ? Optional.empty() : Optional.of(f[1].trim()), f[2].trim()));
        }
        for (Config c : configs) {
            if (c.reference().isPresent() && configs.stream().noneMatch(o -> o.name().equals(c.reference().get()))) {
                throw new IOException(file + ": configuration " + c.name() + " refers to " + c.reference().get() + ", which is not in the file");
            }
        }
        return new BenchConfigs(configs);
    }
}
