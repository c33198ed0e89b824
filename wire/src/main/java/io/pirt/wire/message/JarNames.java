package io.pirt.wire.message;

import java.nio.file.Path;

/** How both ends name a library jar when they compare what a board has with what a tool would send. */
public final class JarNames {
    private JarNames() {
    }

    /** A jar's file name without {@code .jar} and without its version: {@code jackson-core-2.21.3.jar} is {@code jackson-core}. */
    public static String baseName(Path jar) {
        String n = jar.getFileName().toString();
        if (n.endsWith(".jar")) n = n.substring(0, n.length() - 4);
        return n.replaceFirst("-\\d[^/]*$", "");
    }
}
