package io.pirt.runtime;

import io.pirt.boards.BoardDetector;
import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.boards.Detection;
import io.pirt.boards.ProfileException;
import io.pirt.runtime.access.Access;
import io.pirt.runtime.console.ConsoleDevice;
import io.pirt.runtime.console.SerialDevicePort;
import io.pirt.runtime.machine.RootFiles;
import io.pirt.runtime.supervisor.AppSpec;
import io.pirt.runtime.systemd.SystemdNotifier;
import io.pirt.runtime.systemd.SystemdWatchdog;
import io.pirt.threading.Event;
import io.pirt.threading.RealtimeConfig;
import io.pirt.threading.Threading;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pirt-runtime}: the daemon on the board. Runs until SIGTERM/SIGINT, then stops the
 * application and the console. Exit codes: 0 stopped cleanly, 1 could not start, 2 usage.
 */
@Command(name = "pirt-runtime", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, subcommands = {DoctorCommand.class, AvahiServiceCommand.class},
        description = "The pirt board runtime: serial console, application supervisor.")
public final class Main implements Callable<Integer> {
    @Option(names = "--board", paramLabel = "ID", description = "Board profile id (rpi-4b, virtual, ...); default: detect from the device tree.")
    String boardId;

    @Option(names = "--board-file", paramLabel = "PATH", description = "A board profile file, for a custom carrier board.")
    Path boardFile;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/", description = "Root of the file system to detect the board and find the console device in (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = "/var/lib/pirt", description = "State directory: log, sockets, bundles (default: ${DEFAULT-VALUE}).")
    Path state;

    @Option(names = "--console", paramLabel = "DEVICE", description = "Console device; default: the profile's, or where the profile's "
            + "/dev/serial0 is missing (Debian, Ubuntu) the UART the device tree names (a pseudo-terminal path on the virtual board).")
    String console;

    @Option(names = "--baud", defaultValue = "115200", description = "Console baud rate on a UART (default: ${DEFAULT-VALUE}).")
    int baud;

    @Option(names = "--console-usb", description = "The console is a USB gadget port, whose rate a tool cannot switch (automatic for /dev/ttyGS*).")
    boolean consoleUsb;

    @Option(names = "--app-jar", paramLabel = "JAR", description = "Run this application jar (development; repeat for more jars).")
    List<Path> appJars = new ArrayList<>();

    @Option(names = "--app-main", paramLabel = "CLASS", description = "Main class of the --app-jar application.")
    String appMain;

    @Option(names = "--app-libs", paramLabel = "CLASSPATH", description = "The pirt libraries for applications; default: this runtime's class path without its runtime-only parts.")
    String appLibs;

    @Option(names = "--app-jvm-flag", paramLabel = "FLAG", description = "A JVM flag for the application (repeatable); replaces the board profile's collector and heap (docs/runtime.md).")
    List<String> appJvmFlags;

    @Option(names = "--config", paramLabel = "DIR", defaultValue = "/etc/pirt", description = "Configuration directory: its keys/*.pub are trusted for bundles and for a tool's proof of a key, "
                    + "its test-keys/*.pub for test bundles (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--ready-file", paramLabel = "PATH", description = "Created once the console device is open, for a program that started the runtime and waits to talk to it (the virtual board).")
    Path readyFile;

    @Option(names = "--wire-socket", paramLabel = "PATH", description = "Also serve the wire protocol on a Unix socket at PATH, "
            + "mode 0660 in the runtime's group (the package: /run/pirt/wire.sock), for tools that reach the board over SSH; "
            + "a stale socket file is replaced, a live one refused; 'none': no socket (default: none).")
    Path wireSocket;

    @Option(names = "--dev", description = "Development mode: accept unsigned bundles and downgrades, and let anyone at the "
            + "console port change the board (no proof of a key, an operator shell).")
    boolean dev;

    @Option(names = "--shell", paramLabel = "MODE", defaultValue = "read-only",
            description = "What a person at the console's shell may do: read-only (info, ps, log, bundles, gpio read) or operator "
                    + "(also restart, stop, rollback, gpio write) (default: ${DEFAULT-VALUE}; --dev opens it).")
    String shell;

