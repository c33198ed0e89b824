package io.pirt.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The wake-up latency of one run, in microseconds: least, mean, 99th and 99.9th percentile
 * and greatest, over {@code samples} wake-ups.
 *
 * <p>Written as key=value pairs ({@code samples=10000 min_us=2.1 avg_us=3.4 p99_us=10.2
 * p999_us=20.5 max_us=100.3}) on the one line each command prints after {@code RESULT}, the
 * form {@code compare.sh} collects and {@link RunResults} reads back.
 */
record LatencySummary(long samples, double minUs, double avgUs, double p99Us, double p999Us, double maxUs) {
    /**
     * The summary of a histogram of latencies recorded in nanoseconds. Min, max and mean are
     * given exactly by the caller (a histogram keeps values only to its precision); the
     * percentiles come from the histogram, never above the exact max.
     */
    static LatencySummary of(Histogram latencyNs, long minNs, long maxNs, double meanNs) {
        long n = latencyNs.getTotalCount();
        if (n == 0) return new LatencySummary(0, 0, 0, 0, 0, 0);
        double p99 = Math.min(latencyNs.getValueAtPercentile(99.0), maxNs);
        double p999 = Math.min(latencyNs.getValueAtPercentile(99.9), maxNs);
        return new LatencySummary(n, minNs / 1e3, meanNs / 1e3, p99 / 1e3, p999 / 1e3, maxNs / 1e3);
    }

    /** The key=value pairs, one decimal for microseconds. */
    String toPairs() {
        return String.format(Locale.ROOT, "samples=%d min_us=%.1f avg_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f",
                samples, minUs, avgUs, p99Us, p999Us, maxUs);
    }
}
