package io.pirt.runtime;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.RealtimeTable;
import io.pirt.hal.Board;
import io.pirt.hal.HalException;
import io.pirt.runtime.access.Access;
import io.pirt.runtime.access.SessionProofs;
import io.pirt.runtime.console.ConsolePort;
import io.pirt.runtime.console.SerialConsole;
import io.pirt.runtime.console.ShellCommands;
import io.pirt.runtime.console.WireSocket;
import io.pirt.runtime.doctor.Doctor;
import io.pirt.wire.message.DoctorReport;
import io.pirt.runtime.log.ConsoleLog;
import io.pirt.runtime.store.BundleStore;
import io.pirt.runtime.store.FileOps;
import io.pirt.runtime.store.Slot;
import io.pirt.wire.Response;
import io.pirt.runtime.supervisor.AppEvents;
import io.pirt.runtime.supervisor.AppSpec;
import io.pirt.runtime.supervisor.AppState;
import io.pirt.runtime.supervisor.AppSupervisor;
import io.pirt.runtime.testrun.TestRuns;
import io.pirt.wire.message.BoardInfo;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.Done;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.Refusal;
import io.pirt.wire.message.StoreSlots;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The board runtime: console, application supervisor and restart policy, put together for
 * one board. A crashed or hung application is started again after a back-off (1 s, doubling
 * to 30 s, back to 1 s once it has run for a minute); one that exits normally stays stopped.
 */
public final class BoardRuntime implements AutoCloseable {
    /** Settings of one runtime; see Main's options. */
    public record Settings(BoardProfile profile, Path stateDir, String consoleDevice, int consoleBaud, Optional<AppSpec> devApp,
                           List<Path> appLibraries, Optional<Path> wiring, long startTimeoutMs, long hangTimeoutMs, long stopGraceMs,
                           Access access, long trialMs, AppJvm appJvm,
                           long libraryCacheBytes, Optional<Path> wireSocket) {
    }

    private static final long MAX_BACKOFF_MS = 30_000;
    private static final long STABLE_RUN_MS = 60_000;
    /**
     * The requests that may wait — for a verdict, for the application to stop, start or
     * answer over its link — and so run off the endpoint's worker that serves the quick
     * ones (docs/runtime.md, "Limits").
     */
    static final Set<String> WAITING_REQUESTS = Stream.of(Command.INSTALL_WAIT, Command.RESTART, Command.STOP,
            Command.ROLLBACK, Command.TEST_RUN, Command.TEST_STOP, Command.PS, Command.GPIO, Command.I2C, Command.SPI, Command.PWM)
            .map(Command::wireName).collect(Collectors.toUnmodifiableSet());