    @Option(names = "--test-runs", paramLabel = "on|off", defaultValue = "on",
            description = "Whether test bundles are taken and run (`pirt test`); they must be signed by a key in CONFIG/test-keys/*.pub "
                    + "(default: ${DEFAULT-VALUE}).")
    String testRuns;

    @Option(names = "--trial-ms", defaultValue = "10000", description = "A new bundle is committed after this much uptime, or when it calls markHealthy() (default: ${DEFAULT-VALUE}).")
    long trialMs;

    @Option(names = "--wiring", paramLabel = "FILE", description = "Wiring of the simulated board (virtual board only).")
    Path wiring;

    @Option(names = "--library-cache-mib", paramLabel = "MIB", defaultValue = "64",
            description = "Bound of the library cache in STATE/libs (jars sent once, referenced by later bundles); the least "
                    + "recently used beyond it are evicted (default: ${DEFAULT-VALUE}).")
    long libraryCacheMib;

    @Option(names = "--hang-timeout-ms", defaultValue = "3000", description = "No heartbeat for this long is a hang (default: ${DEFAULT-VALUE}).")
    long hangTimeoutMs;

    @Option(names = "--start-timeout-ms", defaultValue = "20000", description = "No word from a new application for this long is a failed start (default: ${DEFAULT-VALUE}).")
    long startTimeoutMs;

    @Option(names = "--stop-grace-ms", defaultValue = "2000", description = "Time an interrupted application has to end before it is killed (default: ${DEFAULT-VALUE}).")
    long stopGraceMs;

