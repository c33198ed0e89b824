package io.pirt.bench;

import io.pirt.threading.Periodic;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The measuring loop of {@link CyclicLatency}: wakes at absolute deadlines one period apart
 * and records how late each wake-up was, the way cyclictest's measuring thread does.
 *
 * <p>Not thread-safe: {@link #run} is called once, on the thread being measured; the
 * results are read after that thread has been joined.
 *
 * <p>Implementation notes. Deadlines are {@code startNs + k * periodNs} from
 * {@link System#nanoTime()} (CLOCK_MONOTONIC on Linux, the clock cyclictest uses), so
 * lateness never accumulates into drift. {@link LockSupport#parkNanos(long)} may return
 * early (spurious wake-up, signal), so the thread parks again until the clock has reached
 * the deadline; the lateness is that first reading minus the deadline. After a wake-up
 * later than a whole period the missed deadlines are skipped, as cyclictest does, so one
 * stall is one sample and not a cascade of late ones; {@link #skippedPeriods()} counts them.
 * The loop allocates nothing: the histogram is sized up front and values beyond its range
 * are clamped to it (and still counted exactly in {@link #maxNs()}).
 */
final class WakeupLatencyRecorder {
    /** Largest latency the histogram holds: a minute; a later wake-up is recorded as a minute. */
    static final long HIGHEST_TRACKABLE_NS = 60_000_000_000L;

    /** Latencies in nanoseconds, 3 significant digits; allocated here, never resized. */
    private final Histogram latencyNs = new Histogram(1, HIGHEST_TRACKABLE_NS, 3);
    /** Exact least and greatest latency recorded; Long.MAX_VALUE / MIN_VALUE before the first. */
    private long minNs = Long.MAX_VALUE, maxNs = Long.MIN_VALUE;
    /** Sum of the latencies recorded, for the exact mean. */
    private long sumNs;
    /** Deadlines passed over because a wake-up came a whole period or more after them. */
    private long skippedPeriods;

    /**
     * Wakes {@code warmupLoops + loops} times, {@code periodNs} apart, recording the
     * lateness of the last {@code loops} wake-ups. The first deadline is one period from now.
     *
     * @throws IllegalArgumentException if a count is negative or the period is not positive
     */
    void run(long loops, long warmupLoops, long periodNs) {
        if (loops < 0 || warmupLoops < 0 || periodNs <= 0) {
            throw new IllegalArgumentException("loops " + loops + ", warm-up loops " + warmupLoops + " and period "
                    + periodNs + " ns: counts must be >= 0 and the period > 0");
        }
        final long startNs = System.nanoTime() + periodNs;
        long k = 0;
        for (long i = 0, total = warmupLoops + loops; i < total; i++, k++) {
            long deadlineNs = startNs + k * periodNs;
            long nowNs;
            while ((nowNs = System.nanoTime()) - deadlineNs < 0) {
                LockSupport.parkNanos(deadlineNs - nowNs);
            }
            long latenessNs = nowNs - deadlineNs;
            if (i >= warmupLoops) record(latenessNs);
            long behind = latenessNs / periodNs; // whole periods missed: skip their deadlines
            k += behind;
            if (i >= warmupLoops) skippedPeriods += behind;
        }
    }

    /**
     * As {@link #run}, but the loop is a pirt {@link Periodic} schedule: it sleeps with
     * {@code clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)} (FIFO and NICE modes) and
     * records what {@link Periodic#waitNext()} returns; its overruns are the skipped periods.
     *
     * @throws IllegalArgumentException if a count is negative or the period not a positive whole number of microseconds
     */
    void runPeriodic(long loops, long warmupLoops, long periodNs) {
        if (loops < 0 || warmupLoops < 0 || periodNs <= 0 || periodNs % 1_000 != 0) {
            throw new IllegalArgumentException("loops " + loops + ", warm-up loops " + warmupLoops + " and period "
                    + periodNs + " ns: counts must be >= 0 and the period a whole number of microseconds > 0");
        }
        Periodic every = Periodic.everyMicros(periodNs / 1_000);
        for (long i = 0; i < warmupLoops; i++) every.waitNext();
        long overrunsBefore = every.overruns();
        for (long i = 0; i < loops; i++) record(every.waitNext());
        skippedPeriods += every.overruns() - overrunsBefore;
    }

    private void record(long latencyNs) {
        latencyNs = Math.max(latencyNs, 0);
        if (latencyNs < minNs) minNs = latencyNs;
        if (latencyNs > maxNs) maxNs = latencyNs;
        sumNs += latencyNs;
        this.latencyNs.recordValue(Math.min(latencyNs, HIGHEST_TRACKABLE_NS));
    }

    /** The histogram of recorded latencies in nanoseconds. */
    Histogram histogram() {
        return latencyNs;
    }

    long minNs() {
        return minNs;
    }

    long maxNs() {
        return maxNs;
    }

    long skippedPeriods() {
        return skippedPeriods;
    }

    LatencySummary summary() {
        long n = latencyNs.getTotalCount();
        return LatencySummary.of(latencyNs, n == 0 ? 0 : minNs, n == 0 ? 0 : maxNs, n == 0 ? 0 : (double) sumNs / n);
    }
}
