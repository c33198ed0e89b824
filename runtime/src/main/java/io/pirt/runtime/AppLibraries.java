package io.pirt.runtime;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The pirt libraries an application links against (threading, hal, board profiles and their
 * dependencies), for the application's class path: given explicitly ({@code --app-libs}, as
 * the Debian package does), or else the runtime's own class path without what is not the
 * application API's: the runtime and the parts only it uses (wire, bundle, picocli), and
 * what a host process that started it may have on its class path (the tool, the virtual
 * board, the JUnit support and JUnit itself). JUnit in particular must never be there: a test
 * bundle that relied on the virtual board having it would fail on a real board.
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

    /** Jars (by name) that are not the application API's. */
    private static final List<String> NOT_FOR_APPS = List.of("pirt-runtime", "pirt-wire", "pirt-bundle", "pirt-flash-tools",
            "pirt-virtual-board", "pirt-junit", "pirt-board-test", "pirt-maven-plugin", "picocli", "jline", "junit-",
            "opentest4j", "apiguardian");
    /** Class directories of those parts in a build tree. */
    private static final List<String> NOT_FOR_APPS_DIRS = List.of("runtime", "wire", "bundle", "flash-tools", "virtual-board",
            "junit", "board-test", "maven-plugin");

    /** Not for applications: a jar by its name, or a module's class directory in a build tree. */
    private static boolean runtimeOnly(String entry) {
        String e = entry.replace('\\', '/');
        while (e.endsWith("/")) e = e.substring(0, e.length() - 1);
        String name = e.substring(e.lastIndexOf('/') + 1);
        if (e.endsWith("/target/test-classes")) return true;
        for (String prefix : NOT_FOR_APPS) if (name.startsWith(prefix)) return true;
        for (String dir : NOT_FOR_APPS_DIRS) if (e.endsWith("/" + dir + "/target/classes")) return true;
        return false;
    }
}