    public static void main(String[] args) {
        // The last of an option given twice wins: the unit's defaults come first, pirt.conf's PIRT_OPTS after them.
        System.exit(new CommandLine(new Main()).setOverwrittenOptionsAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        BoardProfile profile;
        try {
            profile = profile();
        } catch (ProfileException e) {
            System.err.println("pirt-runtime: " + e.getMessage());
            return 1;
        }
        // Before any pirt thread starts: the runtime's threads run above every application level.
        Threading.configureRealtime(SupervisorPriorities.above(profile.realtime(), RealtimeConfig.fromSystemProperties()));
        ConsoleDevice consoleDevice = console != null ? ConsoleDevice.given(console, "given with --console")
                : ConsoleDevice.choose(profile, new RootFiles(root));
        String device = consoleDevice.device();
        if (device.startsWith("pty:")) {
            System.err.println("pirt-runtime: board " + profile.id() + " has no console device of its own (" + device
                    + "); give one with --console PATH (`pirt sim` does)");
            return 2;
        }
        if (libraryCacheMib < 1 || libraryCacheMib > 1024 * 1024) {
            System.err.println("pirt-runtime: --library-cache-mib is 1 .. 1048576, not " + libraryCacheMib);
            return 2;
        }
        if (!shell.equals("read-only") && !shell.equals("operator")) {
            System.err.println("pirt-runtime: --shell is read-only or operator, not '" + shell + "'");
            return 2;
        }
        if (!testRuns.equals("on") && !testRuns.equals("off")) {
            System.err.println("pirt-runtime: --test-runs is on or off, not '" + testRuns + "'");
            return 2;
        }
        Access access = new Access(dev, shell.equals("operator"), testRuns.equals("on"), config.resolve("keys"), config.resolve("test-keys"));
        AppJvm appJvm = appJvmFlags != null ? AppJvm.given(appJvmFlags) : AppJvm.forThisJvm(profile.appJvm(), profile.id());
        Optional<AppSpec> app = Optional.empty();
        if (!appJars.isEmpty()) {
            if (appMain == null) {
                System.err.println("pirt-runtime: --app-jar needs --app-main CLASS");
                return 2;
            }
            app = Optional.of(new AppSpec(appJars.get(0).getFileName().toString(), appJars, appMain, List.of(),
                    appJvm.flags(), Map.of()));
        }
        BoardRuntime.Settings settings = new BoardRuntime.Settings(profile, state, device, baud, app,
                AppLibraries.resolve(appLibs), Optional.ofNullable(wiring), startTimeoutMs, hangTimeoutMs, stopGraceMs,
                access, trialMs, appJvm,
                libraryCacheMib * 1024 * 1024, Optional.ofNullable(wireSocket).filter(p -> !p.toString().equals("none")));
        Event stopped = new Event();
        boolean usbGadget = consoleUsb || SerialDevicePort.isUsbGadget(device);
        BoardRuntime runtime = new BoardRuntime(settings, () -> {
            SerialDevicePort port = SerialDevicePort.open(device, baud, usbGadget);
            if (readyFile != null && !Files.exists(readyFile)) Files.writeString(readyFile, device + "\n");
            return port;
        });
        // Which device and why, once at start: on a system without /dev/serial0 the choice is not obvious.
        String consoleLine = "console " + device + ": " + consoleDevice.why();
        System.err.println("pirt-runtime: " + consoleLine);
        runtime.log().runtime(consoleLine);
        Optional<SystemdNotifier> notifier = systemdNotifier(runtime);
        Optional<SystemdWatchdog> watchdog = notifier.flatMap(n -> watchdog(n, runtime));
        Runtime.getRuntime().addShutdownHook(new java.lang.Thread(() -> {
            notifier.ifPresent(n -> notify(n, runtime, "STOPPING=1"));
            watchdog.ifPresent(SystemdWatchdog::close);
            runtime.close();
            notifier.ifPresent(SystemdNotifier::close);
            stopped.set();
        }, "pirt-shutdown"));
        try {
            runtime.start();
        } catch (IOException e) {
            System.err.println("pirt-runtime: " + e.getMessage());
            runtime.log().runtime("cannot start: " + e.getMessage());
            return 1; // System.exit runs the shutdown hook, which closes the runtime
        }
        notifier.ifPresent(n -> notify(n, runtime, "READY=1\nSTATUS=console on " + device));
        watchdog.ifPresent(SystemdWatchdog::start);
        stopped.await();
        return 0;
    }

    /**
     * The service manager's notification socket when systemd started the runtime (Type=notify),
     * else empty. A socket that cannot be used is said on standard error and in the log: the
     * runtime runs on, and systemd, never told READY=1, ends the start after TimeoutStartSec.
     */
    private static Optional<SystemdNotifier> systemdNotifier(BoardRuntime runtime) {
        try {
            return SystemdNotifier.fromEnvironment(System.getenv());
        } catch (IOException e) {
            String line = "cannot notify systemd: " + e.getMessage();
            System.err.println("pirt-runtime: " + line);
            runtime.log().runtime(line);
            return Optional.empty();
        }
    }

    /** The keep-alive systemd asks for with WatchdogSec=, if it asks. */
    private static Optional<SystemdWatchdog> watchdog(SystemdNotifier notifier, BoardRuntime runtime) {
        OptionalLong intervalMs = SystemdWatchdog.keepAliveIntervalMs(System.getenv(), ProcessHandle.current().pid());
        if (intervalMs.isEmpty()) return Optional.empty();
        runtime.log().runtime("systemd watchdog: a keep-alive every " + intervalMs.getAsLong() + " ms while the console's threads run");
        return Optional.of(new SystemdWatchdog(notifier, intervalMs.getAsLong(), runtime::fault, runtime.log()::runtime));
    }

    private static void notify(SystemdNotifier notifier, BoardRuntime runtime, String state) {
        try {
            notifier.send(state);
        } catch (IOException e) {
            System.err.println("pirt-runtime: " + e.getMessage());
            runtime.log().runtime(e.getMessage());
        }
    }

    private BoardProfile profile() {
        Optional<BoardProfile> given = givenProfile(boardFile, boardId);
        if (given.isPresent()) return given.get();
        Detection d = new BoardDetector(BoardProfiles.builtIn()).detect(root);
        System.err.println("pirt-runtime: board " + d.profile().id() + ": " + d.reason());
        return d.profile();
    }

    /**
     * The profile {@code --board-file} or else {@code --board} names (either may be null); empty
     * when neither is given and the board is to be detected.
     *
     * @throws ProfileException if the file is not a valid profile or the id is unknown
     */
    static Optional<BoardProfile> givenProfile(Path boardFile, String boardId) {
        BoardProfiles builtIn = BoardProfiles.builtIn();
        if (boardFile != null) return Optional.of(builtIn.loadFile(boardFile));
        if (boardId != null) return Optional.of(builtIn.get(boardId));
        return Optional.empty();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pirt-runtime " + BoardRuntime.version()};
        }
    }
}
