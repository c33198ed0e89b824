package io.pirt.threading;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The figures of one {@link Periodic} schedule: wake-ups, overruns and the lateness of each
 * wake-up. One thread writes ({@link #woke}, {@link #overran}: the schedule's thread, without
 * allocation or lock: HdrHistogram's single-writer recorder and two volatile counters with a
 * single writer); any thread reads ({@link #read}) and resets ({@link #reset}).
 */
final class ScheduleFigures {
    /** Lateness beyond this is recorded as this much: 10 s. */
    static final long HIGHEST_LATENESS_NANOS = 10_000_000_000L;
    private static final int SIGNIFICANT_DIGITS = 2;

    /** Written by the schedule's thread only. */
    private volatile long wakeUps, overruns;
    private final SingleWriterRecorder lateness = new SingleWriterRecorder(HIGHEST_LATENESS_NANOS, SIGNIFICANT_DIGITS);

    /*
     * The reader side, guarded by this: the lateness recorded since the last reset (the
     * recorder's intervals added up), and the counters' values at that reset.
     */
    private Histogram sinceReset;
    private Histogram interval;
    private long wakeUpsAtReset, overrunsAtReset;

    /** A wake-up {@code lateNanos} after its deadline. Schedule's thread only. */
    void woke(long lateNanos) {
        lateness.recordValue(Math.min(lateNanos, HIGHEST_LATENESS_NANOS));
        wakeUps++; // one writer
    }

    /** {@code missed} deadlines passed before the thread waited for them. Schedule's thread only. */
    void overran(long missed) {
        overruns += missed; // one writer
    }

    /** Overruns since the schedule began (not reset). */
    long overrunsTotal() {
        return overruns;
    }

    /** The figures since the last reset. */
    synchronized PeriodicFigures read(long periodMicros) {
        interval = lateness.getIntervalHistogram(interval);
        if (sinceReset == null) sinceReset = new Histogram(HIGHEST_LATENESS_NANOS, SIGNIFICANT_DIGITS);
        sinceReset.add(interval);
        boolean any = sinceReset.getTotalCount() > 0;
        return new PeriodicFigures(periodMicros, wakeUps - wakeUpsAtReset, any ? sinceReset.getValueAtPercentile(99) : 0,
                any ? sinceReset.getMaxValue() : 0, overruns - overrunsAtReset);
    }

    /** Starts the figures afresh: what was recorded so far is dropped. */
    synchronized void reset() {
        interval = lateness.getIntervalHistogram(interval);
        if (sinceReset != null) sinceReset.reset();
        wakeUpsAtReset = wakeUps;
        overrunsAtReset = overruns;
    }
}
