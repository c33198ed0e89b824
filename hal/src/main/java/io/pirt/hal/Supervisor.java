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

    /** True unless the watchdog is armed and was not kicked in time. */
    static boolean watchdogSatisfied() {
        long timeout = watchdogNanos;
        return timeout == 0 || System.nanoTime() - lastKickNanos < timeout;
    }
}
