package io.pirt.runtime.supervisor;

/** Where the supervised application is in its life. */
public enum AppState {
    /** Nothing runs: never started, or stopped on request. */
    STOPPED,
    /** The process is starting and has not linked up with the runtime yet. */
    STARTING,
    /** Linked up and sending heartbeats. */
    RUNNING,
    /** Being stopped: interrupted, then killed after the grace period. */
    STOPPING,
    /** Its main returned and the process ended with status 0. */
    EXITED,
    /** The process ended with a non-zero status (an exception out of main, System.exit(n), out of memory). */
    CRASHED,
    /** Heartbeats stopped for longer than the hang timeout; the process was killed. */
    HUNG
}
