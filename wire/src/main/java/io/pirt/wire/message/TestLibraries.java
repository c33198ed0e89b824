package io.pirt.wire.message;

import java.util.List;

/**
 * The answer to {@code test-libs}: what every application on the board already has on its
 * class path, so a test bundle leaves it out.
 *
 * @param jars        jar base names ({@link JarNames#baseName})
 * @param directories class directories, absolute paths (a development board's build tree)
 */
public record TestLibraries(List<String> jars, List<String> directories) {
    public TestLibraries {
        jars = List.copyOf(jars);
        directories = List.copyOf(directories);
    }
}
