package io.pirt.tools.test;

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
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The results of one on-board test run, built from the board's test events, and written as
 * Surefire-compatible XML reports ({@code TEST-<class>.xml}, one per test class), which CI
 * servers and IDEs read. A test that started but never finished (the run timed out or the
 * test process died) is reported as an error saying so. Not thread-safe: fed from one thread.
 */
final class TestReport {
    enum Status { PASSED, FAILED, ERROR, SKIPPED }

    /** One test's outcome. */
    record Result(String className, String name, Status status, long durationMs, String message, String exception,
                  String stackTrace, String stdout, String stderr) {
    }

    private final String board;
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    /** Finished tests by class, in the order their classes first appeared. */
    private final Map<String, List<Result>> byClass = new LinkedHashMap<>();
    /** Tests started and not finished: id → (class, name). */
    private final Map<String, String[]> running = new LinkedHashMap<>();

    TestReport(String board) {
        this.board = board;
    }

    void started(TestEvent e) {
        running.put(e.id(), new String[] {e.className(), e.name()});
    }

    /** A {@code test-finished} event; returns the result it recorded. */
    Result finished(TestEvent e) {
        if (e.id() != null) running.remove(e.id());
        String className = e.className() == null ? "" : e.className();
        String name = Boolean.TRUE.equals(e.container()) ? "(" + e.displayName() + " setup)" : e.name();
        Status status = switch (e.status() == null ? "" : e.status()) {
            case "passed" -> Status.PASSED;
            case "failed" -> Status.FAILED;
            case "skipped" -> Status.SKIPPED;
            default -> Status.ERROR;
        };
        Result r = new Result(className.isEmpty() ? "(unknown class)" : className, name, status,
                e.durationMs() == null ? 0 : e.durationMs(), e.message(), e.exception(), e.stackTrace(), e.stdout(), e.stderr());
        byClass.computeIfAbsent(r.className(), k -> new ArrayList<>()).add(r);
        return r;
    }

    /** The run ended early: every test still running is an error with {@code reason}. Returns them. */
    List<Result> aborted(String reason) {
        List<Result> cut = new ArrayList<>();
        for (String[] t : running.values()) {
            Result r = new Result(t[0], t[1], Status.ERROR, 0, "did not finish: " + reason, "io.pirt.TestRunAborted",
                    "the test run was ended on the board: " + reason, null, null);
            byClass.computeIfAbsent(r.className(), k -> new ArrayList<>()).add(r);
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

    /** Writes one {@code TEST-<class>.xml} per class into {@code dir}; returns the files. */
    List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, List<Result>> c : byClass.entrySet()) {
            Path file = dir.resolve("TEST-" + c.getKey() + ".xml");
            Path temp = dir.resolve("TEST-" + c.getKey() + ".xml.tmp");
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

    private void writeSuite(OutputStream out, String className, List<Result> results) throws XMLStreamException {
        XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(out, "UTF-8");
        long ms = results.stream().mapToLong(Result::durationMs).sum();
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
