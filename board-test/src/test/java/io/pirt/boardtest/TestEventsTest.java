package io.pirt.boardtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.TestEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** The runner's events for every outcome, from a real JUnit Platform run of the fixtures below. */
class TestEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Run by the test below, not by Surefire (a nested class that is not @Nested). */
    static class Fixture {
        @Test
        void passes() {
            System.out.println("captured line");
            System.err.print("partial, no line end");
        }

        @Test
        void failsAnAssertion() {
            assertEquals(5, 4, "four is not five");
        }

        @Test
        void throwsSomethingElse() {
            throw new IllegalStateException("broken on purpose");
        }

        @Test
        @Disabled("not today")
        void isDisabled() {
        }
    }

    /** Every event sent so far, for a fixture that looks at what was sent while it still runs. */
    static final List<String> SENT = new java.util.concurrent.CopyOnWriteArrayList<>();

    static class LooksAtItsOwnOutput {
        @Test
        void printsThenChecksItWasSentAlready() {
            System.out.println("said before a hang would come");
            assertTrue(SENT.stream().anyMatch(l -> l.contains("test-output") && l.contains("said before a hang would come")),
                    "a line is sent when it is printed, not when the test ends: " + SENT);
        }

        @Test
        void printsALot() {
            String padding = "-".repeat(120);
            for (int i = 0; i < 150; i++) System.out.println("line " + i + " of a test that says too much " + padding);
        }
    }

    static class BrokenSetUp {
        @BeforeAll
        static void setUp() {
            throw new IllegalStateException("no rig");
        }

        @Test
        void neverRuns() {
        }
    }

    private static List<JsonNode> run(Class<?> fixture) throws Exception {
        List<String> lines = new ArrayList<>();
        SENT.clear();
        TestEvents events = new TestEvents(line -> {
            lines.add(line);
            SENT.add(line);
            return true;
        });
        try (TestEvents.Capture streams = events.captureStandardStreams()) {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(), events);
        }
        List<JsonNode> nodes = new ArrayList<>();
        for (String l : lines) {
            assertFalse(l.contains("\n"), "an event is one line: " + l);
            nodes.add(JSON.readTree(l));
            // The contract with the runtime and the tool: every event is wire's TestEvent, of a kind they know.
            TestEvent typed = Messages.decode(l, TestEvent.class);
            assertNotEquals(TestEvent.Kind.UNKNOWN, typed.kind(), l);
            assertEquals(JSON.readTree(l).path("class").asText(null), typed.className(), l);
        }
        return nodes;
    }

    @Test
    void eachOutcomeIsOneEventWithWhatSurefireNeeds() throws Exception {
        List<JsonNode> events = run(Fixture.class);
        assertEquals("run-started", events.get(0).path("event").asText());
        assertEquals(4, events.get(0).path("tests").asInt());
        JsonNode end = events.get(events.size() - 1);
        assertEquals("run-finished", end.path("event").asText());
        assertEquals(List.of(4, 1, 1, 1), List.of(end.path("tests").asInt(), end.path("failures").asInt(), end.path("errors").asInt(),
                end.path("skipped").asInt()));
        Map<String, JsonNode> finished = events.stream().filter(e -> e.path("event").asText().equals("test-finished"))
                .collect(Collectors.toMap(e -> e.path("name").asText(), e -> e));
        assertEquals(Fixture.class.getName(), finished.get("passes").path("class").asText());
        assertEquals("passed", finished.get("passes").path("status").asText());
        String passesId = finished.get("passes").path("id").asText();
        List<String> kinds = events.stream().filter(e -> e.path("id").asText().equals(passesId)).map(e -> e.path("event").asText()).toList();
        assertEquals(List.of("test-started", "test-output", "test-output", "test-finished"), kinds,
                "a test's output travels between its start and its end, line by line, as it is printed");
        List<JsonNode> output = events.stream().filter(e -> e.path("event").asText().equals("test-output")).toList();
        assertEquals("captured line\n", output.get(0).path("stdout").asText());
        assertEquals("partial, no line end", output.get(1).path("stderr").asText(), "a partial line is sent when its test ends");
        assertTrue(finished.get("passes").path("stdout").isMissingNode(), "the output is not sent twice");
        assertEquals("failed", finished.get("failsAnAssertion").path("status").asText());
        assertTrue(finished.get("failsAnAssertion").path("message").asText().contains("four is not five"));
        assertTrue(finished.get("failsAnAssertion").path("stackTrace").asText().contains("failsAnAssertion"));
        assertEquals("error", finished.get("throwsSomethingElse").path("status").asText());
        assertEquals("java.lang.IllegalStateException", finished.get("throwsSomethingElse").path("exception").asText());
        assertEquals("skipped", finished.get("isDisabled").path("status").asText());
        assertEquals("not today", finished.get("isDisabled").path("message").asText());
        assertEquals(3, events.stream().filter(e -> e.path("event").asText().equals("test-started")).count(),
                "a disabled test never starts");
    }

    @Test
    void outputGoesOutAsItIsPrintedAndIsCutWhenATestSaysTooMuch() throws Exception {
        List<JsonNode> events = run(LooksAtItsOwnOutput.class);
        Map<String, String> status = events.stream().filter(e -> e.path("event").asText().equals("test-finished"))
                .collect(Collectors.toMap(e -> e.path("name").asText(), e -> e.path("status").asText() + " " + e.path("message").asText()));
        assertEquals("passed ", status.get("printsThenChecksItWasSentAlready"));
        String lotId = events.stream().filter(e -> e.path("name").asText().equals("printsALot")).findFirst().orElseThrow().path("id").asText();
        List<String> lot = events.stream().filter(e -> e.path("event").asText().equals("test-output") && e.path("id").asText().equals(lotId))
                .map(e -> e.path("stdout").asText()).toList();
        int chars = lot.stream().mapToInt(String::length).sum();
        assertTrue(chars <= TestEvents.MAX_TEXT_CHARS + 200, "at most the limit and one note: " + chars);
        assertTrue(lot.get(lot.size() - 1).contains("cut on the board"), lot.get(lot.size() - 1));
        assertEquals("line 0 of a test that says too much " + "-".repeat(120) + "\n", lot.get(0));
    }

    @Test
    void whatTheSinkPrintsIsNotSentAgainAsOutput() throws Exception {
        // The supervision link, when it is lost, says so on stderr and ends the process: that line must not recurse into events.
        List<String> lines = new ArrayList<>();
        TestEvents events = new TestEvents(line -> {
            lines.add(line);
            if (line.contains("test-output")) System.err.println("the sink complains while sending " + line.length() + " characters");
            return true;
        });
        try (TestEvents.Capture streams = events.captureStandardStreams()) {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Fixture.class)).build(), events);
        }
        long outputs = lines.stream().filter(l -> l.contains("\"test-output\"")).count();
        assertEquals(2, outputs, "the fixture's two pieces of output, not the sink's complaints: " + lines);
    }

    @Test
    void aClassWhoseSetUpFailsIsReportedOnce() throws Exception {
        List<JsonNode> events = run(BrokenSetUp.class);
        List<JsonNode> finished = events.stream().filter(e -> e.path("event").asText().equals("test-finished")).toList();
        assertEquals(1, finished.size(), finished.toString());
        assertTrue(finished.get(0).path("container").asBoolean());
        assertEquals("error", finished.get(0).path("status").asText());
        assertTrue(finished.get(0).path("message").asText().contains("no rig"));
    }
}
