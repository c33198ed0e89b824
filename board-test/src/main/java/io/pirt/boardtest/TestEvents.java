package io.pirt.boardtest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Turns the JUnit Platform's execution callbacks into the test events of docs/testing.md, one
 * JSON object each, handed to a sink (the supervision link). What a test prints goes out as it
 * prints it ({@code test-output}, see {@link #captureStandardStreams()}), at most
 * {@link #MAX_TEXT_CHARS} per test; stack traces are cut to as much, so an event always fits
 * the protocol's 64 KiB.
 *
 * <p>Callbacks come from the launcher's threads (JUnit may run tests in parallel): the
 * per-test state lives in concurrent maps keyed by the test's unique id.
 */
final class TestEvents implements TestExecutionListener {
    static final int MAX_TEXT_CHARS = 16 * 1024;
    private static final JsonFactory JSON = new JsonFactory();

    private final Predicate<String> sink;
    /** Where an event goes when no runtime takes it: the process's own standard output, never a {@link TestOutput}. */
    private final PrintStream unsupervised;
    private final Map<String, Long> startedNanos = new ConcurrentHashMap<>();
    /** Tests started and not finished: the output printed now is theirs. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** Characters of output sent so far per running test, against {@link #MAX_TEXT_CHARS}. */
    private final Map<String, Integer> outputChars = new ConcurrentHashMap<>();
    /**
     * True on a thread while it hands an event to the sink: what it prints meanwhile (the
     * supervision link says on stderr that it was lost, then ends the process) must not become
     * another event, or it would recurse instead of ending.
     */
    private final ThreadLocal<Boolean> emitting = ThreadLocal.withInitial(() -> false);
    /** The process's standard streams while {@link #captureStandardStreams()} is in force, else null. */
    private volatile TestOutput out, err;
    private final long runStartNanos = System.nanoTime();
    // Counts: written by the launcher's callbacks, read once at the end.
    private int tests, failures, errors, skipped;

    TestEvents(Predicate<String> sink) {
        this.sink = sink;
        this.unsupervised = System.out;
    }

    /**
     * From now until the returned handle is closed, what the process prints on its standard
     * streams still goes there and is also sent, line by line, as {@code test-output} events of
     * the tests running at the time (JUnit's own capture must be off: it would replace the
     * streams). Output printed while no test runs (discovery, a class's set-up) is not sent.
     */
    Capture captureStandardStreams() {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        TestOutput o = new TestOutput(oldOut, this::output);
        TestOutput e = new TestOutput(oldErr, this::output);
        out = o;
        err = e;
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        return () -> {
            System.out.flush();
            System.err.flush();
            System.setOut(oldOut);
            System.setErr(oldErr);
            out = null;
            err = null;
        };
    }

    /** The standard streams taken over by {@link #captureStandardStreams()}; closing gives them back. */
    interface Capture extends AutoCloseable {
        @Override
        void close();
    }

    /** One line (or a partial line) printed on {@code stream}: a {@code test-output} event for each running test. */
    private void output(TestOutput stream, String text) {
        if (emitting.get()) return; // printed by the sink itself: on the console only
        String field = stream == err ? "stderr" : "stdout";
        for (String id : running) {
            int before = outputChars.getOrDefault(id, 0);
            if (before > MAX_TEXT_CHARS) continue; // cut, and said so once
            int after = before + text.length();
            outputChars.put(id, after);
            String sent = after <= MAX_TEXT_CHARS ? text
                    : "[... more output of this test cut on the board after " + MAX_TEXT_CHARS + " characters]\n";
            emit(g -> {
                g.writeStringField("event", "test-output");
                g.writeStringField("id", id);
                g.writeStringField(field, sent);
            });
        }
    }

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        long count = plan.countTestIdentifiers(TestIdentifier::isTest);
        emit(g -> {
            g.writeStringField("event", "run-started");
            g.writeNumberField("tests", count);
        });
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        startedNanos.put(id.getUniqueId(), System.nanoTime());
        if (!id.isTest()) return;
        emit(g -> {
            g.writeStringField("event", "test-started");
            names(g, id);
        });
        running.add(id.getUniqueId()); // after its start event, so its output follows that
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (!id.isTest()) return; // a skipped class: JUnit does not report its tests; say so for the class
        synchronized (this) {
            tests++;
            skipped++;
        }
        emit(g -> {
            g.writeStringField("event", "test-finished");
            names(g, id);
            g.writeStringField("status", "skipped");
            g.writeNumberField("durationMs", 0);
            g.writeStringField("message", reason);
        });
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        Long started = startedNanos.remove(id.getUniqueId());
        long durationMs = started == null ? 0 : (System.nanoTime() - started) / 1_000_000;
        if (id.isTest()) {
            TestOutput o = out, e = err;
            if (o != null) o.flushLine();
            if (e != null) e.flushLine();
            running.remove(id.getUniqueId());
            outputChars.remove(id.getUniqueId());
        }
        boolean failedContainer = !id.isTest() && result.getStatus() == TestExecutionResult.Status.FAILED;
        if (!id.isTest() && !failedContainer) return; // containers report only when they fail (e.g. @BeforeAll)
        Optional<Throwable> thrown = result.getThrowable();
        String status = switch (result.getStatus()) {
            case SUCCESSFUL -> "passed";
            case ABORTED -> "skipped";
            case FAILED -> thrown.filter(t -> t instanceof AssertionError).isPresent() ? "failed" : "error";
        };
        synchronized (this) {
            tests++;
            switch (status) {
                case "failed" -> failures++;
                case "error" -> errors++;
                case "skipped" -> skipped++;
                default -> { }
            }
        }
        emit(g -> {
            g.writeStringField("event", "test-finished");
            names(g, id);
            if (failedContainer) g.writeBooleanField("container", true);
            g.writeStringField("status", status);
            g.writeNumberField("durationMs", durationMs);
            if (thrown.isPresent()) {
                Throwable t = thrown.get();
                g.writeStringField("exception", t.getClass().getName());
                g.writeStringField("message", cut(String.valueOf(t.getMessage())));
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                g.writeStringField("stackTrace", cut(trace.toString()));
            }
        });
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        long durationMs = (System.nanoTime() - runStartNanos) / 1_000_000;
        int t, f, e, s;
        synchronized (this) {
            t = tests;
            f = failures;
            e = errors;
            s = skipped;
        }
        emit(g -> {
            g.writeStringField("event", "run-finished");
            g.writeNumberField("tests", t);
            g.writeNumberField("failures", f);
            g.writeNumberField("errors", e);
            g.writeNumberField("skipped", s);
            g.writeNumberField("durationMs", durationMs);
        });
    }

    synchronized String summary() {
        return "tests " + tests + ", failures " + failures + ", errors " + errors + ", skipped " + skipped;
    }

    /** The class and the test's name as Surefire reports name them: the method name, or the display name. */
    private static void names(JsonGenerator g, TestIdentifier id) throws IOException {
        g.writeStringField("id", id.getUniqueId());
        String className = "";
        String name = id.getDisplayName();
        var source = id.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource m) {
            className = m.getClassName();
            name = m.getMethodName();
        } else if (source.isPresent() && source.get() instanceof ClassSource c) {
            className = c.getClassName();
        }
        g.writeStringField("class", className);
        g.writeStringField("name", name);
        g.writeStringField("displayName", id.getDisplayName());
    }

    private static String cut(String text) {
        return text.length() <= MAX_TEXT_CHARS ? text
                : text.substring(0, MAX_TEXT_CHARS) + "\n[... " + (text.length() - MAX_TEXT_CHARS) + " more characters cut on the board]";
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private void emit(Fields fields) {
        StringWriter json = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(json)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a test event", e); // a StringWriter does not fail
        }
        boolean taken;
        emitting.set(true);
        try {
            taken = sink.test(json.toString());
        } finally {
            emitting.set(false);
        }
        if (!taken) unsupervised.println("pirt test runner (not supervised): " + json);
    }
}
