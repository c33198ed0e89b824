package io.pirt.runtime.doctor;

import io.pirt.runtime.AppJvm;
import io.pirt.runtime.console.ConsoleDevice;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.Detection;
import io.pirt.runtime.machine.RootFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What every check may look at: the machine's files, the board profile the checks are made
 * for, and the facts the caller knows; plus the facts several checks derive the same way
 * (the console device, the Java the runtime runs on, the boot files). Immutable.
 *
 * @param profile          empty when none was given and none fits the board
 * @param profileSource    how the profile was chosen ({@code detected}, {@code --board rpi-4b}, ...)
 * @param detection        what the detector found under the root; empty when it failed
 * @param detectionFailure why it failed (its message says how to pass a profile)
 */
record Examination(RootFiles files, Optional<BoardProfile> profile, String profileSource, Optional<Detection> detection,
                   Optional<String> detectionFailure, Optional<List<String>> appJvmFlags, OptionalLong runtimePid, Optional<Path> javaHome) {
    static final String PIRT_CONF = "etc/pirt/pirt.conf";

    /** Where the Java the runtime uses was found: its binary and home (relative to the root) and how it was chosen. */
    record JavaLocation(String binary, String home, String how) {
    }

    /**
     * The architecture of a Java binary: 32 or 64 bits and the machine ({@code aarch64}, {@code arm}),
     * and where that was read.
     */
    record JvmArch(int bits, String arch, String source) {
    }

    /** A {@code KEY=VALUE} setting of /etc/pirt/pirt.conf (a systemd EnvironmentFile), the last one if repeated. */
    Optional<String> pirtConf(String key) {
        Optional<String> value = Optional.empty();
        for (String line : files.read(PIRT_CONF).orElse("").split("\n")) {
            String l = line.strip();
            if (l.startsWith(key + "=")) value = Optional.of(unquote(l.substring(key.length() + 1).strip()));
        }
        return value;
    }

    /** The runtime's options in PIRT_OPTS of pirt.conf, split at blanks as the unit's ExecStart does. */
    private String[] pirtOpts() {
        return pirtConf("PIRT_OPTS").orElse("").trim().split("\\s+");
    }

    /**
     * The console device the runtime opens: {@code --console} in PIRT_OPTS of pirt.conf, else
     * the one the runtime chooses for the profile on this machine ({@link ConsoleDevice#choose});
     * empty without a profile.
     */
    Optional<ConsoleDevice> console() {
        String[] opts = pirtOpts();
        for (int i = 0; i < opts.length; i++) {
            if (opts[i].equals("--console") && i + 1 < opts.length) return Optional.of(ConsoleDevice.given(opts[i + 1], "--console in /" + PIRT_CONF));
            if (opts[i].startsWith("--console=")) return Optional.of(ConsoleDevice.given(opts[i].substring(10), "--console in /" + PIRT_CONF));
        }
        return profile.map(p -> ConsoleDevice.choose(p, files));
    }

    /**
     * The JVM flags applications start with: the {@code --app-jvm-flag} values in PIRT_OPTS of
     * pirt.conf when it has any (the runtime then uses those alone), else the runtime's own
     * ({@link #appJvmFlags}, when the doctor runs inside it), else what the runtime would choose
     * from the profile for the userland's Java ({@link AppJvm#choose}); empty without a profile.
     */
    List<String> applicationJvmFlags() {
        String[] opts = pirtOpts();
        List<String> flags = new java.util.ArrayList<>();
        for (int i = 0; i < opts.length; i++) {
            if (opts[i].equals("--app-jvm-flag") && i + 1 < opts.length) flags.add(opts[++i]);
            else if (opts[i].startsWith("--app-jvm-flag=")) flags.add(opts[i].substring("--app-jvm-flag=".length()));
        }
        if (!flags.isEmpty()) return flags;
        if (appJvmFlags.isPresent()) return appJvmFlags.get();
        if (profile.isEmpty()) return List.of();
        Optional<JvmArch> arch = java().flatMap(this::jvmArch);
        return AppJvm.choose(profile.get().appJvm(), profile.get().id(), arch.map(a -> Integer.toString(a.bits())).orElse("64"),
                arch.map(JvmArch::arch).orElse("unknown")).flags();
    }

    /**
     * The architecture of {@code java}'s binary: from its ELF header (class and machine), else from
     * {@code OS_ARCH} in its home's {@code release} file; empty when neither tells.
     */
    Optional<JvmArch> jvmArch(JavaLocation java) {
        Optional<byte[]> head = files.head(java.binary(), 20);
        if (head.isPresent() && head.get().length == 20 && head.get()[0] == 0x7f && head.get()[1] == 'E' && head.get()[2] == 'L'
                && head.get()[3] == 'F') {
            byte[] h = head.get();
            int elfClass = h[4];
            int machine = (h[18] & 0xff) | (h[19] & 0xff) << 8;
            String arch = switch (machine) {
                case 0x28 -> "arm";
                case 0xb7 -> "aarch64";
                case 0x3e -> "x86_64";
                default -> "machine 0x" + Integer.toHexString(machine);
            };
            int bits = elfClass == 2 ? 64 : 32;
            return Optional.of(new JvmArch(bits, arch, "ELF header of /" + java.binary() + " ("
                    + (elfClass == 2 ? "64" : elfClass == 1 ? "32" : "?") + "-bit, " + arch + ")"));
        }
        return JavaCheck.releaseValue(this, java.home(), "OS_ARCH").map(arch ->
                new JvmArch(arch.equals("arm") || arch.equals("x86") || arch.equals("i386") ? 32 : 64, arch,
                        "OS_ARCH=\"" + arch + "\" in /" + java.home() + "/release"));
    }

    /** The Java pirt-runtime runs on: the caller's, JAVA_HOME in pirt.conf, or /usr/bin/java with its links followed. */
    Optional<JavaLocation> java() {
        if (javaHome.isPresent()) {
            Path home = javaHome.get().toAbsolutePath();
            String relative = home.startsWith(files.root()) ? files.root().relativize(home).toString() : home.toString().substring(1);
            return Optional.of(new JavaLocation(relative + "/bin/java", relative, "the Java this runtime runs on"));
        }
        Optional<String> configured = pirtConf("JAVA_HOME").filter(s -> !s.isEmpty());
        if (configured.isPresent()) {
            String home = files.resolve(configured.get());
            return Optional.of(new JavaLocation(files.resolve(home + "/bin/java"), home, "JAVA_HOME in /" + PIRT_CONF));
        }
        if (!files.exists("usr/bin/java") && !java.nio.file.Files.isSymbolicLink(files.path("usr/bin/java"))) return Optional.empty();
        String binary = files.resolve("usr/bin/java");
        String home = binary.contains("/") ? binary.substring(0, binary.lastIndexOf('/')) : "";
        home = home.contains("/") ? home.substring(0, home.lastIndexOf('/')) : "";
        return Optional.of(new JavaLocation(binary, home, "/usr/bin/java -> /" + binary));
    }

    /**
     * A boot file ({@code config.txt}, {@code cmdline.txt}) relative to the root:
     * {@code boot/firmware/NAME} (Raspberry Pi OS bookworm and later), else {@code boot/NAME}
     * (older releases); empty when neither exists.
     */
    Optional<String> bootFile(String name) {
        for (String dir : List.of("boot/firmware/", "boot/")) {
            if (files.exists(dir + name)) return Optional.of(dir + name);
        }
        return Optional.empty();
    }

    /** The kernel's command line (ROOT/proc/cmdline) in words; empty when unreadable. */
    Optional<List<String>> kernelCommandLine() {
        return files.read("proc/cmdline").map(s -> List.of(s.trim().split("\\s+")));
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))
                ? s.substring(1, s.length() - 1) : s;
    }
}
