package io.pirt.threading;

/**
 * What a thread's periodic schedule has measured since it began, or since the last
 * {@link Periodic#resetFigures()}: how many times it woke, how late (99th percentile and
 * greatest, to two significant digits, at most {@value ScheduleFigures#HIGHEST_LATENESS_NANOS}
 * ns), and how many deadlines had passed before it waited for them.
 *
 * @param periodMicros       the schedule's period
 * @param wakeUps            wake-ups counted
 * @param p99LatenessNanos   99% of the wake-ups were at most this late (0 before the first)
 * @param maxLatenessNanos   the latest wake-up (0 before the first)
 * @param overruns           deadlines already passed when the thread came to wait for them
 */
public record PeriodicFigures(long periodMicros, long wakeUps, long p99LatenessNanos, long maxLatenessNanos, long overruns) {
}
