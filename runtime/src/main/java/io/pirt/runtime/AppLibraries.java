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

    private static boolean runtimeOnly(String entry) {
        String e = entry.replace('\\', '/');
        String name = e.substring(e.lastIndexOf('/', e.endsWith("/") ? e.length() - 2 : e.length()) + 1);
        return name.startsWith("pirt-runtime") || name.startsWith("pirt-flash-tools") || name.startsWith("picocli")
                || e.contains("/runtime/target/") || e.contains("/flash-tools/target/");
    }
}
