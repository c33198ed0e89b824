package io.pirt.hal;

import java.util.concurrent.TimeUnit;

/**
 * What an application may ask of the pirt runtime that supervises it: say it is healthy
 * (ends a new bundle's trial early), and arm a watchdog it must kick. Outside a runtime
 * (started from an IDE, say) every call is accepted and does nothing.
 *
 * <p>The runtime hears a heartbeat from the application process several times a second;
 * when heartbeats stop, the runtime declares the application hung, says so on the console
 * and restarts it (or rolls a new bundle back). With {@link #watchdog(long)} armed,
 * heartbeats also stop when the application has not called {@link #kick()} within the
 * timeout — so a deadlocked application is caught too. Thread-safe.
 */
public final class Supervisor {
    /** Watchdog timeout in nanoseconds, 0 when disarmed. */
    private static volatile long watchdogNanos;
    private static volatile long lastKickNanos = System.nanoTime();

    private Supervisor() {
    }

    /** True if a pirt runtime supervises this process. */
    public static boolean isSupervised() {
        return SupervisorLink.current() != null;
    }

    /** Tells the runtime the application is working: a bundle on trial is committed now. */
    public static void markHealthy() {
        SupervisorLink link = SupervisorLink.current();
        if (link != null) link.send("healthy");
    }

    /**
     * Arms the watchdog: from now on the application must call {@link #kick()} at least every
     * {@code timeoutMs}, or the runtime treats it as hung. 0 disarms it.
     *
     * @throws IllegalArgumentException if {@code timeoutMs < 0}
     */
    public static void watchdog(long timeoutMs) {
        if (timeoutMs < 0) throw new IllegalArgumentException("watchdog timeout " + timeoutMs + " ms is negative");
        lastKickNanos = System.nanoTime();
        watchdogNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    /** Kicks the watchdog. */
    public static void kick() {
        lastKickNanos = System.nanoTime();
    }

    /**
     * Sends one structured event — a JSON object on one line — through the runtime to the tool
     * attached to the board's console (docs/protocol.md §5.5). pirt's on-board test runner
     * reports test results with it. Outside a runtime it does nothing.
     *
     * @return false when no runtime supervises this process
     * @throws IllegalArgumentException if {@code json} is not one line
     */
    public static boolean report(String json) {
        if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) throw new IllegalArgumentException("an event is one line of JSON");
        SupervisorLink link = SupervisorLink.current();
        if (link == null) return false;
        link.send("event " + json);
        return true;
    }

    /**
     * Asks the host side of the rig to act — e.g. {@code "press BTN0"} on a virtual board —
     * and waits up to {@code timeoutMs} for it to say it has. What a host can do depends on the
     * rig; {@code pirt test} forwards {@code press PIN}, {@code release PIN} and
     * {@code set PIN 0|1} to the board's {@code gpio} command (docs/testing.md).
     *
     * @return the host's answer, for people
     * @throws UnsupportedOperationException if no runtime supervises this process, or the host
     *     cannot do this on this rig
     * @throws HalException if the host tried and failed, or did not answer in time
     */
    public static String askHost(String action, long timeoutMs) {
        if (action.isBlank() || action.indexOf('\n') >= 0) throw new IllegalArgumentException("an action is one line of text");
        SupervisorLink link = SupervisorLink.current();
        if (link == null) throw new UnsupportedOperationException("no pirt runtime supervises this process, so there is no host to ask");
        return link.askHost(action, timeoutMs);
    }

    /** True unless the watchdog is armed and was not kicked in time. */
    static boolean watchdogSatisfied() {
        long timeout = watchdogNanos;
        return timeout == 0 || System.nanoTime() - lastKickNanos < timeout;
    }
}
