package io.pirt.hal.pi4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;

/**
 * Where Pi4J's gpiod provider loads its native libraries from.
 *
 * <p>Pi4J 3.0.3 (NativeLibraryLoader in pi4j-library-gpiod) loads {@code libgpiod.so} and
 * {@code libpi4j-gpiod.so}: from the directory in system property
 * {@code pi4j.library.path} if set, else by copying them from its jar
 * ({@code /lib/<armhf|aarch64>/pi4j-gpiod/}) to {@code Files.createTempFile}, that is into
 * {@code java.io.tmpdir}, which fails on a /tmp mounted {@code noexec}. When system property
 * {@code pirt.native.dir} is set (and {@code pi4j.library.path} is not), pirt copies them
 * into {@code <pirt.native.dir>/pi4j-<version>/} itself and sets {@code pi4j.library.path}.
 */
final class Pi4jNativeLibrary {
    static final String DIR_PROPERTY = "pirt.native.dir";
    static final String PI4J_PATH_PROPERTY = "pi4j.library.path";
    /** In load order: libpi4j-gpiod.so needs libgpiod.so.2, which is the first one's soname. */
    static final List<String> FILES = List.of("libgpiod.so", "libpi4j-gpiod.so");
    private static final String ANCHOR_CLASS = "com.pi4j.library.gpiod.internal.GpioD";

    private Pi4jNativeLibrary() {
    }

    /**
     * Applies {@code pirt.native.dir} to Pi4J, before Pi4J loads anything. Returns the
     * directory Pi4J will load from, or null when Pi4J keeps its own way (no
     * {@code pirt.native.dir}, {@code pi4j.library.path} already set, or a machine that is
     * neither armhf nor aarch64, where Pi4J has no library).
     *
     * @throws IOException if the libraries cannot be copied into the directory
     */
    static synchronized Path configure() throws IOException {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank() || System.getProperty(PI4J_PATH_PROPERTY) != null) return null;
        String arch = pi4jArchitecture(System.getProperty("os.arch", ""));
        if (arch == null) return null;
        Class<?> anchor;
        try {
            anchor = Class.forName(ANCHOR_CLASS, false, Pi4jNativeLibrary.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IOException("pi4j-library-gpiod is not on the class path (" + ANCHOR_CLASS + ")", e);
        }
        Path target = extractTo(Path.of(dir.strip()), arch, anchor);
        System.setProperty(PI4J_PATH_PROPERTY, target.toString());
        return target;
    }

    /** Pi4J's folder name for {@code os.arch}: as NativeLibraryLoader maps it; null if it has none. */
    static String pi4jArchitecture(String osArch) {
        return switch (osArch.toLowerCase()) {
            case "arm", "armhf" -> "armhf";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
    }

    /**
     * Copies the libraries for {@code arch} from the jar of {@code anchor} into
     * {@code dir/pi4j-<version>/} and returns that folder. A file already there is kept
     * (each version has its own folder; files are written under a temporary name and renamed).
     */
    static Path extractTo(Path dir, String arch, Class<?> anchor) throws IOException {
        Path target = dir.toAbsolutePath().resolve("pi4j-" + version(anchor));
        Files.createDirectories(target);
        for (String file : FILES) {
            Path out = target.resolve(file);
            if (Files.isRegularFile(out)) continue;
            String resource = "/lib/" + arch + "/pi4j-gpiod/" + file;
            try (InputStream in = anchor.getResourceAsStream(resource)) {
                if (in == null) throw new IOException("resource " + resource + " is missing from Pi4J's jar");
                Path partial = Files.createTempFile(target, file, ".part");
                try {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(partial);
                }
            }
        }
        return target;
    }

    private static String version(Class<?> anchor) throws IOException {
        try (InputStream in = anchor.getResourceAsStream("/META-INF/maven/com.pi4j/pi4j-library-gpiod/pom.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        }
    }
}
