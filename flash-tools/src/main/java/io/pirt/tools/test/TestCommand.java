package io.pirt.tools.test;

import io.pirt.tools.client.TransferReport;
import io.pirt.wire.ConsoleSource;
import io.pirt.wire.Hello;
import io.pirt.wire.ProtocolException;
import io.pirt.tools.ToolException;
import io.pirt.tools.client.TransferRefusedException;
import io.pirt.tools.flash.Flashing;
import io.pirt.tools.flash.LibraryUpload;
import io.pirt.wire.message.AnswerText;
import io.pirt.wire.message.Done;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.Refusal;
import io.pirt.wire.message.TestEvent;
import io.pirt.wire.message.TestLibraries;
import io.pirt.wire.message.TestRunStarted;
import io.pirt.wire.message.TestRunStatus;
import io.pirt.tools.board.BoardSession;
import io.pirt.tools.board.PortOptions;
import io.pirt.tools.bundle.SigningKeyFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pirt test}: runs a project's JUnit tests on the board (docs/testing.md) and reports
 * them on the host as they finish, and as Surefire XML.
 */
@Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run JUnit tests on the board and report the results here.", "",
                "Bundles the test classes and what they need (leaving out what the board already has), sends the "
                + "libraries the board's library cache lacks and then a bundle that references them, and runs the tests inside an application process on the board with the JUnit Platform. Each "
                + "result comes back as a structured event as soon as the test ends, and is written as a "
                + "Surefire-compatible XML report. The application that ran before comes back afterwards, whatever the "
                + "tests did; a run that takes longer than --timeout is stopped. Tests can ask this tool to act on the "
                + "board (io.pirt.boardtest.TestRig.askHost): press PIN, release PIN and set PIN 0|1 are passed to "
                + "the board's gpio command.", "",
                "PATH is a test jar, a directory of test classes, or a Maven project directory (its target/test-classes "
                + "and target/classes, and the dependencies `mvn dependency:build-classpath` lists, or those in "
                + "target/pirt-test-classpath.txt).", "",
                "Examples:",
                "  pirt test --port /dev/ttyACM0 examples/hello-world",
                "  pirt test -p /dev/ttyACM0 --timeout 2m --include-tag smoke target/app-tests.jar --classpath lib/dep.jar"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every test passed (or was skipped)",
                "1:a test failed or erred, the run timed out or broke off, or the board could not be reached",
                "2:usage error (also: no --port and not exactly one likely board)",
                "3:the board refused the test bundle (not signed by a key it trusts)"})
public final class TestCommand implements Callable<Integer> {
    static final int EXIT_REFUSED = 3;
    /** How long after the run's timeout the board has to stop it and bring the application back. */
    private static final long RESTORE_GRACE_MS = 60_000;
    /** After this long without an event the board is asked how the run goes. */
    private static final long QUIET_MS = 3_000;
    /** While the board is busy with another run, it is asked again this often (and as soon as that run's end arrives). */
    static final long BUSY_RETRY_MS = 5_000;

    @Spec
    CommandSpec spec;

    @Mixin
    PortOptions port;

    @Parameters(index = "0", paramLabel = "PATH", description = "A test jar, a directory of test classes, or a Maven project directory.")
    Path path;

