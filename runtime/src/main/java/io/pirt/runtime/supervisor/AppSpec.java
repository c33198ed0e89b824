package io.pirt.runtime.supervisor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to run as the application: its jars (or class directories), main class and
 * arguments, extra JVM flags and system properties. Immutable.
 *
 * @param name       how the console names it (the bundle name, or the jar's file name)
 * @param classpath  the application's own jars; the pirt libraries are added by the supervisor
 * @param mainClass  a class with {@code public static void main(String[])}
 * @param args       arguments for main
 * @param jvmFlags   flags for the application's JVM (heap, GC), before the class path
 * @param properties system properties for the application ({@code -Dkey=value})
 */
public record AppSpec(String name, List<Path> classpath, String mainClass, List<String> args, List<String> jvmFlags,
                      Map<String, String> properties) {
    /** The jars of {@code dir} in name order, for a class path (a slot's, a test bundle's). */
    public static List<Path> jarsIn(Path dir) throws java.io.IOException {
        List<Path> jars = new java.util.ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> d = java.nio.file.Files.newDirectoryStream(dir, "*.jar")) {
            d.forEach(jars::add);
        }
        jars.sort(null);
        return jars;
    }

    public AppSpec {
        classpath = List.copyOf(classpath);
        args = List.copyOf(args);
        jvmFlags = List.copyOf(jvmFlags);
        properties = Map.copyOf(properties);
    }
}
