package io.pirt.tools.test;

import io.pirt.wire.ConsoleSource;
import io.pirt.wire.message.TestEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The results of one on-board test run, built from the board's test events and console
 * lines, and written as Surefire-compatible XML reports ({@code TEST-<class>.xml}, one per
 * test class), which CI servers and IDEs read.
 *
 * <p>A test's {@code <system-out>} is what happened on the board while it ran, one line each,
 * marked by source: what the test printed ({@code test-output} events, marked {@code [app]}
 * and {@code [app!]} here; exact, as they travel with the test's own events) and the console
 * lines of the runtime and the shell ({@code [pirt]} ...) that arrived between its start and
 * its end (attributed by arrival, so a line printed right at a test's edge may land in its
 * neighbour). The application's console lines are left out: they are the same output again.
 * A test that started but never finished (the run timed out or the test process died) is
 * an error saying so, with what it printed and the time from its start to the abort.
 * A suite's time is its class's: from its first test's start to its last test's end.
 * Not thread-safe: fed from one thread.
 */
final class TestReport {
    enum Status { PASSED, FAILED, ERROR, SKIPPED }

    /** One test's outcome. */
    record Result(String className, String name, Status status, long durationMs, String message, String exception,
                  String stackTrace, String stdout, String stderr) {
    }

    /** At most this much of what happened on the board is kept per test; the rest is counted. */
    static final int MAX_OUTPUT_CHARS = 256 * 1024;

    private final String board;
    private final LongSupplier nanoClock;
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    /** Finished tests by class, in the order their classes first appeared. */
    private final Map<String, List<Result>> byClass = new LinkedHashMap<>();
    /** Per class whose tests started: when its first test started and its last test ended, by {@link #nanoClock}. */
    private final Map<String, long[]> classSpan = new LinkedHashMap<>();
    /** Tests started and not finished, by id. */
    private final Map<String, Running> running = new LinkedHashMap<>();

    /** A test between its start and its end: what it is, since when, and what happened meanwhile. */
    private static final class Running {
        final String className;
        final String name;
        final long startedNanos;
        final StringBuilder output = new StringBuilder();
        long cutChars;

        Running(String className, String name, long startedNanos) {
            this.className = className;
            this.name = name;
            this.startedNanos = startedNanos;
        }

        void add(String line) {
            if (output.length() + line.length() + 1 > MAX_OUTPUT_CHARS) {
                cutChars += line.length() + 1;
                return;
            }
            output.append(line).append('\n');
        }

        String output() {
            if (output.isEmpty() && cutChars == 0) return null;
            return cutChars == 0 ? output.toString() : output + "[... " + cutChars + " more characters left out by pirt test]\n";
        }
    }

    TestReport(String board) {
        this(board, System::nanoTime);
    }

    /** @param nanoClock the time events arrive by ({@code System::nanoTime}; a test's own clock in tests) */
    TestReport(String board, LongSupplier nanoClock) {
        this.board = board;
        this.nanoClock = nanoClock;
    }

    void started(TestEvent e) {
        long now = nanoClock.getAsLong();
        String className = e.className() == null || e.className().isEmpty() ? "(unknown class)" : e.className();
        running.put(e.id(), new Running(className, e.name(), now));
        classSpan.computeIfAbsent(className, k -> new long[] {now, now});
    }

    /** A {@code test-output} event: lines the test printed, marked as the console marks them. */
    void output(TestEvent e) {
        Running r = running.get(e.id());
        if (r == null) return; // output of a test that already ended (another thread of it went on printing)
        if (e.stdout() != null) e.stdout().lines().forEach(l -> r.add("[app] " + l));
        if (e.stderr() != null) e.stderr().lines().forEach(l -> r.add("[app!] " + l));
    }

    /**
     * A console line the board printed (as the tool's console listener gets it, already marked
     * {@code [pirt]} ...): kept for each test running now. The application's own lines are
     * left out: they come as {@code test-output} events.
     */
    void console(ConsoleSource source, String line) {
        if (source == ConsoleSource.APP_STDOUT || source == ConsoleSource.APP_STDERR) return;
        for (Running r : running.values()) r.add(line);
    }

    /** A {@code test-finished} event; returns the result it recorded. */
    Result finished(TestEvent e) {
        Running was = e.id() == null ? null : running.remove(e.id());
        String className = e.className() == null ? "" : e.className();
        String name = Boolean.TRUE.equals(e.container()) ? "(" + e.displayName() + " setup)" : e.name();
        Status status = switch (e.status() == null ? "" : e.status()) {
            case "passed" -> Status.PASSED;
            case "failed" -> Status.FAILED;
            case "skipped" -> Status.SKIPPED;
            default -> Status.ERROR;
        };
        String out = was == null ? null : was.output();
        if (e.stdout() != null) out = (out == null ? "" : out) + e.stdout(); // a runner from before test-output
        Result r = new Result(className.isEmpty() ? "(unknown class)" : className, name, status,
                e.durationMs() == null ? 0 : e.durationMs(), e.message(), e.exception(), e.stackTrace(), out, e.stderr());
        add(r, nanoClock.getAsLong());
        return r;
    }

    private void add(Result r, long endedNanos) {
        byClass.computeIfAbsent(r.className(), k -> new ArrayList<>()).add(r);
        long[] span = classSpan.get(r.className());
        if (span != null) span[1] = endedNanos;
    }

    /** The run ended early: every test still running is an error with {@code reason}. Returns them. */
    List<Result> aborted(String reason) {
        long now = nanoClock.getAsLong();
        List<Result> cut = new ArrayList<>();
        for (Running t : running.values()) {
            Result r = new Result(t.className, t.name, Status.ERROR, TimeUnit.NANOSECONDS.toMillis(now - t.startedNanos),
                    "did not finish: " + reason, "io.pirt.TestRunAborted", "the test run was ended on the board: " + reason,
                    t.output(), null);
            add(r, now);
            cut.add(r);
        }
        running.clear();
        return cut;
    }

    int count(Status s) {
        return (int) byClass.values().stream().flatMap(List::stream).filter(r -> r.status() == s).count();
    }

    int total() {
        return byClass.values().stream().mapToInt(List::size).sum();
    }

    /**
     * Writes one {@code TEST-<class>.xml} per class into {@code dir}; returns the files. The
     * class names come from the board, so each becomes a file name that stays in {@code dir}
     * (see {@link #fileStem}); the XML inside keeps the name as it came.
     */
    List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        java.util.Set<String> stems = new java.util.HashSet<>();
        for (Map.Entry<String, List<Result>> c : byClass.entrySet()) {
            String stem = fileStem(c.getKey());
            for (int k = 2; !stems.add(stem.toLowerCase(java.util.Locale.ROOT)); k++) stem = fileStem(c.getKey()) + "-" + k;
            Path file = dir.resolve("TEST-" + stem + ".xml");
            Path temp = dir.resolve("TEST-" + stem + ".xml.tmp");
            try (OutputStream out = Files.newOutputStream(temp)) {
                writeSuite(out, c.getKey(), c.getValue());
            } catch (XMLStreamException e) {
                throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
            }
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            files.add(file);
        }
        return files;
    }

    /**
     * {@code className} as part of a file name: anything but letters, digits, {@code . _ $ -}
     * (a slash, a backslash, a control character, a space) becomes {@code _}, so the name
     * has no directory in it; "TEST-" before it keeps {@code ..} from being a directory; at
     * most 200 characters, within every filesystem's limit.
     */
    static String fileStem(String className) {
        StringBuilder b = new StringBuilder(Math.min(className.length(), 200));
        for (int i = 0; i < className.length() && b.length() < 200; i++) {
            char c = className.charAt(i);
            b.append(c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '$' || c == '-') ? c : '_');
        }
        return b.toString();
    }

    /**
     * The class's time: from its first test's start to its last test's end; the sum of its
     * tests' own times when none of them started (all skipped, or a class whose set-up failed).
     */
    long suiteMillis(String className) {
        long[] span = classSpan.get(className);
        if (span != null) return TimeUnit.NANOSECONDS.toMillis(span[1] - span[0]);
        return byClass.getOrDefault(className, List.of()).stream().mapToLong(Result::durationMs).sum();
    }

    private void writeSuite(OutputStream out, String className, List<Result> results) throws XMLStreamException {
        XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(out, "UTF-8");
        long ms = suiteMillis(className);
        x.writeStartDocument("UTF-8", "1.0");
        x.writeCharacters("\n");
        x.writeStartElement("testsuite");
        x.writeAttribute("name", className);
        x.writeAttribute("tests", Integer.toString(results.size()));
        x.writeAttribute("failures", Long.toString(results.stream().filter(r -> r.status() == Status.FAILED).count()));
        x.writeAttribute("errors", Long.toString(results.stream().filter(r -> r.status() == Status.ERROR).count()));
        x.writeAttribute("skipped", Long.toString(results.stream().filter(r -> r.status() == Status.SKIPPED).count()));
        x.writeAttribute("time", seconds(ms));
        x.writeAttribute("timestamp", started.toString());
        x.writeAttribute("hostname", board);
        x.writeCharacters("\n  ");
        x.writeStartElement("properties");
        x.writeEmptyElement("property");
        x.writeAttribute("name", "pirt.board");
        x.writeAttribute("value", board);
        x.writeEndElement();
        for (Result r : results) {
            x.writeCharacters("\n  ");
            x.writeStartElement("testcase");
            x.writeAttribute("name", r.name());
            x.writeAttribute("classname", r.className());
            x.writeAttribute("time", seconds(r.durationMs()));
            switch (r.status()) {
                case FAILED, ERROR -> {
                    x.writeCharacters("\n    ");
                    x.writeStartElement(r.status() == Status.FAILED ? "failure" : "error");
                    if (r.message() != null) x.writeAttribute("message", xmlSafe(r.message()));
                    if (r.exception() != null) x.writeAttribute("type", r.exception());
                    if (r.stackTrace() != null) x.writeCData(cdataSafe(r.stackTrace()));
                    x.writeEndElement();
                }
                case SKIPPED -> {
                    x.writeCharacters("\n    ");
                    x.writeEmptyElement("skipped");
                    if (r.message() != null) x.writeAttribute("message", xmlSafe(r.message()));
                }
                case PASSED -> { }
            }
            if (r.stdout() != null) {
                x.writeCharacters("\n    ");
                x.writeStartElement("system-out");
                x.writeCData(cdataSafe(r.stdout()));
                x.writeEndElement();
            }
            if (r.stderr() != null) {
                x.writeCharacters("\n    ");
                x.writeStartElement("system-err");
                x.writeCData(cdataSafe(r.stderr()));
                x.writeEndElement();
            }
            x.writeCharacters("\n  ");
            x.writeEndElement();
        }
        x.writeCharacters("\n");
        x.writeEndElement();
        x.writeCharacters("\n");
        x.writeEndDocument();
        x.close();
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.3f", ms / 1000.0);
    }

    /** CDATA cannot hold "]]>", and XML 1.0 cannot hold most control characters. */
    private static String cdataSafe(String s) {
        return xmlSafe(s).replace("]]>", "]]]]><![CDATA[>");
    }

    /** XML 1.0 cannot hold most control characters: they become '?'. */
    private static String xmlSafe(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 && c != '\n' && c != '\r' && c != '\t' ? '?' : c);
        }
        return b.toString();
    }
}
