package io.pirt.runtime.supervisor;

import io.pirt.runtime.log.ConsoleLog;
import io.pirt.threading.Thread;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the application in a JVM of its own and watches it, so that nothing it does —
 * crash, hang, run out of memory, call {@code System.exit} — takes the runtime or its
 * console down.
 *
 * <p>The child runs {@code io.pirt.hal.AppLauncher MAIN} with the application's jars and
 * the pirt libraries on its class path, and links back over a Unix domain socket
 * (docs/runtime.md): {@code hello}, a heartbeat every 250 ms, {@code healthy}, thread
 * reports. Only the process started may link up: a connection from any other pid (the kernel's
 * SO_PEERCRED) is closed and logged, and the socket is closed once the application is linked.
 * Its standard output and error go to the {@link ConsoleLog}, line by line, each
 * line cut to {@link #MAX_LINE_BYTES} (so the log's memory stays bounded by its lines times
 * that, whatever the application prints). No
 * heartbeat for the hang timeout (or no hello within the start timeout) is a hang: the
 * console says so and the process is killed. {@link #stop()} interrupts the application's
 * threads (ThreadInterruptedException unwinds them) and kills the process if it has not
 * ended after the grace period.
 *
 * <p>One application at a time. Thread-safe.
 */
public final class AppSupervisor implements AutoCloseable {
    private static final AtomicInteger RUNS = new AtomicInteger();
    /**
     * The most of one line of the application's output the runtime keeps; the rest is dropped
     * and the line says how many bytes. 4 KiB: the log holds up to 2,500 lines (500 for
     * {@code log}, 2,000 queued for the console), which is then at most ~20 MiB even as
     * UTF-16, inside the runtime's 64 MiB heap (docs/runtime.md, "Limits").
     */
    public static final int MAX_LINE_BYTES = 4 * 1024;
    /** Refused supervision connections logged per run: a process that keeps connecting cannot flood the log. */
    static final int MAX_REFUSALS_LOGGED = 8;

    /**
     * System properties that say where native libraries load from (the launcher sets them to
     * the package's root-owned copies, docs/raspberry-pi.md): the application's JVM gets the
     * runtime's values, so it loads the same files and unpacks nothing.
     */
    static final List<String> NATIVE_LIBRARY_PROPERTIES =
            List.of("jSerialComm.library.path", "jna.boot.library.path", "jna.nounpack", "jna.nosys", "pirt.native.dir");
    /**
     * The level of slf4j-simple, the SLF4J provider the board puts on the application's class
     * path for Pi4J's logging (runtime/pom.xml): the runtime's own value when it has one (the
     * package's launcher sets {@code warn}), else {@code warn}, so Pi4J's warnings and errors
     * reach the application's standard error and its chatter does not.
     */
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    /** The environment systemd gives the service's main process only. */
    static final List<String> SERVICE_MANAGER_VARIABLES = List.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID");

    private final Path runDir;
    private final ConsoleLog log;
    private final List<Path> pirtLibraries;
    private final AppEvents events;
    private final long startTimeoutMs;
    private final long hangTimeoutMs;
    private final long stopGraceMs;

    /** The current run, or null. Guarded by this. */
    private Run run;
    /** State of the current (or last) run. Guarded by this. */
    private AppState state = AppState.STOPPED;
    private String detail = "no application has run yet";

    /**
     * @param runDir        where the link sockets go (created if missing)
     * @param pirtLibraries the pirt libraries and their dependencies, for the application's class path
     */
    public AppSupervisor(Path runDir, ConsoleLog log, List<Path> pirtLibraries, AppEvents events,
                         long startTimeoutMs, long hangTimeoutMs, long stopGraceMs) throws IOException {
        this.runDir = Files.createDirectories(runDir);
        this.log = log;
        this.pirtLibraries = List.copyOf(pirtLibraries);
        this.events = events;
        this.startTimeoutMs = startTimeoutMs;
        this.hangTimeoutMs = hangTimeoutMs;
        this.stopGraceMs = stopGraceMs;
    }

    /** One start of the application: its process, link and watcher threads. */
    private final class Run {
        final AppSpec spec;
        final int number = RUNS.incrementAndGet();
        final Path socket = runDir.resolve("app-" + ProcessHandle.current().pid() + "-" + number + ".sock");
        final long startedNanos = System.nanoTime();
        final BlockingQueue<String> replies = new ArrayBlockingQueue<>(4);
        /**
         * Listens until the started process itself connects; closed then (so no later connection
         * can reach the runtime), or when the run ends.
         */
        final LinkSocket server;
        /** Connections refused so far (from other processes than the started one). Used by the app-link thread only. */
        int refused;
        Process process;
        volatile long lastBeatNanos;
        volatile boolean linked;
        volatile boolean stopRequested;
        /** Guarded by itself. */
        OutputStream linkOut;
        Thread out, err;

        Run(AppSpec spec) throws IOException {
            this.spec = spec;
            Files.deleteIfExists(socket);
            server = LinkSocket.listen(socket);
        }

        void send(String line) {
            synchronized (this) {
                if (linkOut == null) return;
                try {
                    linkOut.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    linkOut.flush();
                } catch (IOException e) {
                    log.runtime("cannot reach the application over its link (" + e.getMessage() + ")");
                }
            }
        }
    }

    /**
     * Starts {@code spec}; any running application is stopped first.
     *
     * @throws IOException if the process cannot be started (the message says why)
     */
    public void start(AppSpec spec) throws IOException {
        stop();
        Run r = new Run(spec);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        // The package's root-owned native libraries, as the runtime loads them; first, so an application's own flag wins.
        for (String p : NATIVE_LIBRARY_PROPERTIES) {
            String v = System.getProperty(p);
            if (v != null) cmd.add("-D" + p + "=" + v);
        }
        cmd.add("-D" + LOG_LEVEL_PROPERTY + "=" + System.getProperty(LOG_LEVEL_PROPERTY, "warn"));
        cmd.addAll(spec.jvmFlags());
        cmd.add("-XX:+ExitOnOutOfMemoryError"); // out of memory ends the process: a crash the supervisor sees
        cmd.add("--enable-native-access=ALL-UNNAMED"); // JNA and jSerialComm call native code: no warning on every start
        cmd.add("-Dpirt.supervisor.socket=" + r.socket);
        for (Map.Entry<String, String> p : spec.properties().entrySet()) cmd.add("-D" + p.getKey() + "=" + p.getValue());
        List<String> cp = new ArrayList<>();
        spec.classpath().forEach(p -> cp.add(p.toString()));
        pirtLibraries.forEach(p -> cp.add(p.toString()));
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, cp));
        cmd.add("io.pirt.hal.AppLauncher");
        cmd.add(spec.mainClass());
        cmd.addAll(spec.args());
        synchronized (this) {
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd);
                // systemd's notification socket and watchdog are the runtime's: the application never speaks for the service.
                pb.environment().keySet().removeAll(SERVICE_MANAGER_VARIABLES);
                r.process = pb.start();
            } catch (IOException e) {
                r.server.close();
                state = AppState.CRASHED;
                detail = "could not start: " + e.getMessage();
                throw new IOException("cannot start application " + spec.name() + ": " + e.getMessage(), e);
            }
            run = r;
            state = AppState.STARTING;
            detail = "starting " + spec.name() + " (pid " + r.process.pid() + ")";
        }
        log.runtime("starting application " + spec.name() + " (main class " + spec.mainClass() + ", pid " + r.process.pid() + ")");
        r.out = pump(r, r.process.getInputStream(), ConsoleLog.Source.APP_OUT, "app-stdout");
        r.err = pump(r, r.process.getErrorStream(), ConsoleLog.Source.APP_ERR, "app-stderr");
        new Thread(() -> serveLink(r), "app-link").start(Thread.PRIO_HIGH);
        new Thread(() -> watch(r), "app-watch").start(Thread.PRIO_HIGH);
    }

    private Thread pump(Run r, InputStream stream, ConsoleLog.Source source, String name) {
        Thread t = new Thread(() -> {
            try (stream) {
                BoundedLineReader in = new BoundedLineReader(stream, MAX_LINE_BYTES);
                for (String line; (line = in.readLine()) != null; ) log.log(source, line);
            } catch (IOException e) {
                log.runtime("lost the application's " + (source == ConsoleLog.Source.APP_OUT ? "output" : "error output")
                        + " (" + e.getMessage() + ")");
            }
        }, name);
        t.start(Thread.PRIO_NORMAL);
        return t;
    }

    /**
     * Waits for the started process to connect, refusing (closing and logging) a connection
     * from any other process, then serves the link. Only the process the runtime started may
     * speak for the application: a process it spawned, one left over from an earlier run or any
     * other program of the runtime's user would otherwise be able to say {@code healthy} (and
     * so commit a trial) in its place. The kernel's record of the peer (SO_PEERCRED) is taken at
     * connect; a pid cannot be reused while the started process lives or is unreaped, and the
     * socket is closed as soon as the run ends (a new process would have to be given that very
     * pid in between).
     */
    private LinkSocket.Connection acceptTheApplication(Run r) throws IOException {
        long appPid = r.process.pid();
        while (true) {
            LinkSocket.Connection c = r.server.accept();
            if (c.peerPid() == appPid) {
                r.server.close(); // the link is one connection: later ones find no socket
                Files.deleteIfExists(r.socket);
                return c;
            }
            c.close();
            if (++r.refused <= MAX_REFUSALS_LOGGED) {
                log.runtime("refused a supervision connection from pid " + c.peerPid() + " (not the application, pid " + appPid + ")"
                        + (r.refused == MAX_REFUSALS_LOGGED ? "; further refusals in this run are not logged" : ""));
            }
        }
    }

    private void serveLink(Run r) {
        try (LinkSocket.Connection ch = acceptTheApplication(r);
             BufferedReader in = new BufferedReader(new InputStreamReader(ch.input(), StandardCharsets.UTF_8))) {
            synchronized (r) {
                r.linkOut = ch.output();
            }
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("beat")) {
                    r.lastBeatNanos = System.nanoTime();
                } else if (line.startsWith("hello ")) {
                    r.lastBeatNanos = System.nanoTime();
                    r.linked = true;
                    synchronized (this) {
                        if (run == r && state == AppState.STARTING) {
                            state = AppState.RUNNING;
                            detail = "running " + r.spec.name() + " (pid " + r.process.pid() + ")";
                        }
                    }
                    events.started(r.spec);
                } else if (line.equals("healthy")) {
                    events.healthy(r.spec);
                } else if (line.startsWith("event ")) {
                    events.event(r.spec, line.substring("event ".length()));
                } else if (line.startsWith("ask-host ")) {
                    events.hostAction(r.spec, line.substring("ask-host ".length()));
                } else if (!r.replies.offer(line)) {
                    log.runtime("the application sent an unasked reply; dropped: " + line);
                }
            }
        } catch (java.nio.channels.AsynchronousCloseException e) {
            // the run ended before the application linked up: its watcher says how
        } catch (IOException e) {
            if (r.process.isAlive() && !r.stopRequested) log.runtime("the application's link failed: " + e.getMessage());
        } finally {
            synchronized (r) {
                r.linkOut = null; // the connection is closed: send() writes nothing more
            }
            try {
                r.server.close();
                Files.deleteIfExists(r.socket);
            } catch (IOException e) {
                log.runtime("cannot remove " + r.socket + ": " + e.getMessage());
            }
        }
    }

    /** Waits for the process to end, waking at each heartbeat deadline to check for a hang. */
    private void watch(Run r) {
        boolean hung = false;
        String hangDetail = null;
        try {
            while (!r.process.waitFor(nextDeadlineMs(r), TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                if (!r.linked && now - r.startedNanos > TimeUnit.MILLISECONDS.toNanos(startTimeoutMs)) {
                    hangDetail = "did not start: no word from it within " + startTimeoutMs + " ms";
                } else if (r.linked && now - r.lastBeatNanos > TimeUnit.MILLISECONDS.toNanos(hangTimeoutMs)) {
                    hangDetail = "hung: no heartbeat for " + TimeUnit.NANOSECONDS.toMillis(now - r.lastBeatNanos) + " ms";
                }
                if (hangDetail != null && !r.stopRequested) {
                    hung = true;
                    log.runtime("application " + r.spec.name() + " " + hangDetail + "; killing it");
                    r.process.destroyForcibly();
                    r.process.waitFor();
                    break;
                }
            }
        } catch (InterruptedException e) {
            r.process.destroyForcibly();
        }
        // Let the output pumps finish, so the application's last lines come before the verdict.
        r.out.join(2_000);
        r.err.join(2_000);
        int code = r.process.exitValue();
        AppState end;
        String why;
        if (r.stopRequested) {
            end = AppState.STOPPED;
            why = "stopped on request";
        } else if (hung) {
            end = AppState.HUNG;
            why = hangDetail;
        } else if (code == 0) {
            end = AppState.EXITED;
            why = "exited (status 0)";
        } else {
            end = AppState.CRASHED;
            why = "crashed (exit status " + code + (code > 128 ? ", killed by signal " + (code - 128) : "") + ")";
        }
        synchronized (this) {
            if (run == r) {
                state = end;
                detail = r.spec.name() + " " + why;
                run = null;
            }
            notifyAll();
        }
        log.runtime("application " + r.spec.name() + " " + why);
        try {
            r.server.close(); // an accept still waiting ends
        } catch (IllegalStateException e) { // the C library refused to close it: the run has ended all the same
            log.runtime("closing the link socket of " + r.spec.name() + ": " + e.getMessage());
        }
        events.ended(r.spec, end, why);
    }

    /**
     * How long the watcher may wait before something could be due: until the heartbeat
     * deadline once linked; before that until the start deadline, but no longer than one hang
     * timeout, since the link may come up (and its heartbeat deadline start) meanwhile.
     */
    private long nextDeadlineMs(Run r) {
        long now = System.nanoTime();
        long deadline = r.linked ? r.lastBeatNanos + TimeUnit.MILLISECONDS.toNanos(hangTimeoutMs)
                : Math.min(r.startedNanos + TimeUnit.MILLISECONDS.toNanos(startTimeoutMs), now + TimeUnit.MILLISECONDS.toNanos(hangTimeoutMs));
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - now) + 1);
    }

    /**
     * Stops the application if one runs: interrupts its threads, waits the grace period,
     * then kills it. Returns once it has ended (bounded by the grace period plus a few seconds).
     */
    public void stop() {
        Run r;
        synchronized (this) {
            r = run;
            if (r == null) return;
            r.stopRequested = true;
            state = AppState.STOPPING;
            detail = "stopping " + r.spec.name();
        }
        log.runtime("stopping application " + r.spec.name());
        r.send("stop");
        try {
            if (!r.process.waitFor(stopGraceMs, TimeUnit.MILLISECONDS)) {
                log.runtime("application " + r.spec.name() + " did not end within " + stopGraceMs + " ms of its interrupt; killing it");
                r.process.destroyForcibly();
            }
            synchronized (this) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (run == r && deadline - System.nanoTime() > 0) wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            r.process.destroyForcibly();
        }
    }

    public synchronized AppState state() {
        return state;
    }

    /** One line for people: what runs, or how the last run ended. */
    public synchronized String describe() {
        return state + ": " + detail;
    }

    /** What happened to the application, in a person's words (the part of {@link #describe()} after the state). */
    public synchronized String detail() {
        return detail;
    }

    /** The running application's spec, if any. */
    public synchronized java.util.Optional<AppSpec> current() {
        return java.util.Optional.ofNullable(run).map(r -> r.spec);
    }

    /**
     * Asks the running application {@code request} over its link and returns its one-line
     * reply, or a line starting with "error" (none running, no reply within {@code timeoutMs}).
     */
    public String ask(String request, long timeoutMs) {
        Run r;
        synchronized (this) {
            r = run;
        }
        if (r == null || !r.linked) return "error no application is running";
        synchronized (r.replies) {
            r.replies.clear();
            r.send(request);
            try {
                String reply = r.replies.poll(timeoutMs, TimeUnit.MILLISECONDS);
                return reply != null ? reply : "error the application did not answer within " + timeoutMs + " ms";
            } catch (InterruptedException e) {
                java.lang.Thread.currentThread().interrupt();
                return "error interrupted";
            }
        }
    }

    /** Sends one line to the running application over its link; nothing when none runs or it has not linked up. */
    public void tell(String line) {
        Run r;
        synchronized (this) {
            r = run;
        }
        if (r != null) r.send(line);
    }

    @Override
    public void close() {
        stop();
    }
}
