package io.pirt.wire.message;

/**
 * The answer to {@code test-status RUN}: how far a run is, so a tool that lost its session
 * knows which events it missed.
 *
 * @param events  how many events the run has produced so far
 * @param running false once the run has ended
 */
public record TestRunStatus(long run, long events, boolean running) {
}
