package io.pirt.hal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads jSerialComm's native library once per process, and turns a failure into a
 * {@link HalException} that says what to do.
 *
 * <p>jSerialComm 2.11.4 (SerialPort's static initialiser) loads its JNI library from, in
 * order: the directory in system property {@code jSerialComm.library.path}
 * ({@code <dir>/Linux/<arch>/libjSerialComm.so} for each architecture it knows, then
 * {@code <dir>/libjSerialComm.so}); the JVM's library path; a copy extracted earlier; and
 * else it extracts the copy in its jar to {@code <java.io.tmpdir>/jSerialComm/<version>/},
 * then to {@code ~/.jSerialComm/<version>/}. A filesystem mounted {@code noexec} refuses to
 * map the file, so on a board whose /tmp and home are both noexec loading fails. When
 * system property {@value #DIR_PROPERTY} names a directory, pirt extracts the libraries
 * there itself and points {@code jSerialComm.library.path} at them (unless that property is
 * already set, which then wins).
 */
final class UartNativeLibrary {
    /** System property: a directory, on a filesystem that allows executing files, for native libraries. */
    static final String DIR_PROPERTY = "pirt.native.dir";
    /** jSerialComm's property for a directory it loads its library from before anything else. */
    static final String JSERIALCOMM_PATH_PROPERTY = "jSerialComm.library.path";
    static final String SERIAL_PORT_CLASS = "com.fazecast.jSerialComm.SerialPort";
    /** The Linux folders in jSerialComm's jar (2.11.4); each holds one libjSerialComm.so. */
    static final List<String> LINUX_ARCHITECTURES =
            List.of("x86_64", "x86", "armv5", "armv6hf", "armv7hf", "armv8_64", "armv8_32", "ppc64le");
    static final String LIBRARY_FILE = "libjSerialComm.so";

    /** True once SerialPort is initialised. Guarded by UartNativeLibrary.class. */
    private static boolean loaded;
    /** Why loading failed, or null; never both this and loaded. Guarded by UartNativeLibrary.class. */
    private static String failureMessage;
    private static Throwable failureCause;

    private UartNativeLibrary() {
    }

    /**
     * Makes sure jSerialComm's native library is loaded. The first call does the work; later
     * calls return at once, or throw the first failure again (the JVM does not retry a failed
     * static initialiser).
     *
     * @throws HalException if the library cannot be extracted or loaded; the message names
     *                      the directories involved and how to choose another
     */
    static synchronized void ensureLoaded() {
        if (loaded) return;
        if (failureMessage != null) throw new HalException(failureMessage, failureCause);
        ClassLoader loader = UartNativeLibrary.class.getClassLoader();
        String dir = System.getProperty(DIR_PROPERTY);
        Path extractedTo = null;
        try {
            Class<?> serialPort = Class.forName(SERIAL_PORT_CLASS, false, loader);
            if (dir != null && !dir.isBlank() && System.getProperty(JSERIALCOMM_PATH_PROPERTY) == null) {
                extractedTo = extractTo(Path.of(dir.strip()), serialPort);
                System.setProperty(JSERIALCOMM_PATH_PROPERTY, extractedTo.toString());
            }
            Class.forName(SERIAL_PORT_CLASS, true, loader);
            loaded = true;
        } catch (ClassNotFoundException e) {
            fail("jSerialComm is not on the class path (" + SERIAL_PORT_CLASS + " not found); the UART needs"
                    + " com.fazecast:jSerialComm", e);
        } catch (IOException e) {
            fail("cannot extract jSerialComm's native library into " + DIR_PROPERTY + "=" + dir + ": " + e
                    + (e instanceof AccessDeniedException ? "; the directory must be writable by this user" : ""), e);
        } catch (LinkageError e) {
            fail(loadFailureMessage(dir, extractedTo, System.getProperty(JSERIALCOMM_PATH_PROPERTY), version(loader),
                    rootMessage(e)), e);
        }
    }

    private static void fail(String message, Throwable cause) {
        failureMessage = message;
        failureCause = cause;
        throw new HalException(message, cause);
    }

    /**
     * Copies jSerialComm's Linux libraries from its jar to
     * {@code dir/jSerialComm-<version>/Linux/<arch>/libjSerialComm.so} (the layout
     * {@code jSerialComm.library.path} expects) and returns {@code dir/jSerialComm-<version>}.
     * A file already there is kept: each version has its own folder, and files are written
     * to a temporary name and then renamed, so one that exists is complete.
     */
    static Path extractTo(Path dir, Class<?> serialPort) throws IOException {
        String version = serialPort.getPackage() == null ? null : serialPort.getPackage().getImplementationVersion();
        Path root = dir.toAbsolutePath().resolve("jSerialComm-" + (version == null ? "unknown" : version));
        for (String arch : LINUX_ARCHITECTURES) {
            Path target = root.resolve("Linux").resolve(arch).resolve(LIBRARY_FILE);
            if (Files.isRegularFile(target)) continue;
            try (InputStream in = serialPort.getResourceAsStream("/Linux/" + arch + "/" + LIBRARY_FILE)) {
                if (in == null) continue;
                Files.createDirectories(target.getParent());
                Path partial = Files.createTempFile(target.getParent(), LIBRARY_FILE, ".part");
                try {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(partial);
                }
            }
        }
        return root;
    }

    /**
     * What to say when the library does not load: where it was looked for and how to put it
     * on a filesystem that allows executing it.
     *
     * @param nativeDir    the value of pirt.native.dir, or null
     * @param extractedTo  where pirt extracted the libraries, or null
     * @param libraryPath  the value of jSerialComm.library.path, or null
     * @param version      jSerialComm's version
     * @param cause        jSerialComm's own explanation
     */
    static String loadFailureMessage(String nativeDir, Path extractedTo, String libraryPath, String version, String cause) {
        StringBuilder m = new StringBuilder("cannot load jSerialComm's native library, which the UART needs. ");
        if (extractedTo != null) {
            m.append("pirt extracted it into ").append(extractedTo).append(" (").append(DIR_PROPERTY).append('=')
                    .append(nativeDir).append("): is that filesystem mounted noexec? Choose a directory on a filesystem"
                            + " that allows executing files. ");
        } else if (libraryPath != null) {
            m.append(JSERIALCOMM_PATH_PROPERTY).append('=').append(libraryPath).append(" is set: it must hold Linux/<arch>/")
                    .append(LIBRARY_FILE).append(" for this machine, on a filesystem that allows executing files. ");
        } else {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir", "/tmp"), "jSerialComm", version);
            Path home = Path.of(System.getProperty("user.home", "~"), ".jSerialComm", version);
            m.append("jSerialComm extracts it into ").append(tmp).append(", then into ").append(home)
                    .append(", and loads it from there; that fails when those filesystems are mounted noexec (common for"
                            + " /tmp on hardened boards) or are not writable. Set system property ").append(DIR_PROPERTY)
                    .append(" to a directory this user can write, on a filesystem that allows executing files (e.g. -D")
                    .append(DIR_PROPERTY).append("=/var/lib/pirt/native). ");
        }
        m.append("findmnt -T DIR -o TARGET,OPTIONS shows a directory's mount options. jSerialComm said: ").append(cause);
        return m.toString();
    }

    private static String version(ClassLoader loader) {
        try {
            Package p = Class.forName(SERIAL_PORT_CLASS, false, loader).getPackage();
            String v = p == null ? null : p.getImplementationVersion();
            return v == null ? "<version>" : v;
        } catch (ClassNotFoundException | LinkageError e) {
            return "<version>";
        }
    }

    /** The innermost message of {@code e}'s causes, reduced to the errors that matter. */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return essentialErrors(t.getMessage() == null ? t.toString() : t.getMessage());
    }

    /**
     * jSerialComm's load failure lists every attempt ("[3]: /tmp/jSerialComm/2.11.4/libjSerialComm.so:
     * ...: failed to map segment from shared object"), most of them the expected misses of
     * the other architectures' libraries. Keeps the rest, joined by "; ", each path once; the
     * whole message on one line if nothing is left.
     */
    static String essentialErrors(String message) {
        List<String> kept = new ArrayList<>();
        for (String line : message.split("\n")) {
            String entry = line.replaceFirst("^\\[\\d+\\]:\\s*", "").strip();
            if (entry.isEmpty() || entry.startsWith("Cannot load native library") || entry.startsWith("Loading for arch")
                    || entry.startsWith("Successfully") || entry.contains("wrong ELF class")
                    || entry.contains("No such file or directory") || entry.startsWith("no jSerialComm in java.library.path")
                    || entry.startsWith("Can't load library")) {
                continue;
            }
            kept.add(entry.replaceFirst("^(\\S+): \\1: ", "$1: "));
        }
        return kept.isEmpty() ? message.strip().replaceAll("\\s*\\n\\s*", " ") : String.join("; ", kept);
    }
}
