package io.pirt.threading;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed-rate schedule for a control loop: a motor, a sampler, a PID. Each
 * {@link #waitNext()} sleeps until the next deadline of the schedule, an absolute time, so a
 * late wake-up never shifts the deadlines after it (a loop that sleeps "one period from now"
 * drifts by every wake-up's lateness).
 *
 * <pre>{@code
 * Periodic every = Periodic.everyMicros(1_000);
 * while (running) {
 *     long lateNanos = every.waitNext();
 *     controlStep();
 * }
 * }</pre>
 *
 * <p><b>Deadlines.</b> The first deadline is one period after {@link #everyMicros}; each
 * later one is one period after the one before. When {@code waitNext()} is called after its
 * deadline has passed (the body took longer than the rest of its period), every deadline
 * already passed counts as an {@linkplain #overruns() overrun} and the schedule skips to the
 * first deadline still in the future: it never returns at once to catch up (no burst of
 * back-to-back periods after a stall).
 *
 * <p><b>How it sleeps.</b> When the process runs in {@link SchedulingMode#FIFO FIFO} or
 * {@link SchedulingMode#NICE NICE} mode, with {@code clock_nanosleep(CLOCK_MONOTONIC,
 * TIMER_ABSTIME)}, as cyclictest does; {@link System#nanoTime()} is that clock on Linux. In
 * {@link SchedulingMode#NONE NONE} mode, or where that call is not available, it parks
 * until the deadline with the JVM's own timed park, which wakes later and less evenly, and
 * says so once on standard error. A period allocates nothing on the Java heap.
 *
 * <p><b>Interruption.</b> Like every pirt wait, {@code waitNext()} throws
 * {@link ThreadInterruptedException} when the thread is interrupted before or while it
 * sleeps (the interrupt stays set). A native sleep cannot be woken by
 * {@link java.lang.Thread#interrupt()}, so sleeps longer than {@value #SLICE_MILLIS} ms are
 * taken in slices of that length: an interrupt is seen at most that late.
 *
 * <p><b>Figures.</b> Each schedule counts its wake-ups and keeps their lateness in a
 * histogram (HdrHistogram's single-writer recorder: no allocation and no lock on the
 * waiting thread). The thread that waits on a schedule shows its {@link PeriodicFigures} in
 * the console's {@code ps} ({@link #figuresOf}); {@link #resetFigures()} starts them afresh.
 *
 * <p>A schedule belongs to the thread that calls {@code waitNext()}; only the figures may
 * be read from other threads.
 */
public final class Periodic {
    /** The longest single native sleep: bounds how late an interrupt is seen. */
    static final long SLICE_MILLIS = 50;
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS);
    /** The longest period: long enough for any control loop, short enough that deadline arithmetic cannot overflow. */
    static final long MAX_PERIOD_MICROS = TimeUnit.DAYS.toMicros(1);

    /** Set once the fallback to the JVM's park has been said on standard error. */
    private static volatile boolean fallbackSaid;

    private final long periodNanos;
    /** The sleep to an absolute time, or null where the JVM's park is used instead. */
    private final MonotonicSleep sleep;
    /** The next deadline, in {@link System#nanoTime()} time. */
    private long deadline;
    private final ScheduleFigures figures = new ScheduleFigures();
    /** Whether the waiting thread has been told about this schedule (its first waitNext). */
    private boolean registered;

    private Periodic(long periodNanos, MonotonicSleep sleep) {
        this.periodNanos = periodNanos;
        this.sleep = sleep;
        this.deadline = System.nanoTime() + periodNanos;
    }

    /**
     * A schedule with a deadline every {@code periodMicros} microseconds, the first one
     * period from now.
     *
     * @throws IllegalArgumentException if the period is not between 1 µs and one day
     */
    public static Periodic everyMicros(long periodMicros) {
        if (periodMicros < 1 || periodMicros > MAX_PERIOD_MICROS) {
            throw new IllegalArgumentException("period " + periodMicros + " µs is out of range: give 1 to "
                    + MAX_PERIOD_MICROS + " µs (one day)");
        }
        return new Periodic(TimeUnit.MICROSECONDS.toNanos(periodMicros), absoluteSleep());
    }

    /** The native absolute sleep if this process may use it, else null (said once). */
    private static MonotonicSleep absoluteSleep() {
        SchedulingMode mode = Scheduler.sink().mode();
        String why = mode == SchedulingMode.NONE ? "the scheduling mode is NONE" : MonotonicSleep.reasonNotUsable();
        if (why == null) return new MonotonicSleep();
        if (!fallbackSaid) {
            fallbackSaid = true;
            System.err.println("pirt: periodic threads sleep with the JVM's timed park, which wakes later and less evenly "
                    + "than clock_nanosleep: " + why);
        }
        return null;
    }

    /**
     * Sleeps until the next deadline of the schedule (see the class comment for deadlines
     * already passed) and returns how late this wake-up was.
     *
     * @return nanoseconds between the deadline and the moment this thread ran again, {@code >= 0}
     * @throws ThreadInterruptedException if the thread is interrupted before or while it sleeps
     */
    public long waitNext() {
        java.lang.Thread self = java.lang.Thread.currentThread();
        if (self.isInterrupted()) throw new ThreadInterruptedException();
        if (!registered) { // once: the thread's ps row shows this schedule's figures
            Thread.current().schedule = this;
            registered = true;
        }
        long now = System.nanoTime();
        if (now - deadline >= 0) { // passed already: count every deadline missed, aim at the first one ahead
            long missed = (now - deadline) / periodNanos + 1;
            figures.overran(missed);
            deadline += missed * periodNanos;
        }
        for (long remaining; (remaining = deadline - now) > 0; now = System.nanoTime()) {
            if (self.isInterrupted()) throw new ThreadInterruptedException();
            if (sleep == null) LockSupport.parkNanos(this, remaining);
            else sleep.sleepUntil(remaining > SLICE_NANOS ? now + SLICE_NANOS : deadline);
        }
        long late = now - deadline;
        deadline += periodNanos;
        figures.woke(late);
        return late;
    }

    /**
     * The figures of the schedule {@code t} last waited on, if it has waited on one.
     * Safe from any thread.
     */
    public static Optional<PeriodicFigures> figuresOf(Thread t) {
        Periodic p = t.schedule;
        return p == null ? Optional.empty() : Optional.of(p.figures.read(p.periodMicros()));
    }

    /** Starts the figures of every live thread's schedule afresh. Safe from any thread. */
    public static void resetFigures() {
        for (Thread t : Threading.threads()) {
            Periodic p = t.schedule;
            if (p != null) p.figures.reset();
        }
    }

    /** Deadlines that had already passed when {@link #waitNext()} was called, since the schedule began. */
    public long overruns() {
        return figures.overrunsTotal();
    }

    /** The deadline the next {@link #waitNext()} aims at, before any skip (tests). */
    long nextDeadlineNanos() {
        return deadline;
    }

    /** Whether this schedule sleeps with clock_nanosleep rather than the JVM's park (tests). */
    boolean sleepsAbsolute() {
        return sleep != null;
    }

    /** The period, in microseconds. */
    public long periodMicros() {
        return TimeUnit.NANOSECONDS.toMicros(periodNanos);
    }
}
