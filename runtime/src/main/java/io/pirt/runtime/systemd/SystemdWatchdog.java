package io.pirt.runtime.systemd;

import io.pirt.threading.Event;
import io.pirt.threading.Thread;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The runtime's keep-alive for systemd's watchdog ({@code WatchdogSec=}): a thread,
 * {@code systemd-watchdog}, that every interval asks whether the runtime is sound and, if so,
 * sends {@code WATCHDOG=1}. When the answer names a fault (a console thread that has died),
 * it sends {@code STATUS=} with the fault and {@code WATCHDOG=trigger} once and stops: the
 * keep-alive ends, and systemd restarts the service, at once where it knows
 * {@code WATCHDOG=trigger}, else when {@code WatchdogSec} has passed without a keep-alive. A
 * JVM that no longer runs this thread (frozen, stalled in a collection, starved) misses the
 * keep-alive the same way.
 *
 * <p>The thread runs at {@link Thread#PRIO_HIGH}, the runtime's supervising level. A failed
 * send is said in the log, once per distinct failure, and the loop goes on.
 */
public final class SystemdWatchdog implements AutoCloseable {
    private final SystemdNotifier notifier;
    private final long intervalMs;
    private final Supplier<Optional<String>> fault;
    private final Consumer<String> log;
    /** Raised by close(); the loop's waits end at once. */
    private final Event closing = new Event();
    /** The last send failure said in the log, or null. Only the watchdog thread touches it. */
    private String lastFailure;
    private Thread thread;

    /**
     * @param intervalMs time between keep-alives; half of systemd's {@code WATCHDOG_USEC}
     *                   ({@link #keepAliveIntervalMs})
     * @param fault      empty while the runtime is sound, else what is wrong (one line)
     * @param log        where failures and the fault are said
     */
    public SystemdWatchdog(SystemdNotifier notifier, long intervalMs, Supplier<Optional<String>> fault, Consumer<String> log) {
        if (intervalMs < 1) throw new IllegalArgumentException("keep-alive interval " + intervalMs + " ms: must be at least 1");
        this.notifier = notifier;
        this.intervalMs = intervalMs;
        this.fault = fault;
        this.log = log;
    }

    /**
     * How often to send {@code WATCHDOG=1}: half of {@code WATCHDOG_USEC} (sd_watchdog_enabled(3)),
     * or empty when systemd asks for no keep-alive from this process ({@code WATCHDOG_USEC}
     * unset, or {@code WATCHDOG_PID} set to another process).
     *
     * @throws IllegalArgumentException if a variable is set but not a number
     */
    public static OptionalLong keepAliveIntervalMs(Map<String, String> environment, long pid) {
        String usec = environment.get("WATCHDOG_USEC");
        if (usec == null || usec.isEmpty()) return OptionalLong.empty();
        String forPid = environment.get("WATCHDOG_PID");
        try {
            if (forPid != null && !forPid.isEmpty() && Long.parseLong(forPid) != pid) return OptionalLong.empty();
            long us = Long.parseLong(usec);
            if (us <= 0) throw new NumberFormatException("not positive");
            return OptionalLong.of(Math.max(1, us / 2 / 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("WATCHDOG_USEC=" + usec + ", WATCHDOG_PID=" + forPid
                    + ": expected a positive number of microseconds and a process id", e);
        }
    }

    /** Starts the keep-alive thread; the first keep-alive goes at once. */
    public synchronized void start() {
        if (thread != null) throw new IllegalStateException("the watchdog thread was already started");
        thread = new Thread(this::loop, "systemd-watchdog");
        thread.start(Thread.PRIO_HIGH);
    }

    private void loop() {
        do {
            Optional<String> wrong = fault.get();
            if (wrong.isPresent()) {
                log.accept("watchdog: " + wrong.get() + "; no more keep-alives, systemd restarts the runtime");
                send("STATUS=" + wrong.get().replace('\n', ' ') + "\nWATCHDOG=trigger");
                return;
            }
            send("WATCHDOG=1");
        } while (!closing.await(intervalMs)); // the period between keep-alives; close() ends it at once
    }

    private void send(String state) {
        try {
            notifier.send(state);
            lastFailure = null;
        } catch (IOException e) {
            if (!e.getMessage().equals(lastFailure)) log.accept("watchdog: " + e.getMessage());
            lastFailure = e.getMessage();
        }
    }

    /** Whether the keep-alive thread still runs (it ends after a fault, or on close). */
    public synchronized boolean running() {
        return thread != null && thread.isAlive();
    }

    /** Stops the keep-alives (the runtime is stopping); returns once the thread has ended, within 2 s. */
    @Override
    public void close() {
        closing.set();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) t.join(2_000);
    }
}
