package io.pirt.runtime.testrun;

import io.pirt.bundle.BundleRejectedException;
import io.pirt.bundle.VerifiedBundle;
import io.pirt.runtime.log.ConsoleLog;
import io.pirt.wire.Frame;
import io.pirt.wire.ProtocolException;
import io.pirt.wire.message.Done;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.TestEvent;
import io.pirt.wire.message.Refusal;
import io.pirt.wire.message.TestLibraries;
import io.pirt.wire.message.TestRunStarted;
import io.pirt.wire.message.TestRunStatus;
import io.pirt.wire.message.JarNames;
import io.pirt.runtime.supervisor.AppSpec;
import io.pirt.runtime.supervisor.AppState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * On-board test runs (docs/testing.md): a verified test bundle is unpacked beside the store,
 * never into it; {@code test-run} stops the application, runs the bundle's tests in an
 * application process of their own, passes the runner's events on to the tool, ends the run
 * at its timeout, and then starts the application that ran before — whatever the tests did.
 *
 * <p>One run at a time: a {@code test-run} while another run is in progress is refused
 * ({@link Refusal#NOT_NOW}) saying which run holds the board, which tool started it and when,
 * and when its timeout ends it at the latest, so a second tool can wait for it (docs/testing.md).
 * A test bundle that arrives meanwhile waits beside the running one. The run's state is guarded by this object; the application is started
 * and stopped outside the lock, because stopping waits for the process, whose end is
 * reported back here. Events travel to the tool on a thread of their own
 * ({@code test-events}), so the application's link is never held up by a slow tool.
 */
public final class TestRuns implements AutoCloseable {
    /** What a run needs of the runtime. */
    public interface Host {
        /** The application running now, if any. */
        Optional<AppSpec> currentApp();

        /** Whether a new bundle is on trial now: its verdict must not be disturbed by a test run. */
        boolean trialInProgress();

        /** Starts {@code app} as the board's application (stopping what runs). */
        void startApp(AppSpec app) throws IOException;

        /** Stops the application; returns when it has ended. */
        void stopApp();

        /** One line to the running application's supervision link. */
        void tellApp(String line);

        /** One event to the attached tool; false if none takes it. */
        boolean sendEvent(String json, long timeoutMs) throws InterruptedException;
    }

    private static final long EVENT_SEND_TIMEOUT_MS = 30_000;
    /** Largest event the link carries (docs/protocol.md §5.5): a longer one is cut to fit, never sent whole. */
    static final int MAX_EVENT_BYTES = Frame.MAX_EVENT_BYTES;
    /**
     * Characters a text field keeps, tried in turn until the event fits in {@link #MAX_EVENT_BYTES}.
     * At the last, 23 fields of 512 characters of 6 bytes each (a control character escaped
     * as {@code \u0001}) still fit, so an event is dropped only if something else is wrong.
     */
    private static final int[] FIELD_CUTS = {8192, 2048, 512};
    /** Events of a run kept for {@code test-events} (a tool that lost its session asks for them again). */
    private static final long MAX_KEPT_EVENT_BYTES = 16L * 1024 * 1024;
    /** The system property that names a test application's run. */
    private static final String RUN_PROPERTY = "pirt.test.run";

    private final Path dir;
    private final Host host;
    private final ConsoleLog log;
    private final List<String> jvmFlags;
    private final List<Path> appLibraries;
    private final BlockingQueue<String> outbox = new ArrayBlockingQueue<>(4096);
    private final Thread sender;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-run-timer");
        t.setDaemon(true);
        return t;
    });

    // Guarded by this.
    /** The unpacked test bundle waiting for its run: SHA-256 of the bundle file, or null. */
    private String readySha;
    private String readyName;
    private String readyMainClass;
    /** The run in progress, or null. */
    private Run run;
    private long runNumber;
    private long droppedEvents;
    /** The events of run {@link #runNumber} (its current or last run), in order: event {@code n} is at index n. */
    private final List<String> runEvents = new ArrayList<>();
    private long runEventBytes;
    /** Set when the kept events reached {@link #MAX_KEPT_EVENT_BYTES}: later ones are sent but cannot be sent again. */
    private boolean keptEventsFull;

    /** One run: its application, what ran before it, and how it ends. Fields guarded by TestRuns.this. */
    private static final class Run {
        final long number;
        final AppSpec spec;
        final Optional<AppSpec> previous;
        /** The SHA-256 of its bundle: the directory under {@link #dir} its jars are in. */
        final String sha;
        /** Who started it ({@code --by}), for a person; null when the tool did not say. */
        final String by;
        /** When it started and when its timeout ends it at the latest: wall-clock, only to be shown. */
        final Instant startedAt;
        final Instant endsBy;
        ScheduledFuture<?> timeout;
        boolean finished;
        String abortReason;

        Run(long number, AppSpec spec, Optional<AppSpec> previous, String sha, String by, long timeoutMs) {
            this.number = number;
            this.spec = spec;
            this.previous = previous;
            this.sha = sha;
            this.by = by;
            this.startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            this.endsBy = startedAt.plusMillis(timeoutMs);
        }

        /** The refusal for a tool that wants the board while this run has it. */
        String holds() {
            return "test run " + number + " is in progress (started" + (by == null ? "" : " by " + by) + " at " + startedAt
                    + "; its timeout ends it by " + endsBy + " at the latest); wait for it, or end it with test-stop";
        }
    }

    /**
     * @param dir           where a test bundle is unpacked (emptied at each new one)
     * @param jvmFlags      flags of the test application's JVM (the application's)
     * @param appLibraries  the pirt libraries on every application's class path, for {@link #libraries()}
     */
    public TestRuns(Path dir, Host host, ConsoleLog log, List<String> jvmFlags, List<Path> appLibraries) throws IOException {
        this.appLibraries = List.copyOf(appLibraries);
        this.dir = dir;
        this.host = host;
        this.log = log;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) { // a read-only state directory: the runtime runs on, and a test bundle fails with this
            log.runtime("test runs: cannot make " + dir + " (" + e + "); a test bundle is refused until it can be made");
        }
        this.jvmFlags = List.copyOf(jvmFlags);
        this.sender = new Thread(this::sendEvents, "test-events");
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * A verified test bundle arrived: unpack it, replacing any earlier one that never ran. The
     * bundle of a run in progress stays: this one waits for its own {@code test-run}. The
     * libraries it references are linked from {@code libraries} (the board's library cache).
     */
    public void accept(VerifiedBundle bundle, String sha256Hex, VerifiedBundle.LibrarySource libraries) throws IOException {
        String keep;
        synchronized (this) {
            keep = run == null ? null : run.sha;
            if (sha256Hex.equals(keep)) { // the very bundle the run in progress runs (the same tests again): unpacked already
                ready(bundle, sha256Hex);
                return;
            }
            readySha = null; // its directory goes now
        }
        Files.createDirectories(dir);
        deleteTreeExcept(dir, keep);
        Path target = Files.createDirectories(dir.resolve(sha256Hex));
        try {
            bundle.extractTo(target, libraries);
        } catch (BundleRejectedException e) {
            throw new IOException("the test bundle changed while it was unpacked: " + e.getMessage(), e);
        }
        synchronized (this) {
            ready(bundle, sha256Hex);
        }
    }

    /** Guarded by this: the unpacked bundle {@code sha256Hex} waits for its {@code test-run}. */
    private void ready(VerifiedBundle bundle, String sha256Hex) {
        readySha = sha256Hex;
        readyName = bundle.manifest().name() + " " + bundle.manifest().version();
        readyMainClass = bundle.manifest().mainClass();
        log.runtime("test bundle " + readyName + " received; `test-run` starts it");
    }

    /**
     * The tool's {@code test-run SHA256 TIMEOUT_MS [--by WHO] [RUNNER ARGUMENTS...]}: starts the
     * run and answers at once; results follow as events. {@code WHO} (no white space) names the
     * tool for a second tool that finds the board busy.
     */
    public TestRunStarted start(String argument) {
        String[] w = argument.trim().split("\\s+");
        if (w.length < 2 || !w[0].matches("[0-9a-f]{64}") || !w[1].matches("[1-9][0-9]{0,9}")
                || (w.length > 2 && w[2].equals("--by") && (w.length < 4 || !w[3].matches("[\\x21-\\x7e]{1,200}")))) {
            throw new Refusal(Refusal.BAD_ARGUMENT, "usage: test-run BUNDLE_SHA256 TIMEOUT_MS [--by WHO] [RUNNER ARGUMENTS...]").exception();
        }
        long timeoutMs = Long.parseLong(w[1]);
        String by = w.length > 3 && w[2].equals("--by") ? w[3] : null;
        List<String> runnerArgs = Arrays.asList(w).subList(by == null ? 2 : 4, w.length);
        Run r;
        synchronized (this) {
            if (run != null) throw new Refusal(Refusal.NOT_NOW, run.holds()).exception();
            if (!w[0].equals(readySha)) {
                throw new Refusal(Refusal.NOT_FOUND, "no test bundle " + w[0].substring(0, 12) + "... is waiting on this board: send it first").exception();
            }
            if (host.trialInProgress()) {
                throw new Refusal(Refusal.NOT_NOW, "a new bundle is on trial; run the tests once it is committed or rolled back").exception();
            }
            List<Path> jars;
            try {
                jars = AppSpec.jarsIn(dir.resolve(readySha));
            } catch (IOException e) {
                throw new Refusal(Refusal.FAILED, "cannot read the test bundle's jars: " + e.getMessage()).exception();
            }
            AppSpec spec = new AppSpec("tests " + readyName, jars, readyMainClass, runnerArgs, jvmFlags,
                    Map.of(RUN_PROPERTY, Long.toString(runNumber + 1)));
            r = new Run(++runNumber, spec, host.currentApp(), readySha, by, timeoutMs);
            readySha = null;
            run = r;
            runEvents.clear();
            runEventBytes = 0;
            keptEventsFull = false;
        }
        log.runtime("test run " + r.number + ": " + r.spec.name() + (by == null ? "" : " for " + by) + ", at most " + timeoutMs + " ms"
                + r.previous.map(p -> "; " + p.name() + " comes back after it").orElse(""));
        try {
            host.startApp(r.spec);
        } catch (IOException e) {
            synchronized (this) {
                run = null;
            }
            restore(r);
            throw new Refusal(Refusal.FAILED, "cannot start the tests: " + e.getMessage()).exception();
        }
        synchronized (this) {
            if (run == r) r.timeout = timers.schedule(() -> timedOut(r, timeoutMs), timeoutMs, TimeUnit.MILLISECONDS);
        }
        return new TestRunStarted(r.number);
    }

    /**
     * The tool's {@code test-libs}: what every application's class path already has on this
     * board — jars by their file name without the version ({@code pirt-hal}, {@code jna}), and
     * class directories by their path — so the tool leaves those out of a test bundle.
     */
    public TestLibraries libraries() {
        List<String> jars = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        for (Path entry : appLibraries) {
            String e = entry.toString();
            if (e.endsWith("*")) { // a class path wildcard: the jars of that directory
                Path parent = entry.getParent() != null ? entry.getParent() : Path.of(".");
                try (DirectoryStream<Path> d = Files.newDirectoryStream(parent, "*.jar")) {
                    for (Path jar : d) jars.add(JarNames.baseName(jar));
                } catch (IOException ex) {
                    throw new Refusal(Refusal.FAILED, "cannot list the application libraries in " + parent + ": " + ex.getMessage()).exception();
                }
            } else if (e.endsWith(".jar")) {
                jars.add(JarNames.baseName(entry));
            } else {
                dirs.add(entry.toAbsolutePath().toString());
            }
        }
        return new TestLibraries(jars, dirs);
    }

    /**
     * The tool's {@code test-status RUN}: how many events the run has produced so far, and
     * whether it still runs, so a tool that lost its session knows what it missed.
     */
    public synchronized TestRunStatus status(String argument) {
        String w = argument.trim();
        if (!w.matches("[1-9][0-9]{0,9}")) throw new Refusal(Refusal.BAD_ARGUMENT, "usage: test-status RUN").exception();
        long number = Long.parseLong(w);
        if (number != runNumber) throw new Refusal(Refusal.NOT_FOUND, "test run " + number + " is not this board's last run (" + runNumber + ")").exception();
        return new TestRunStatus(number, runEvents.size(), run != null && run.number == number);
    }

    /** The tool's {@code test-events RUN FROM}: sends the run's events from number FROM on again. */
    public Done resend(String argument) {
        String[] w = argument.trim().split("\\s+");
        if (w.length != 2 || !w[0].matches("[1-9][0-9]{0,9}") || !w[1].matches("[0-9]{1,9}")) {
            throw new Refusal(Refusal.BAD_ARGUMENT, "usage: test-events RUN FROM").exception();
        }
        List<String> again;
        synchronized (this) {
            if (Long.parseLong(w[0]) != runNumber) throw new Refusal(Refusal.NOT_FOUND, "test run " + w[0] + " is not this board's last run").exception();
            int from = Integer.parseInt(w[1]);
            if (from > runEvents.size()) throw new Refusal(Refusal.BAD_ARGUMENT, "run " + w[0] + " has only " + runEvents.size() + " events").exception();
            again = new ArrayList<>(runEvents.subList(from, runEvents.size()));
        }
        if (again.contains(null)) throw new Refusal(Refusal.NOT_FOUND, "the run's events past " + MAX_KEPT_EVENT_BYTES + " bytes were not kept").exception();
        for (String json : again) {
            if (!outbox.offer(json)) throw new Refusal(Refusal.NOT_NOW, "the board's event queue is full; ask again in a moment").exception();
        }
        return new Done("sending " + again.size() + " events again");
    }

    /** The tool's {@code test-stop}: ends the run now; the previous application comes back. */
    public Done stop() {
        Run r;
        synchronized (this) {
            r = run;
            if (r == null) throw new Refusal(Refusal.NOT_FOUND, "no test run is in progress").exception();
            if (r.abortReason == null) r.abortReason = "stopped by the tool";
        }
        host.stopApp();
        return new Done("test run " + r.number + " stopped");
    }

    private void timedOut(Run r, long timeoutMs) {
        synchronized (this) {
            if (run != r) return;
            r.abortReason = "timed out after " + timeoutMs + " ms";
        }
        log.runtime("test run " + r.number + " timed out after " + timeoutMs + " ms; stopping it");
        host.stopApp();
    }

    /**
     * Whether {@code app} is the running test run's application (its events and end belong
     * here). The runtime adds properties to what it starts, so the run is known by its number.
     */
    public synchronized boolean owns(AppSpec app) {
        return run != null && isRun(run, app);
    }

    private static boolean isRun(Run r, AppSpec app) {
        return Long.toString(r.number).equals(app.properties().get(RUN_PROPERTY));
    }

    /** A line {@code event JSON} from the test application: one {@link TestEvent} of the runner's. */
    public void event(AppSpec app, String json) {
        TestEvent event;
        try {
            event = Messages.decode(json, TestEvent.class);
        } catch (ProtocolException e) {
            log.runtime("test run: the runner sent an event that is not a test event (" + e.getMessage() + "); dropped");
            return;
        }
        Run r;
        String abort;
        synchronized (this) {
            r = run;
            if (r == null || !isRun(r, app)) return;
            abort = r.abortReason;
            if (abort == null && event.kind() == TestEvent.Kind.RUN_FINISHED) r.finished = true;
        }
        if (abort != null && (event.kind() == TestEvent.Kind.TEST_FINISHED || event.kind() == TestEvent.Kind.RUN_FINISHED)) {
            // The runtime is stopping the run: a result now is what the stop did (an interrupted wait), not the
            // test's own; the run's abort event says why the tests still running did not finish.
            log.runtime("test run " + r.number + ": " + (event.className() != null ? event.className() + "." + event.name() + " " : "")
                    + "ended by the stop (" + abort + "), reported as that");
            return;
        }
        describe(event);
        queue(r.number, event);
    }

    /** A line {@code ask-host ID ACTION} from the test application: the tool is asked. */
    public void hostAction(AppSpec app, String idAndAction) {
        String[] w = idAndAction.split(" ", 2);
        Run r;
        synchronized (this) {
            r = run;
        }
        if (r == null || !isRun(r, app)) return;
        if (w.length < 2 || !w[0].matches("[0-9]{1,9}")) {
            log.runtime("test run: the runner asked the host something malformed: " + idAndAction);
            return;
        }
        if (!queue(r.number, TestEvent.hostAction(r.number, w[0], w[1]))) host.tellApp("host-reply " + w[0] + " unsupported no tool is attached to act on the board");
    }

    /** The tool's {@code test-host-reply ID ok|failed|unsupported MESSAGE}: passed on to the test application. */
    public Done hostReply(String argument) {
        String[] w = argument.trim().split(" ", 3);
        if (w.length < 2 || !w[0].matches("[0-9]{1,9}") || !List.of("ok", "failed", "unsupported").contains(w[1])) {
            throw new Refusal(Refusal.BAD_ARGUMENT, "usage: test-host-reply ID ok|failed|unsupported MESSAGE").exception();
        }
        synchronized (this) {
            if (run == null) throw new Refusal(Refusal.NOT_FOUND, "no test run is in progress").exception();
        }
        host.tellApp("host-reply " + w[0] + " " + w[1] + " " + (w.length > 2 ? oneLine(w[2]) : ""));
        return new Done("passed on");
    }

    /**
     * {@code message} with every control character (CR and LF above all) made a space: the
     * application's link is line-based, so a CR or LF from the host would start a line the
     * host wrote, not the runtime.
     */
    static String oneLine(String message) {
        StringBuilder b = new StringBuilder(message.length());
        message.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return b.toString();
    }

    /** The test application ended: the run is over; what ran before comes back. */
    public void ended(AppSpec app, AppState state, String detail) {
        Run r;
        synchronized (this) {
            r = run;
            if (r == null || !isRun(r, app)) return;
            run = null;
            if (r.timeout != null) r.timeout.cancel(false);
        }
        String abort = r.abortReason != null ? r.abortReason
                : !r.finished ? "the test process ended before the run finished: " + detail : null;
        if (abort != null) {
            log.runtime("test run " + r.number + " did not finish: " + abort);
            queue(r.number, TestEvent.aborted(r.number, abort));
        } else {
            log.runtime("test run " + r.number + " finished");
        }
        restore(r);
    }

    private void restore(Run r) {
        TestEvent restored = TestEvent.restored(r.number, null, null);
        if (r.previous.isPresent()) {
            try {
                host.startApp(r.previous.get());
                restored = TestEvent.restored(r.number, r.previous.get().name(), null);
            } catch (IOException e) {
                log.runtime("cannot start " + r.previous.get().name() + " again after the tests: " + e.getMessage());
                restored = TestEvent.restored(r.number, null, "cannot start " + r.previous.get().name() + ": " + e.getMessage());
            }
        }
        queue(r.number, restored);
    }

    /** A line for people on the console, for each finished test and for the run's end. */
    private void describe(TestEvent e) {
        switch (e.kind()) {
            case TEST_FINISHED -> log.runtime("test " + e.className() + "." + e.name() + " " + e.status() + " (" + e.durationMs() + " ms)");
            case RUN_FINISHED -> log.runtime("tests: " + e.tests() + " run, " + e.failures() + " failed, " + e.errors() + " errors, "
                    + e.skipped() + " skipped");
            default -> { }
        }
    }

    /** Numbers the event ({@code n}: 0, 1, ... within its run), keeps it for {@code test-events}, and queues it for the tool. */
    private boolean queue(long runNumber, TestEvent event) {
        String json;
        synchronized (this) {
            json = fitted(event.numbered(runNumber, runEvents.size()));
            if (json == null) {
                droppedEvents++;
                return false;
            }
            if (!keptEventsFull && runEventBytes + json.length() <= MAX_KEPT_EVENT_BYTES) {
                runEvents.add(json);
                runEventBytes += json.length();
            } else {
                keptEventsFull = true;
                runEvents.add(null); // numbered, but too much to keep: it cannot be sent again
            }
        }
        if (outbox.offer(json)) return true;
        synchronized (this) {
            droppedEvents++;
        }
        return false;
    }

    /**
     * Under this: the event as JSON of at most {@link #MAX_EVENT_BYTES} UTF-8 bytes. A runner
     * cuts each text field to 16 Ki characters, but JSON escaping can make that six times as
     * many bytes, and several fields add up: such an event has its text fields cut until it fits,
     * each cut saying so. Null (and a line in the log) in the case nothing should reach: the
     * event does not fit even with every text field cut short.
     */
    private String fitted(TestEvent event) {
        String json = Messages.encode(event);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= MAX_EVENT_BYTES) return json;
        for (int maxChars : FIELD_CUTS) {
            String cut = Messages.encode(event.textCut(maxChars));
            if (cut.getBytes(StandardCharsets.UTF_8).length <= MAX_EVENT_BYTES) {
                log.runtime("test run: event " + event.n() + " (" + event.kind() + ") was " + bytes + " bytes, more than an event's "
                        + MAX_EVENT_BYTES + "; its text fields were cut to " + maxChars + " characters each");
                return cut;
            }
        }
        log.runtime("test run: event " + event.n() + " (" + event.kind() + ") is " + bytes + " bytes and does not fit in an event's "
                + MAX_EVENT_BYTES + " even with its text cut; dropped (" + (droppedEvents + 1) + " events dropped so far)");
        return null;
    }

    /**
     * The {@code test-events} thread. Nothing an event or the port does ends it: an event the
     * host cannot send, or a bug that throws, is counted and logged, and the next event goes.
     */
    private void sendEvents() {
        for (;;) {
            String json;
            try {
                json = outbox.take();
            } catch (InterruptedException e) {
                return; // closing
            }
            try {
                send(json);
            } catch (InterruptedException e) {
                return; // closing
            } catch (RuntimeException | Error e) {
                long dropped;
                synchronized (this) {
                    dropped = ++droppedEvents;
                }
                log.runtime("test run: sending an event (" + json.length() + " characters) failed: " + e
                        + "; dropped (" + dropped + " so far), later events go on; the journal (stderr) has the stack trace");
                System.err.println("pirt-runtime: sending a test event failed on " + Thread.currentThread().getName()
                        + " (the thread goes on): " + e);
                e.printStackTrace(System.err);
            }
        }
    }

    private void send(String json) throws InterruptedException {
        if (host.sendEvent(json, EVENT_SEND_TIMEOUT_MS)) return;
        long dropped;
        synchronized (this) {
            dropped = ++droppedEvents;
        }
        if (dropped == 1 || dropped % 100 == 0) {
            log.runtime("test run: no tool took the run's events (" + dropped + " dropped so far)");
        }
    }

    /** Empties {@code root}, but for its directory {@code keep} (null: none). */
    private static void deleteTreeExcept(Path root, String keep) throws IOException {
        if (!Files.exists(root)) return;
        Path kept = keep == null ? null : root.resolve(keep);
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(root) && (kept == null || !p.startsWith(kept))) Files.delete(p);
            }
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
        sender.interrupt();
    }
}
