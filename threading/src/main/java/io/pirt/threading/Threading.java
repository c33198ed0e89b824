package io.pirt.threading;

/**
 * The module's functions: start a thread in one call, and sleep.
 */
public final class Threading {
    private Threading() {
    }

    /** Starts {@code fn} on a new thread at {@link Thread#PRIO_NORMAL}; returns the started Thread. */
    public static Thread thread(Runnable fn) {
        return thread(fn, Thread.PRIO_NORMAL, 0);
    }

    /** Starts {@code fn} on a new thread at {@code prio}; see {@link Thread#start(int)}. */
    public static Thread thread(Runnable fn, int prio) {
        return thread(fn, prio, 0);
    }

    /**
     * Starts {@code fn} on a new thread at {@code prio} with a stack of {@code size} bytes
     * ({@code <= 0}: the default); returns the started Thread.
     *
     * @throws IllegalArgumentException if {@code prio} is outside PRIO_LOWEST..PRIO_HIGHEST
     */
    public static Thread thread(Runnable fn, int prio, int size) {
        Thread.checkPriority(prio);
        Thread t = new Thread(fn);
        t.start(prio, size);
        return t;
    }

    /**
     * A snapshot of this process's live threads: those started through this package and not
     * ended, and the threads it adopted (see {@link Thread#current()}) that are still running,
     * ordered by ident.
     */
    public static java.util.List<Thread> threads() {
        return Thread.live();
    }

    /**
     * How priorities reach the operating system's scheduler in this process. Decided at first
     * use (first thread started, or this call) from the configuration given to
     * {@link #configureRealtime(RealtimeConfig)} or else the system properties described in
     * {@link RealtimeConfig}; one line on standard error says which mode and why.
     */
    public static SchedulingMode schedulingMode() {
        return Scheduler.sink().mode();
    }

    /** The line that says which scheduling mode is in force and why (see {@link #schedulingMode()}). */
    public static String schedulingDescription() {
        return Scheduler.sink().description();
    }

    /**
     * Hands in the real-time configuration (priority table, CPU set, memory locking). Call it
     * before the first thread starts.
     *
     * @throws IllegalStateException if the scheduling mode was already decided
     */
    public static void configureRealtime(RealtimeConfig config) {
        Scheduler.configure(java.util.Objects.requireNonNull(config, "config"));
    }

    /**
     * Suspends the calling thread for {@code ms} milliseconds; never returns early. 0 yields
     * the processor.
     *
     * @throws IllegalArgumentException if {@code ms < 0}
     * @throws ThreadInterruptedException if interrupted while sleeping
     */
    public static void sleep(long ms) {
        if (ms < 0) throw new IllegalArgumentException("sleep time " + ms + " ms is negative");
        if (ms == 0) {
            java.lang.Thread.yield();
            return;
        }
        long deadlineNanos = System.nanoTime() + Scheduler.nanos(ms);
        java.lang.Thread self = java.lang.Thread.currentThread();
        for (long remaining; (remaining = deadlineNanos - System.nanoTime()) > 0; ) {
            if (self.isInterrupted()) throw new ThreadInterruptedException();
            java.util.concurrent.locks.LockSupport.parkNanos(Threading.class, remaining);
        }
    }
}
