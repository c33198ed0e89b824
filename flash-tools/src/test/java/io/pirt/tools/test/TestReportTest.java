package io.pirt.tools.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pirt.tools.ToolException;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.TestEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The Surefire XML written from test events: every outcome, output that XML cannot hold as is, and a run cut short. */
class TestReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The event as the board sends it, decoded as the tool decodes it. */
    private static TestReport.Result finish(TestReport report, ObjectNode event) throws Exception {
        return report.finished(Messages.decode(event.toString(), TestEvent.class));
    }

    private static void start(TestReport report, ObjectNode event) throws Exception {
        report.started(Messages.decode(event.toString(), TestEvent.class));
    }

    private static ObjectNode finished(String id, String cls, String name, String status) {
        return JSON.createObjectNode().put("event", "test-finished").put("id", id).put("class", cls).put("name", name)
                .put("displayName", name + "()").put("status", status).put("durationMs", 1234);
    }

    @Test
    void aClassNameFromTheBoardNeverWritesOutsideTheReportsDirectory() throws Exception {
        TestReport report = new TestReport("virtual");
        finish(report, finished("1", "../../etc/evil", "t", "passed"));
        finish(report, finished("2", "a/b\\c\nd\u0000e", "t", "passed"));
        finish(report, finished("3", "a_b_c_d_e", "t", "passed")); // the same file name as the one above once cleaned
        Path reports = Files.createDirectories(dir.resolve("reports"));

        List<Path> files = report.write(reports);
        assertEquals(3, files.size());
        for (Path f : files) {
            assertEquals(reports, f.getParent(), f.toString());
            assertTrue(f.getFileName().toString().matches("TEST-[A-Za-z0-9._$-]+\\.xml"), f.toString());
        }
        assertEquals(List.of(reports), Files.list(dir).toList(), "nothing written beside the reports directory");
        assertTrue(files.contains(reports.resolve("TEST-.._.._etc_evil.xml")), files.toString());
        assertEquals("../../etc/evil", parse(reports.resolve("TEST-.._.._etc_evil.xml")).getAttribute("name"),
                "the report keeps the name as it came");
    }

    @Test
    void everyOutcomeBecomesTheSurefireElementCIServersRead() throws Exception {
        TestReport report = new TestReport("virtual");
        finish(report, finished("1", "a.B", "ok", "passed").put("stdout", "said ]]> and \u0001 bell\n"));
        finish(report, finished("2", "a.B", "wrong", "failed").put("exception", "org.opentest4j.AssertionFailedError")
                .put("message", "expected: <5> but was: <4>").put("stackTrace", "AssertionFailedError\n\tat a.B.wrong(B.java:9)"));
        finish(report, finished("3", "a.B", "broken", "error").put("exception", "java.lang.IllegalStateException")
                .put("message", "no").put("stackTrace", "ISE"));
        finish(report, finished("4", "a.B", "later", "skipped").put("message", "needs a rig"));
        start(report, JSON.createObjectNode().put("event", "test-started").put("id", "5").put("class", "a.C").put("name", "hangs"));
        List<TestReport.Result> cut = report.aborted("timed out after 8000 ms");
        assertEquals(1, cut.size());
        assertEquals(5, report.total());
        assertEquals(2, report.count(TestReport.Status.ERROR));

        List<Path> files = report.write(dir);
        assertEquals(List.of(dir.resolve("TEST-a.B.xml"), dir.resolve("TEST-a.C.xml")), files);
        assertEquals(List.of(), Files.list(dir).filter(p -> p.toString().endsWith(".tmp")).toList(), "no temporary files left");
        Element b = parse(files.get(0));
        assertEquals("4", b.getAttribute("tests"));
        assertEquals("1", b.getAttribute("failures"));
        assertEquals("1", b.getAttribute("errors"));
        assertEquals("1", b.getAttribute("skipped"));
        assertEquals("4.936", b.getAttribute("time"), "no test of a.B started here: the sum of their times");
        Element ok = testcase(b, "ok");
        assertEquals("1.234", ok.getAttribute("time"));
        assertEquals("said ]]> and ? bell\n", ok.getElementsByTagName("system-out").item(0).getTextContent());
        Element failure = (Element) testcase(b, "wrong").getElementsByTagName("failure").item(0);
        assertEquals("expected: <5> but was: <4>", failure.getAttribute("message"));
        assertEquals("org.opentest4j.AssertionFailedError", failure.getAttribute("type"));
        assertTrue(failure.getTextContent().contains("B.java:9"));
        assertEquals(1, testcase(b, "broken").getElementsByTagName("error").getLength());
        assertEquals("needs a rig", ((Element) testcase(b, "later").getElementsByTagName("skipped").item(0)).getAttribute("message"));
        Element c = parse(files.get(1));
        Element hang = (Element) testcase(c, "hangs").getElementsByTagName("error").item(0);
        assertEquals("did not finish: timed out after 8000 ms", hang.getAttribute("message"));
    }

    /** A clock the test moves by hand, in milliseconds. */
    private static final class Clock implements java.util.function.LongSupplier {
        long ms;

        @Override
        public long getAsLong() {
            return ms * 1_000_000;
        }
    }

    private static TestEvent event(ObjectNode event) throws Exception {
        return Messages.decode(event.toString(), TestEvent.class);
    }

    private static ObjectNode started(String id, String cls, String name) {
        return JSON.createObjectNode().put("event", "test-started").put("id", id).put("class", cls).put("name", name);
    }

    @Test
    void aTestEndedByTheTimeoutKeepsWhatItPrintedAndHowLongItRan() throws Exception {
        Clock clock = new Clock();
        TestReport report = new TestReport("virtual", clock);
        clock.ms = 1_000;
        start(report, started("h", "a.Hang", "waitsForever"));
        report.output(event(JSON.createObjectNode().put("event", "test-output").put("id", "h").put("stdout", "waiting for Godot\n")));
        report.output(event(JSON.createObjectNode().put("event", "test-output").put("id", "h").put("stderr", "still waiting")));
        report.console(io.pirt.wire.ConsoleSource.RUNTIME_LOG, "[pirt] test run 1 timed out after 8000 ms; stopping it");
        clock.ms = 9_250;
        List<TestReport.Result> cut = report.aborted("timed out after 8000 ms");
        assertEquals(8_250, cut.get(0).durationMs(), "from its start to the abort, not 0");

        Element suite = parse(report.write(dir).get(0));
        assertEquals("8.250", suite.getAttribute("time"), "the suite ran as long as its hanging test");
        Element hang = testcase(suite, "waitsForever");
        assertEquals("8.250", hang.getAttribute("time"));
        assertEquals("[app] waiting for Godot\n[app!] still waiting\n[pirt] test run 1 timed out after 8000 ms; stopping it\n",
                hang.getElementsByTagName("system-out").item(0).getTextContent());
    }

    @Test
    void eachTestsSystemOutHoldsTheConsoleLinesPrintedWhileItRanMarkedBySource() throws Exception {
        Clock clock = new Clock();
        TestReport report = new TestReport("virtual", clock);
        report.console(io.pirt.wire.ConsoleSource.RUNTIME_LOG, "[pirt] test run 1: tests 1 0.0.0, at most 600000 ms");
        clock.ms = 100;
        start(report, started("1", "a.B", "first"));
        report.output(event(JSON.createObjectNode().put("event", "test-output").put("id", "1").put("stdout", "one\ntwo\n")));
        report.console(io.pirt.wire.ConsoleSource.APP_STDOUT, "[app] one"); // the same output again, on the console
        report.console(io.pirt.wire.ConsoleSource.RUNTIME_LOG, "[pirt] gpio: D23 is an input");
        report.console(io.pirt.wire.ConsoleSource.SHELL, "pirt> ");
        clock.ms = 400;
        TestReport.Result first = finish(report, finished("1", "a.B", "first", "passed"));
        report.console(io.pirt.wire.ConsoleSource.RUNTIME_LOG, "[pirt] test a.B.first passed (1234 ms)"); // between tests: no one's
        clock.ms = 500;
        start(report, started("2", "a.B", "second"));
        clock.ms = 2_600;
        TestReport.Result second = finish(report, finished("2", "a.B", "second", "passed"));
        assertEquals("[app] one\n[app] two\n[pirt] gpio: D23 is an input\npirt> \n", first.stdout());
        assertEquals(null, second.stdout(), "nothing happened while it ran: no <system-out>");

        Element suite = parse(report.write(dir).get(0));
        assertEquals("2.500", suite.getAttribute("time"), "the class ran from 0.1 s to 2.6 s; its tests' own times sum to 2.468");
        assertEquals(0, testcase(suite, "second").getElementsByTagName("system-out").getLength());
    }

    @Test
    void aTestThatSaysTooMuchIsCutSayingHowMuchWasLeftOut() throws Exception {
        TestReport report = new TestReport("virtual", new Clock());
        start(report, started("1", "a.B", "loud"));
        String line = "x".repeat(999);
        for (int i = 0; i < 300; i++) report.console(io.pirt.wire.ConsoleSource.RUNTIME_LOG, line);
        String out = finish(report, finished("1", "a.B", "loud", "passed")).stdout();
        assertTrue(out.length() <= TestReport.MAX_OUTPUT_CHARS + 100, "bounded: " + out.length());
        assertTrue(out.endsWith("[... " + (300 - TestReport.MAX_OUTPUT_CHARS / 1000) * 1000 + " more characters left out by pirt test]\n"),
                out.substring(out.length() - 100));
    }

    @Test
    void aClassWhoseSetUpFailedIsReportedAsAnErrorOfTheClass() throws Exception {
        TestReport report = new TestReport("virtual");
        finish(report, finished("1", "a.B", "B", "error").put("container", true).put("exception", "java.lang.RuntimeException"));
        Element b = parse(report.write(dir).get(0));
        assertEquals("1", b.getAttribute("errors"));
        testcase(b, "(B() setup)");
    }

    @Test
    void durationsReadAsPeopleWriteThem() throws Exception {
        assertEquals(90_000, TestCommand.parseDuration("90s"));
        assertEquals(600_000, TestCommand.parseDuration("10m"));
        assertEquals(3_600_000, TestCommand.parseDuration("1h"));
        assertEquals(250, TestCommand.parseDuration("250ms"));
        assertEquals(1500, TestCommand.parseDuration("1500"));
        assertEquals(120_000, TestCommand.parseDuration("PT2M"));
        for (String bad : List.of("0", "-5s", "ten minutes", "2d", "")) {
            ToolException e = assertThrows(ToolException.class, () -> TestCommand.parseDuration(bad), bad);
            assertEquals(ToolException.USAGE, e.exitCode());
            assertTrue(e.getMessage().contains("--timeout"), e.getMessage());
        }
    }

    private static Element parse(Path file) throws Exception {
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        return d.getDocumentElement();
    }

    private static Element testcase(Element suite, String name) {
        var cases = suite.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            if (((Element) cases.item(i)).getAttribute("name").equals(name)) return (Element) cases.item(i);
        }
        throw new AssertionError("no testcase " + name);
    }
}
