package io.pirt.wire.message;

/** The answer to {@code test-run}: the run's number, which its events and {@code test-status} name. */
public record TestRunStarted(long run) {
}
