package io.pirt.wire.message;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One event of an on-board test run (docs/testing.md, "Events"), as the board sends it in an
 * EVENT frame (docs/protocol.md §5.5). The on-board runner produces the test events, the
 * runtime numbers them ({@code n}), adds the run's number and its own events (host actions,
 * an aborted run, the application restored), and the tool turns them into its report. Fields
 * a kind does not use are null and left out of the JSON.
 *
 * @param kind        what happened ({@code "event"} in the JSON)
 * @param n           the event's number within its run: 0, 1, ... (set by the runtime)
 * @param run         the run's number (set by the runtime)
 * @param tests       RUN_STARTED: tests planned; RUN_FINISHED: tests run
 * @param id          TEST_STARTED, TEST_OUTPUT, TEST_FINISHED: the JUnit unique id; HOST_ACTION: the action's id
 * @param className   the test's class ({@code "class"} in the JSON)
 * @param name        the test's method name
 * @param displayName the test's display name
 * @param container   TEST_FINISHED: true when a container (a class's setup) failed
 * @param status      TEST_FINISHED: passed, failed, error or skipped
 * @param durationMs  TEST_FINISHED, RUN_FINISHED: how long it took
 * @param exception   TEST_FINISHED: the exception's class
 * @param message     TEST_FINISHED: the exception's message, or why skipped
 * @param stackTrace  TEST_FINISHED: the stack trace, cut
 * @param stdout      TEST_OUTPUT: lines the test printed on standard output since the last such event;
 *                    TEST_FINISHED (runners before TEST_OUTPUT): all it printed there, cut
 * @param stderr      the same for standard error
 * @param failures    RUN_FINISHED: tests that failed
 * @param errors      RUN_FINISHED: tests that ended with an error
 * @param skipped     RUN_FINISHED: tests skipped
 * @param reason      RUN_ABORTED: why the run ended early
 * @param action      HOST_ACTION: what the test asks the host to do ({@code press BTN0})
 * @param app         RESTORED: the application started again after the run, null if none
 * @param problem     RESTORED: why the application could not be started again
 */
public record TestEvent(@JsonProperty("event") Kind kind, Long n, Long run, Long tests, String id,
                        @JsonProperty("class") String className, String name, String displayName, Boolean container,
                        String status, Long durationMs, String exception, String message, String stackTrace, String stdout,
                        String stderr, Integer failures, Integer errors, Integer skipped, String reason, String action,
                        String app, String problem) {
    /** The kinds of events, with their names on the wire. */
    public enum Kind {
        @JsonProperty("run-started") RUN_STARTED,
        @JsonProperty("test-started") TEST_STARTED,
        /** Output of a running test as it prints it, so a test that hangs keeps what it said before. */
        @JsonProperty("test-output") TEST_OUTPUT,
        @JsonProperty("test-finished") TEST_FINISHED,
        @JsonProperty("run-finished") RUN_FINISHED,
        @JsonProperty("run-aborted") RUN_ABORTED,
        @JsonProperty("host-action") HOST_ACTION,
        @JsonProperty("restored") RESTORED,
        /** A kind a newer runtime sends that this code does not know: numbered like any other, otherwise ignored. */
        @JsonEnumDefaultValue UNKNOWN
    }

    public TestEvent {
        if (kind == null) throw new IllegalArgumentException("a test event needs its kind ('event')");
    }

    /** An event of the runtime's own, for run {@code run}. */
    public static TestEvent hostAction(long run, String id, String action) {
        return new TestEvent(Kind.HOST_ACTION, null, run, null, id, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, action, null, null);
    }

    public static TestEvent aborted(long run, String reason) {
        return new TestEvent(Kind.RUN_ABORTED, null, run, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, reason, null, null, null);
    }

    /** @param app the application started again, null if none; @param problem why it could not be, or null */
    public static TestEvent restored(long run, String app, String problem) {
        return new TestEvent(Kind.RESTORED, null, run, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, app, problem);
    }

    /**
     * This event with every text field cut to at most {@code maxChars} characters (on a
     * character boundary), a cut field ending with how much was cut: how the runtime fits an
     * event whose JSON exceeds an event's limit (docs/protocol.md §9). {@code kind} and
     * {@code status} are names, never cut.
     */
    public TestEvent textCut(int maxChars) {
        return new TestEvent(kind, n, run, tests, cut(id, maxChars), cut(className, maxChars), cut(name, maxChars),
                cut(displayName, maxChars), container, status, durationMs, cut(exception, maxChars), cut(message, maxChars),
                cut(stackTrace, maxChars), cut(stdout, maxChars), cut(stderr, maxChars), failures, errors, skipped,
                cut(reason, maxChars), cut(action, maxChars), cut(app, maxChars), cut(problem, maxChars));
    }

    private static String cut(String text, int maxChars) {
        if (text == null || text.length() <= maxChars) return text;
        String note = " [pirt: " + text.length() + " characters, cut to fit an event]";
        int keep = Math.max(0, maxChars - note.length());
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) keep--;
        return text.substring(0, keep) + note;
    }

    /** This event, numbered {@code n} within run {@code run}. */
    public TestEvent numbered(long run, long n) {
        return new TestEvent(kind, n, run, tests, id, className, name, displayName, container, status, durationMs, exception,
                message, stackTrace, stdout, stderr, failures, errors, skipped, reason, action, app, problem);
    }
}
