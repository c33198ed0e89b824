package io.pirt.runtime;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The pirt libraries an application links against (threading, hal, board profiles and their
 * dependencies), for the application's class path: given explicitly ({@code --app-libs}, as
 * the Debian package does), or else the runtime's own class path without the runtime-only
 * parts (pirt-runtime, pirt-flash-tools, picocli).
 */
final class AppLibraries {
    private AppLibraries() {
    }

    static List<Path> resolve(String explicit) {
        String cp = explicit != null ? explicit : System.getProperty("java.class.path");
        return Arrays.stream(cp.split(File.pathSeparator))
                .filter(e -> !e.isBlank())
                .filter(e -> explicit != null || !runtimeOnly(e))
                .map(Path::of)
                .toList();
    }

    /** The runtime's own code and its command-line library: a jar by its name, or a module's class directory in a build tree. */
    private static boolean runtimeOnly(String entry) {
        String e = entry.replace('\\', '/');
        while (e.endsWith("/")) e = e.substring(0, e.length() - 1);
        String name = e.substring(e.lastIndexOf('/') + 1);
        return name.startsWith("pirt-runtime") || name.startsWith("pirt-flash-tools") || name.startsWith("picocli")
                || e.endsWith("/runtime/target/classes") || e.endsWith("/flash-tools/target/classes") || e.endsWith("/target/test-classes");
    }
}