    @Option(names = "--classpath", paramLabel = "ENTRY", split = ":",
            description = "What the tests need besides what the board has: jars or class directories (repeatable, or :-separated).")
    List<Path> classpath = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "Longest the whole run may take on the board, e.g. 90s, 10m, 1h, or milliseconds (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--reports", paramLabel = "DIR",
            description = "Where the Surefire XML reports go (default: the project's target/pirt-reports; for a jar or class "
                    + "directory outside a project's target, target/pirt-reports here).")
    Path reports;

    @Option(names = "--include-tag", paramLabel = "TAG", description = "Run only tests with this JUnit tag (repeatable).")
    List<String> includeTags = new ArrayList<>();

    @Option(names = "--exclude-tag", paramLabel = "TAG", description = "Leave out tests with this JUnit tag (repeatable).")
    List<String> excludeTags = new ArrayList<>();

    @Option(names = "--select", paramLabel = "CLASS[#METHOD]", description = "Run only this class or method (repeatable).")
    List<String> select = new ArrayList<>();

    @Option(names = "--key", paramLabel = "PRIVATE_KEY",
            description = "Sign the test bundle with this key (default: ~/.pirt/signing.key); a board in development mode also takes --unsigned.")
    Path key;

    @Option(names = "--public-key", paramLabel = "PUB", description = "The public key of --key, when it is not KEY's name with .pub.")
    Path publicKey;

    @Option(names = "--unsigned", description = "Send the test bundle unsigned (only a board in development mode takes it).")
    boolean unsigned;

    @Option(names = "--show-output", description = "Also print what the board's console prints during the run.")
    boolean showOutput;

    @Override
    public Integer call() throws ToolException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long timeoutMs = parseDuration(timeout);
        ProjectTests tests = ProjectTests.resolve(path, classpath);
        KeyPair signer = unsigned ? null : signer();
        List<String> runnerArgs = runnerArguments(tests);
        Path reports = this.reports != null ? this.reports : ProjectTests.defaultReports(path);

        Path work;
        try {
            work = Files.createTempDirectory("pirt-test-");
        } catch (IOException e) {
            throw ToolException.failure("cannot make a temporary directory for the test bundle: " + e.getMessage(), e);
        }
        // The board's test events and console lines, in the order they arrived (both come on the link's reader thread).
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        ExecutorService actions = Executors.newSingleThreadExecutor(r -> {
            java.lang.Thread t = new java.lang.Thread(r, "pirt-test-host-actions");
            t.setDaemon(true);
            return t;
        });
        String portPath = port.port();
        try (BoardSession session = BoardSession.open(portPath, port.link(),
                BoardSession.clientOptions(port.timeoutMs(), 30_000)
                        .withKeyProof(new io.pirt.tools.board.KeyFileProof(key, publicKey)), (source, line) -> {
                    if (showOutput) {
                        out.println("  | " + line);
                        out.flush();
                    }
                    events.add(new ConsoleLine(source, line));
                })) {
            if ((session.client().board().capabilities() & Hello.EVENTS) == 0) {
                throw ToolException.failure("the board (runtime " + session.client().board().software()
                        + ") cannot send test events: update its runtime");
            }
            TestLibraries libraries = session.ask(io.pirt.wire.message.Command.TEST_LIBS, "", TestLibraries.class);
            Set<String> onBoard = new HashSet<>(libraries.jars());
            onBoard.addAll(libraries.directories());
            TestBundle.Contents contents = TestBundle.collect(tests.tests(), tests.classpath(), onBoard, work);
            Path bundle = work.resolve("tests.pirt");
            Optional<LibraryUpload.Result> cached = uploadLibraries(session, contents.libraries(), err);
            if (cached.isPresent()) {
                TestBundle.write(bundle, TestBundle.nameFor(path), contents.own(), cached.get().references(), signer);
            } else {
                TestBundle.write(bundle, TestBundle.nameFor(path), contents.jars(), List.of(), signer);
            }
            err.println("test bundle: " + (cached.isPresent() ? contents.own().size() + " jars and " + contents.libraries().size()
                    + " referenced libraries" : contents.jars().size() + " jars") + ", " + size(bundle) + " bytes ("
                    + contents.leftOut().size() + " class path entries the board already has were left out)");
            err.flush();
            session.client().onEvents(body -> {
                try {
                    events.add(Messages.decode(body, TestEvent.class));
                } catch (ProtocolException e) {
                    err.println("pirt: the board sent an event that is not a test event (" + e.getMessage() + ")");
                }
            });
            TransferReport sent;
            try {
                sent = session.client().transfer(bundle, "tests.pirt", p -> { });
            } catch (TransferRefusedException e) {
                InstallVerdict verdict;
                try {
                    verdict = Flashing.verdictOnRefusal(session.client(), bundle, e);
                } catch (IOException lost) {
                    throw ToolException.failure(portPath + ": sending the test bundle failed: " + e.getMessage()
                            + " (and asking why: " + lost.getMessage() + ")", lost);
                }
                err.println("pirt: the board refused the test bundle: " + verdict.detail());
                return EXIT_REFUSED;
            } catch (ProtocolException e) {
                throw ToolException.failure(portPath + ": sending the test bundle failed: " + e.getMessage(), e);
            } catch (IOException e) {
                throw ToolException.failure("cannot send the test bundle: " + e.getMessage(), e);
            }
            err.println(String.format(Locale.ROOT, "sent in %.1f s; running the tests on %s (at most %s)",
                    sent.elapsedMillis() / 1000.0, session.client().board().name(), timeout));
            err.flush();
            TestRunStarted started = startRun(session, sent.sha256Hex() + " " + timeoutMs + " --by " + who()
                    + (runnerArgs.isEmpty() ? "" : " " + String.join(" ", runnerArgs)), events, timeoutMs, err);
            String run = Long.toString(started.run());
            err.println("test run " + run + " started");
            err.flush();
            TestReport report = new TestReport(session.client().board().name());
            RunEnd end;
            try {
                end = follow(session, run, events, report, actions, timeoutMs, out, err);
            } catch (ToolException | RuntimeException x) {
                stopQuietly(session, err);
                throw x;
            }
            List<Path> files;
            try {
                files = report.write(reports);
            } catch (IOException e) {
                throw ToolException.failure("cannot write the reports into " + reports + ": " + e.getMessage(), e);
            }
            int failures = report.count(TestReport.Status.FAILED);
            int errors = report.count(TestReport.Status.ERROR);
            out.println(String.format(Locale.ROOT, "Tests run: %d, Failures: %d, Errors: %d, Skipped: %d%s",
                    report.total(), failures, errors, report.count(TestReport.Status.SKIPPED),
                    end.abortReason == null ? "" : " (run ended early: " + end.abortReason + ")"));
            out.println("reports: " + reports + " (" + files.size() + " files)");
            out.println(end.restoredApp == null ? "the board runs no application (none ran before the tests)"
                    : "the board runs " + end.restoredApp + " again");
            out.flush();
            return failures + errors == 0 && end.abortReason == null && report.total() > 0 ? 0 : 1;
        } finally {
            actions.shutdownNow();
            deleteQuietly(work, err);
        }
    }

    /** A line the board's console printed, as the console listener got it. */
    private record ConsoleLine(ConsoleSource source, String line) {
    }

    /** Who this tool is, for another tool that finds the board busy with this run: {@code pirt@HOST:PID}. */
    private static String who() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host"; // the name is only shown to a person; the pid still tells runs apart
        }
        return ("pirt@" + host + ":" + ProcessHandle.current().pid()).replaceAll("[^\\x21-\\x7e]", "_");
    }

    /**
     * Asks the board to start the run. While it refuses because it is busy ({@code NOT_NOW}:
     * another tool's run is in progress, or a new bundle is on trial) this waits, up to the
     * run's own timeout, saying so once per reason: it asks again when the other run's end
     * ({@code restored}) arrives, and every {@link #BUSY_RETRY_MS} in case it does not (the
     * board sends events only to an attached tool). What arrives meanwhile is not this run's
     * and is dropped.
     */
    private static TestRunStarted startRun(BoardSession session, String argument, BlockingQueue<Object> events, long timeoutMs,
                                           PrintWriter err) throws ToolException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        String said = null;
        while (true) {
            Refusal refusal;
            try {
                return Messages.answer(session.client().request(io.pirt.wire.message.Command.TEST_RUN.wireName(), argument),
                        TestRunStarted.class);
            } catch (Refusal.RefusedException e) {
                refusal = e.refusal();
            } catch (IOException e) {
                throw ToolException.failure(session.port() + ": cannot start the test run: " + e.getMessage(), e);
            }
            if (!refusal.code().equals(Refusal.NOT_NOW)) throw ToolException.failure("the board: " + refusal.message());
            if (System.nanoTime() - deadline >= 0) {
                throw ToolException.failure("the board stayed busy for " + timeoutMs + " ms (this run's --timeout): "
                        + refusal.message() + "; try again when it is free (pirt info says what it runs)");
            }
            if (!refusal.message().equals(said)) {
                err.println("pirt: the board cannot start the tests yet: " + refusal.message() + ". Waiting up to "
                        + TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()) + " s (this run's --timeout) for it to be free");
                err.flush();
                said = refusal.message();
            }
            long retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUSY_RETRY_MS);
            for (long left; (left = Math.min(retryAt, deadline) - System.nanoTime()) > 0; ) {
                Object item = events.poll(left, TimeUnit.NANOSECONDS);
                if (item instanceof TestEvent e && e.kind() == TestEvent.Kind.RESTORED) break; // the other run is over
            }
        }
    }

    /**
     * Sends the libraries the board's cache lacks (docs/testing.md, "The library cache") and says
     * how many it had; empty when the board has no cache (its runtime predates it).
     */
    private static Optional<LibraryUpload.Result> uploadLibraries(BoardSession session, List<Path> libraries, PrintWriter err)
            throws ToolException, InterruptedException {
        Optional<LibraryUpload.Result> result;
        try {
            result = LibraryUpload.upload(session.client(), libraries);
        } catch (TransferRefusedException e) {
            throw ToolException.failure(session.port() + ": the board refused a library for its cache: " + e.getMessage(), e);
        } catch (Refusal.RefusedException e) {
            throw ToolException.failure(session.port() + ": the board would not say which libraries it has: "
                    + e.refusal().message());
        } catch (ProtocolException e) {
            throw ToolException.failure(session.port() + ": sending the libraries failed: " + e.getMessage()
                    + "; run the same test again: what arrived stays on the board", e);
        } catch (IOException e) {
            throw ToolException.failure("cannot send the libraries: " + e.getMessage(), e);
        }
        err.println(result.map(LibraryUpload.Result::summary)
                .orElse("libraries: the board has no library cache (runtime " + session.client().board().software()
                        + "); they travel in the test bundle"));
        err.flush();
        return result;
    }

    /** How the run ended: why early (null: it finished), and what the board runs now. */
    private record RunEnd(String abortReason, String restoredApp) {
    }

    /**
     * Takes events until the board says the application is back, printing each result. Events
     * are numbered within the run: one that arrives twice is dropped, and when some went
     * missing (the session was lost meanwhile: the board sends events only to an attached
     * tool) they are asked for again. After {@link #QUIET_MS} without an event the board is
     * asked how many it has sent, which also says hello again if the session was lost.
     */
    private RunEnd follow(BoardSession session, String run, BlockingQueue<Object> events, TestReport report,
                          ExecutorService actions, long timeoutMs, PrintWriter out, PrintWriter err)
            throws ToolException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs + RESTORE_GRACE_MS);
        boolean stopSent = false;
        String abort = null;
        long expected = 0; // number of the next event to take
        long askedFrom = -1; // the number a resend was last asked from
        boolean lost = false; // the last status request failed
        long lastEventNanos = System.nanoTime(); // console lines do not count: the run's events may still be missing
        while (true) {
            long now = System.nanoTime();
            long waitNanos = Math.min(deadline - now, lastEventNanos + TimeUnit.MILLISECONDS.toNanos(QUIET_MS) - now);
            Object item = waitNanos > 0 ? events.poll(waitNanos, TimeUnit.NANOSECONDS) : null;
            if (item instanceof ConsoleLine c) {
                report.console(c.source(), c.line());
                continue;
            }
            TestEvent e = (TestEvent) item;
            if (e != null && e.run() != null && !e.run().toString().equals(run)) continue; // another run's, sent before this one began
            if (e != null) lastEventNanos = System.nanoTime();
            if (e == null && deadline - System.nanoTime() > 0) {
                lastEventNanos = System.nanoTime();
                try {
                    TestRunStatus status = session.ask(io.pirt.wire.message.Command.TEST_STATUS, run, TestRunStatus.class);
                    if (status.events() > expected) { // quiet though some are missing: ask (again)
                        err.println("pirt: " + (status.events() - expected)
                                + " events of the run did not arrive; asking for them again");
                        session.ask(io.pirt.wire.message.Command.TEST_EVENTS, run + " " + expected, Done.class);
                        askedFrom = expected;
                    }
                    if (lost) err.println("pirt: the board is back");
                    lost = false;
                } catch (ToolException x) { // the line is down (a cable pulled, a board busy): the run goes on there
                    if (!lost) err.println("pirt: lost the board (" + x.getMessage() + "); trying again until the run's deadline");
                    lost = true;
                }
                err.flush();
                continue;
            }
            if (e != null) {
                long n = e.n() == null ? -1 : e.n();
                if (n >= 0 && n < expected) continue; // sent again, and already taken
                if (n > expected) {
                    if (askedFrom != expected) {
                        session.ask(io.pirt.wire.message.Command.TEST_EVENTS, run + " " + expected, Done.class);
                        askedFrom = expected;
                    }
                    continue; // it comes again, in order, after the missing ones
                }
                if (n == expected) expected++;
            }
            if (e == null) {
                if (stopSent) {
                    throw ToolException.failure("the board did not end the test run nor bring its application back within "
                            + RESTORE_GRACE_MS + " ms of being asked; check it with `pirt info`");
                }
                err.println("pirt: no end of the run from the board " + RESTORE_GRACE_MS + " ms past its timeout; stopping it");
                session.ask(io.pirt.wire.message.Command.TEST_STOP, "", Done.class);
                stopSent = true;
                deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RESTORE_GRACE_MS);
                continue;
            }
            switch (e.kind()) {
                case RUN_STARTED -> out.println("running " + e.tests() + " tests");
                case TEST_STARTED -> report.started(e);
                case TEST_OUTPUT -> report.output(e);
                case TEST_FINISHED -> print(report.finished(e), out);
                case RUN_FINISHED, UNKNOWN -> { } // UNKNOWN: an event of a newer runtime, not for this tool
                case RUN_ABORTED -> {
                    abort = e.reason();
                    err.println("pirt: the test run ended early on the board: " + abort);
                    for (TestReport.Result r : report.aborted(abort)) print(r, out);
                }
                case HOST_ACTION -> actions.execute(() -> act(session, e.id(), e.action(), err));
                case RESTORED -> {
                    return new RunEnd(abort, e.app());
                }
            }
            out.flush();
        }
    }

    /** The key pair that signs the test bundle; without one, the error also names --unsigned. */
    private KeyPair signer() throws ToolException {
        try {
            return SigningKeyFiles.read(key, publicKey);
        } catch (ToolException e) {
            if (key != null) throw e;
            throw new ToolException(e.exitCode(), e.getMessage() + "; or, for a board in development mode (the virtual board "
                    + "of `pirt sim` is one), send the tests unsigned with --unsigned", e);
        }
    }

    /** The tool gives up on a run: the board should not go on running it for nobody. */
    private static void stopQuietly(BoardSession session, PrintWriter err) throws InterruptedException {
        try {
            session.ask(io.pirt.wire.message.Command.TEST_STOP, "", Done.class);
            err.println("pirt: asked the board to stop the run; it brings its application back");
        } catch (ToolException x) {
            err.println("pirt: could not ask the board to stop the run (" + x.getMessage() + "); it ends at its timeout");
        }
    }

    private static void print(TestReport.Result r, PrintWriter out) {
        String mark = switch (r.status()) {
            case PASSED -> "PASS ";
            case FAILED -> "FAIL ";
            case ERROR -> "ERROR";
            case SKIPPED -> "SKIP ";
        };
        out.println(mark + " " + r.className() + "." + r.name() + " (" + r.durationMs() + " ms)");
        if (r.status() == TestReport.Status.FAILED || r.status() == TestReport.Status.ERROR) {
            if (r.stackTrace() != null) {
                r.stackTrace().lines().limit(12).forEach(l -> out.println("      " + l));
            } else if (r.message() != null) {
                out.println("      " + r.message());
            }
        } else if (r.status() == TestReport.Status.SKIPPED && r.message() != null) {
            out.println("      " + r.message());
        }
    }

    /**
     * The board request that carries out a test's host action ({@code TestRig.askHost}):
     * {@code press BUTTON}, {@code release BUTTON} and {@code set PIN 0|1} go to the board's
     * {@code gpio}; {@code i2c ...}, {@code spi ...} and {@code pwm ...} to the board's commands of
     * those names, as the shell takes them (the board checks their words). Empty for anything
     * else: this host cannot do it.
     */
    static Optional<HostRequest> boardRequest(String action) {
        String[] w = action.trim().split("\\s+");
        if (w.length == 2 && (w[0].equals("press") || w[0].equals("release"))) return Optional.of(new HostRequest(io.pirt.wire.message.Command.GPIO, w[0] + " " + w[1]));
        if (w.length == 3 && w[0].equals("set") && (w[2].equals("0") || w[2].equals("1"))) {
            return Optional.of(new HostRequest(io.pirt.wire.message.Command.GPIO, "write " + w[1] + " " + w[2]));
        }
        if (w[0].equals("i2c") || w[0].equals("spi") || w[0].equals("pwm")) {
            return Optional.of(new HostRequest(io.pirt.wire.message.Command.of(w[0]).orElseThrow(),
                    String.join(" ", Arrays.copyOfRange(w, 1, w.length))));
        }
        return Optional.empty();
    }

    /** A request to the board: a command and its argument. */
    record HostRequest(io.pirt.wire.message.Command command, String argument) {
    }

    /** A test asked this tool to act on the board: what the rig can do goes to the board's gpio, i2c, spi and pwm commands. */
    private static void act(BoardSession session, String id, String action, PrintWriter err) {
        String status;
        String message;
        Optional<HostRequest> request = boardRequest(action);
        if (request.isEmpty()) {
            status = "unsupported";
            message = "this host can press BUTTON, release BUTTON, set PIN 0|1, i2c temperature BUS ADDRESS CELSIUS, "
                    + "spi voltage DEVICE CHANNEL VOLTS and pwm [CHANNEL], not '" + action + "'";
        } else {
            try {
                var command = request.get().command();
                String argument = request.get().argument();
                message = AnswerText.of(Messages.answer(session.client().request(command.wireName(), argument), command.answerType(argument)));
                status = "ok";
            } catch (Refusal.RefusedException e) {
                // What this board cannot do (press a button or set a sensor on a board that is not simulated) is a skip on the board, not an error.
                status = e.refusal().code().equals(Refusal.NOT_SUPPORTED) ? "unsupported" : "failed";
                message = "the board: " + e.refusal().message();
            } catch (IOException e) {
                status = "failed";
                message = session.port() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                java.lang.Thread.currentThread().interrupt();
                return;
            }
        }
        try {
            session.ask(io.pirt.wire.message.Command.TEST_HOST_REPLY, id + " " + status + " " + message.replace('\n', ' '), Done.class);
        } catch (ToolException e) {
            err.println("pirt: cannot answer the board's request to '" + action + "': " + e.getMessage());
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
        }
    }

    private List<String> runnerArguments(ProjectTests tests) throws ToolException {
        List<String> a = new ArrayList<>();
        // the tests jar's name on the board; a directory of classes travels as tests.jar
        a.add("--tests");
        a.add(Files.isDirectory(tests.tests()) ? TestBundle.TESTS_JAR : tests.tests().getFileName().toString());
        includeTags.forEach(t -> a.addAll(List.of("--include-tag", t)));
        excludeTags.forEach(t -> a.addAll(List.of("--exclude-tag", t)));
        select.forEach(s -> a.addAll(List.of("--select", s)));
        for (String s : a) {
            if (s.isEmpty() || s.chars().anyMatch(Character::isWhitespace)) {
                throw new ToolException(ToolException.USAGE, "'" + s + "' is empty or has white space; tags, classes and methods have none");
            }
        }
        return a;
    }

    /** {@code 90s}, {@code 10m}, {@code 1h}, {@code 500ms}, a plain number of milliseconds, or an ISO-8601 duration. */
    static long parseDuration(String text) throws ToolException {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            long ms;
            if (t.matches("\\d+")) ms = Long.parseLong(t);
            else if (t.matches("\\d+ms")) ms = Long.parseLong(t.substring(0, t.length() - 2));
            else if (t.matches("\\d+s")) ms = TimeUnit.SECONDS.toMillis(Long.parseLong(t.substring(0, t.length() - 1)));
            else if (t.matches("\\d+m")) ms = TimeUnit.MINUTES.toMillis(Long.parseLong(t.substring(0, t.length() - 1)));
            else if (t.matches("\\d+h")) ms = TimeUnit.HOURS.toMillis(Long.parseLong(t.substring(0, t.length() - 1)));
            else ms = Duration.parse(text.trim().toUpperCase(Locale.ROOT)).toMillis();
            if (ms <= 0 || ms > TimeUnit.DAYS.toMillis(1)) throw new NumberFormatException("out of range");
            return ms;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new ToolException(ToolException.USAGE, "--timeout takes a duration such as 90s, 10m or 1h (at most a day), not '"
                    + text + "'");
        }
    }

    private static long size(Path file) throws ToolException {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw ToolException.failure("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path dir, PrintWriter err) {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            err.println("pirt: could not remove the temporary directory " + dir + ": " + e.getMessage());
        }
    }
}
