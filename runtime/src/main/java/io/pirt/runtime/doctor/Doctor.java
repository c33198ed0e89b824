package io.pirt.runtime.doctor;

import io.pirt.boards.BoardDetector;
import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.boards.Detection;
import io.pirt.boards.ProfileException;
import io.pirt.runtime.machine.RootFiles;
import io.pirt.wire.message.DoctorReport;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code pirt doctor}: checks a board's setup for pirt (board profile, userland, Java,
 * kernel, real-time permission, GPIO, I2C, SPI and PWM, console, boot configuration, memory, CPU latency) by
 * reading the files under a root directory, and says for each what it found and what to do
 * (docs/tool.md, "pirt doctor"). Stateless and thread-safe; {@link #examine} only reads files.
 *
 * <p>A check is a {@link Check} in {@link #CHECKS}; adding one is adding a class there. A
 * check that throws (a file that exists but cannot be read, a file whose content is not what
 * the kernel writes there) becomes a WARN that says so, and the others still run.
 */
public final class Doctor {
    /** The checks, in the order the report lists them. */
    private static final List<Check> CHECKS = List.of(new BoardCheck(), new UserlandCheck(), new JavaCheck(), new KernelCheck(),
            new CommandLineCheck(), new RealtimeCheck(), new GpioChipCheck(), new StatusLedCheck(), new BusCheck(), new ConsoleDeviceCheck(), new GettyCheck(),
            new BootConfigCheck(), new MemoryCheck(), new CpuLatencyCheck());

    private Doctor() {
    }

    /**
     * What the doctor examines.
     *
     * @param root          the machine's root directory ({@code /} on the board)
     * @param profile       the board profile to check against; empty: the one {@link BoardDetector} finds under the root
     * @param profileSource how the profile was chosen, for the report ({@code --board rpi-4b}, {@code the runtime's})
     * @param appJvmFlags   the JVM flags the runtime starts applications with (their {@code -Xmx} is the heap checked against memory)
     * @param runtimePid    the running runtime's process id when the caller knows it (the runtime itself); empty: searched in ROOT/proc
     * @param javaHome      the Java home the runtime runs on, when the caller knows it (the runtime itself, under {@code root});
     *                      empty: the one pirt-runtime's launcher would pick (JAVA_HOME in /etc/pirt/pirt.conf, else /usr/bin/java)
     */
    public record Setup(Path root, Optional<BoardProfile> profile, String profileSource, Optional<List<String>> appJvmFlags,
                        OptionalLong runtimePid, Optional<Path> javaHome) {
        public Setup {
            appJvmFlags = appJvmFlags.map(List::copyOf);
        }
    }

    /** Runs every check; never throws for what it finds, however broken the board. */
    public static DoctorReport examine(Setup setup) {
        RootFiles files = new RootFiles(setup.root());
        Optional<Detection> detection = Optional.empty();
        Optional<String> detectionFailure = Optional.empty();
        try {
            detection = Optional.of(new BoardDetector(BoardProfiles.builtIn()).detect(files.root()));
        } catch (ProfileException e) {
            detectionFailure = Optional.of(e.getMessage());
        }
        Optional<BoardProfile> profile = setup.profile().isPresent() ? setup.profile() : detection.map(Detection::profile);
        Examination examination = new Examination(files, profile, setup.profile().isPresent() ? setup.profileSource() : "detected",
                detection, detectionFailure, setup.appJvmFlags(), setup.runtimePid(), setup.javaHome());
        List<DoctorReport.Check> results = new ArrayList<>();
        for (Check check : CHECKS) {
            DoctorReport.Check result;
            try {
                result = check.run(examination);
            } catch (UncheckedIOException e) {
                result = check.warn("could not check: " + e.getMessage(), "run pirt doctor as root (sudo pirt doctor), or read the file "
                        + "named here yourself");
            } catch (RuntimeException e) {
                result = check.warn("could not check: " + e, "a file read here is not as the doctor expects it; please report this "
                        + "line with the file's content");
            }
            results.add(result);
        }
        return new DoctorReport(profile.map(BoardProfile::id).orElse("unknown"), files.root().toString(), results);
    }
}