    private final Settings settings;
    private final ConsoleLog log;
    private final AppSupervisor supervisor;
    private final SerialConsole console;
    /** The wire socket while it is open; null without {@code --wire-socket} or before start(). */
    private volatile WireSocket wireSocket;
    private final ShellCommands commands;
    private final Deployment deployment;
    private final TestRuns testRuns;
    /** Which tool session proved a trusted key; consulted unless the board is in development mode. */
    private final SessionProofs proofs;
    /** The application last started, for restart. Guarded by this. */
    private AppSpec lastApp;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        java.lang.Thread t = new java.lang.Thread(r, "app-restarts");
        t.setDaemon(true);
        return t;
    });
    /** Guarded by this. */
    private long backoffMs = 1_000;
    private long lastStartNanos;
    private Board localBoard;
    private volatile boolean closed;

    public BoardRuntime(Settings settings, ConsolePort.Opener consoleOpener) throws IOException {
        this.settings = settings;
        this.log = new ConsoleLog(settings.stateDir().resolve("log"), 2_000);
        this.supervisor = new AppSupervisor(runDirectory(settings.stateDir(), log), log, settings.appLibraries(), new RestartPolicy(),
                settings.startTimeoutMs(), settings.hangTimeoutMs(), settings.stopGraceMs());
        BundleStore store = BundleStore.open(settings.stateDir().resolve("store"), FileOps.durable(log::runtime));
        this.deployment = new Deployment(store, settings.stateDir().resolve("libs"), settings.libraryCacheBytes(), settings.access(), settings.profile().id(),
                version(), settings.trialMs(), log);
        deployment.launcher(new Deployment.Launcher() {
            @Override
            public void run(Slot slot) throws IOException {
                startApp(new AppSpec(slot.content().name() + " " + slot.content().version(), AppSpec.jarsIn(slot.jarsDir()),
                        slot.content().mainClass(), List.of(), settings.appJvm().flags(),
                        Map.of("pirt.bundle.name", slot.content().name(), "pirt.bundle.version", slot.content().version())));
            }

            @Override
            public void stopApp() {
                supervisor.stop();
            }
        });
        this.testRuns = new TestRuns(settings.stateDir().resolve("tests"), new TestRuns.Host() {
            @Override
            public Optional<AppSpec> currentApp() {
                return supervisor.current();
            }

            @Override
            public boolean trialInProgress() {
                return deployment.trialInProgress();
            }

            @Override
            public void startApp(AppSpec app) throws IOException {
                BoardRuntime.this.startApp(app, !testRuns.owns(app)); // `restart` never starts a test run again
            }

            @Override
            public void stopApp() {
                supervisor.stop();
            }

            @Override
            public void tellApp(String line) {
                supervisor.tell(line);
            }

            @Override
            public boolean sendEvent(String json, long timeoutMs) throws InterruptedException {
                return console.event(json, timeoutMs);
            }
        }, log, settings.appJvm().flags(), settings.appLibraries());
        deployment.testRuns(testRuns);
        ShellCommands.Bundles bundles = new ShellCommands.Bundles() {
            @Override
            public StoreSlots status() {
                return deployment.status();
            }

            @Override
            public Done rollback() {
                return deployment.rollback();
            }

            @Override
            public BoardInfo.RunningBundle active() {
                return deployment.active();
            }
        };
        this.proofs = new SessionProofs(settings.access().trustedKeysDir(), settings.access().testKeysDir(), settings.profile().id());
        this.commands = new ShellCommands(settings.profile(), version(), supervisor, log, this::restart, this::localBoard, bundles,
                settings.access(), settings.appJvm(), this::doctor);
        SerialConsole.Services services = new SerialConsole.Services(settings.profile().id(), version(), commands,
                this::request, WAITING_REQUESTS, settings.stateDir().resolve("incoming"), deployment,
                io.pirt.bundle.BundleVerifier.MAX_BUNDLE_BYTES);
        this.console = new SerialConsole(consoleOpener, settings.consoleDevice(), log, services);
    }

    /**
     * A tool's request (docs/protocol.md §5.4): the answer record as JSON, or a {@link Refusal}
     * as JSON in a FAILED answer.
     */
    private Response request(long session, String name, String argument) {
        Optional<Command> command = Command.of(name);
        if (command.isEmpty()) {
            return new Response(Response.Status.UNKNOWN_COMMAND,
                    Messages.encode(new Refusal(Refusal.NOT_SUPPORTED, "this board does not know the command '" + name + "'")));
        }
        try {
            if (!settings.access().developmentMode()) proofs.require(session, command.get(), argument);
            if (command.get() == Command.TEST_RUN && !settings.access().testRuns()) {
                throw new Refusal(Refusal.NOT_SUPPORTED, "test runs are off on this board (--test-runs off); turn them on in "
                        + "the runtime's options (/etc/pirt/pirt.conf) to run tests here").exception();
            }
            Object answer = switch (command.get()) {
                case AUTH_CHALLENGE -> proofs.challenge(session);
                case AUTH -> proofs.prove(session, argument);
                case TEST_RUN -> testRuns.start(argument);
                case TEST_LIBS -> testRuns.libraries();
                case TEST_STATUS -> testRuns.status(argument);
                case TEST_EVENTS -> testRuns.resend(argument);
                case TEST_STOP -> testRuns.stop();
                case TEST_HOST_REPLY -> testRuns.hostReply(argument);
                case INSTALL_WAIT -> deployment.awaitVerdict(argument);
                case ALLOW_DOWNGRADE -> deployment.allowDowngrade(argument);
                case LIBS_HAVE -> deployment.librariesHave(argument);
                default -> commands.run(command.get(), argument);
            };
            return Response.ok(Messages.encode(answer));
        } catch (Refusal.RefusedException e) {
            return Response.failed(Messages.encode(e.refusal()));
        }
    }

    /** The doctor's checks of this board, with what the runtime knows of itself: its profile, process, Java and application flags. */
    private DoctorReport doctor() {
        return Doctor.examine(new Doctor.Setup(Path.of("/"), Optional.of(settings.profile()), "the runtime's", Optional.of(settings.appJvm().flags()),
                OptionalLong.of(ProcessHandle.current().pid()), Optional.of(Path.of(System.getProperty("java.home")))));
    }

    /** The runtime's version, from the build. */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = BoardRuntime.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the runtime's version resource", e);
        }
        return p.getProperty("version", "unknown");
    }

    /**
     * Starts the wire socket (if any), the console and, if there is one, the application.
     *
     * @throws IOException if the wire socket cannot be made (its message says why and what to
     *     do); nothing was started then
     */
    public void start() throws IOException {
        log.runtime("pirt runtime " + version() + " on " + settings.profile().id() + " (" + settings.profile().name()
                + "), console " + settings.consoleDevice());
        gpioUnavailable().ifPresent(why -> {
            String line = "GPIO unavailable on board " + settings.profile().id() + ": " + why
                    + " The console and the bundle store work; an application's GPIO calls fail with this message.";
            log.runtime(line);
            System.err.println("pirt-runtime: " + line);
        });
        log.runtime("access: " + settings.access().describe());
        if (settings.wireSocket().isPresent()) { // first: a runtime that cannot have it starts nothing
            wireSocket = WireSocket.bind(settings.wireSocket().get(), log);
            log.runtime("wire socket " + wireSocket.path() + " (mode 0660): the wire protocol for tools that reach the board another way");
        }
        console.start();
        if (wireSocket != null) wireSocket.start(console::serve);
        try {
            if (settings.devApp().isPresent()) startApp(settings.devApp().get());
            else deployment.startFromStore();
        } catch (IOException e) { // the runtime stays up without its application: the console says why and takes `restart` or a flash
            log.runtime("cannot start the application: " + e + "; the console and the store work: fix the cause and `restart`, "
                    + "or flash a bundle");
        }
    }

    /**
     * Where the application's supervision sockets go: {@code STATE/run}, or, when the state
     * directory cannot be written (mounted read-only, a failing card), a private temporary
     * directory, so the committed application still runs; the log says which.
     */
    private static Path runDirectory(Path stateDir, ConsoleLog log) throws IOException {
        Path run = stateDir.resolve("run");
        String why;
        try {
            Files.createDirectories(run);
            if (Files.isWritable(run)) return run;
            why = "not writable";
        } catch (IOException e) {
            why = e.toString();
        }
        Path elsewhere = Files.createTempDirectory("pirt-run-"); // rwx for the runtime's user only
        elsewhere.toFile().deleteOnExit();
        log.runtime("the state directory's " + run + " cannot be written (" + why + "); the application's supervision socket "
                + "goes to " + elsewhere + " instead");
        return elsewhere;
    }

    /** Why the profile's GPIO chip cannot be used here, checked once at start; empty when it can (or the board is simulated). */
    private Optional<String> gpioUnavailable() {
        try {
            return Board.gpioUnavailable(settings.profile());
        } catch (HalException e) {
            return Optional.of(e.getMessage());
        }
    }

    private Done restart() {
        AppSpec app;
        synchronized (this) {
            app = lastApp;
        }
        if (app == null) throw new Refusal(Refusal.NO_APPLICATION, "there is no application to restart").exception();
        try {
            if (!deployment.mayRestart()) {
                return new Done("did not restart " + app.name() + ": its slot no longer matches what was signed (the log says why"
                        + " and what runs instead)");
            }
            startApp(app);
            return new Done("restarted " + app.name());
        } catch (IOException e) {
            throw new Refusal(Refusal.FAILED, e.getMessage()).exception();
        }
    }

    private void startApp(AppSpec app) throws IOException {
        startApp(app, true);
    }

    /** @param remember whether {@code restart} starts this one again (not for a test run) */
    private void startApp(AppSpec app, boolean remember) throws IOException {
        synchronized (this) {
            if (remember) lastApp = app;
            lastStartNanos = System.nanoTime();
            commands.releasePins();
            if (localBoard != null) { // the application takes the board's lines
                localBoard.close();
                localBoard = null;
            }
        }
        supervisor.start(withBoardProperties(app));
    }

    /** The application learns its board from the runtime, so both agree on it. */
    private AppSpec withBoardProperties(AppSpec app) {
        Map<String, String> props = new HashMap<>(app.properties());
        String origin = settings.profile().origin();
        if (origin.startsWith("/")) props.putIfAbsent("pirt.board.file", origin);
        else props.putIfAbsent("pirt.board", settings.profile().id());
        settings.wiring().ifPresent(w -> props.putIfAbsent("pirt.sim.wiring", w.toString()));
        realtimeProperties(settings.profile().realtime()).forEach(props::putIfAbsent);
        return new AppSpec(app.name(), app.classpath(), app.mainClass(), app.args(), app.jvmFlags(), props);
    }

    /**
     * The board profile's real-time table as the application's threading reads it
     * (io.pirt.threading.RealtimeConfig.fromSystemProperties): the priority of each level, the
     * CPU set and the CPU latency.
     */
    static Map<String, String> realtimeProperties(RealtimeTable t) {
        return Map.of(
                "pirt.rt.priorities", java.util.Arrays.stream(t.fifoPriorities()).mapToObj(Integer::toString).collect(Collectors.joining(",")),
                "pirt.rt.cpus", t.cpus().stream().map(String::valueOf).collect(Collectors.joining(",")),
                "pirt.rt.dmaLatency", t.dmaLatencyUs() < 0 ? "off" : Integer.toString(t.dmaLatencyUs()));
    }

    private synchronized Board localBoard() {
        if (localBoard == null) {
            localBoard = Board.open(settings.profile(), settings.wiring()); // this runtime's profile, not one detected again
        }
        return localBoard;
    }

    /**
     * What is wrong with the runtime so that it cannot serve its console any more, or empty
     * when it is sound: what the systemd watchdog's keep-alive asks before each beat.
     */
    public Optional<String> fault() {
        if (closed) return Optional.empty();
        return console.deadThreads().map(names -> "console thread(s) ended: " + names);
    }

    public AppSupervisor supervisor() {
        return supervisor;
    }

    public ConsoleLog log() {
        return log;
    }

    private final class RestartPolicy implements AppEvents {
        @Override
        public void started(AppSpec app) {
            if (!testRuns.owns(app)) deployment.started();
        }

        @Override
        public void event(AppSpec app, String json) {
            testRuns.event(app, json);
        }

        @Override
        public void hostAction(AppSpec app, String idAndAction) {
            testRuns.hostAction(app, idAndAction);
        }

        @Override
        public void healthy(AppSpec app) {
            if (testRuns.owns(app)) return;
            log.runtime("application " + app.name() + " says it is healthy");
            deployment.healthy();
        }

        @Override
        public void ended(AppSpec app, AppState state, String detail) {
            if (testRuns.owns(app)) {
                if (!closed) testRuns.ended(app, state, detail);
                return;
            }
            if (closed || state == AppState.STOPPED) return;
            if (deployment.ended(detail.startsWith(app.name() + " ") ? detail.substring(app.name().length() + 1) : detail)) return;
            if (state != AppState.CRASHED && state != AppState.HUNG) return;
            long delay;
            synchronized (BoardRuntime.this) {
                if (System.nanoTime() - lastStartNanos > TimeUnit.MILLISECONDS.toNanos(STABLE_RUN_MS)) backoffMs = 1_000;
                delay = backoffMs;
                backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
            }
            log.runtime("restarting " + app.name() + " in " + delay + " ms");
            restarts.schedule(() -> {
                if (closed || supervisor.current().isPresent()) return;
                try {
                    if (deployment.mayRestart()) startApp(app);
                } catch (IOException e) {
                    log.runtime("cannot restart " + app.name() + ": " + e.getMessage());
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops the application and the console. */
    @Override
    public void close() {
        closed = true;
        restarts.shutdownNow();
        testRuns.close();
        deployment.close();
        supervisor.close();
        log.runtime("pirt runtime stopping");
        WireSocket socket = wireSocket;
        if (socket != null) socket.close();
        console.close();
        synchronized (this) {
            if (localBoard != null) localBoard.close();
        }
        log.close();
    }
}
