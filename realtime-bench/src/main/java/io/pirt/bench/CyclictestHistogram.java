package io.pirt.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Reads what {@code cyclictest -q -h LIMIT} printed for one measuring thread and says it the
 * way {@link CyclicLatency} does: a {@code RESULT tool=cyclictest ... resolution_us=1} line and, with
 * {@code --histogram-out PREFIX}, PREFIX.hgrm and PREFIX.hlog. Percentiles of both tools
 * are thus computed by the same code from the same kind of histogram.
 *
 * <p>cyclictest measures in whole microseconds, rounded down; bucket {@code v} becomes
 * {@code v * 1000} ns. Min and max are cyclictest's own ("# Min/Max Latencies"); the mean
 * is computed from the buckets (the same truncated values cyclictest averages, with the
 * decimals its histogram summary drops) unless some samples overflowed the histogram, when
 * cyclictest's whole-microsecond "# Avg Latencies" is used. Overflowed samples are counted
 * at the max, so the percentiles they reach are upper bounds.
 *
 * <p>Exit codes: 0 converted; 1 the input is not such output or a file could not be
 * read or written; 2 usage.
 */
@Command(name = "cyclictest-histogram", mixinStandardHelpOptions = true,
        description = "Converts cyclictest -q -h output (one thread) into a RESULT line and HdrHistogram files.")
public final class CyclictestHistogram implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CYCLICTEST_OUTPUT", description = "File with what cyclictest -q -h printed.")
    Path input;

    @Option(names = "--histogram-out", paramLabel = "PREFIX", description = "Also write PREFIX.hgrm and PREFIX.hlog.")
    Path histogramOut;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CyclictestHistogram()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Parsed p = parse(Files.readAllLines(input), input.toString());
        PrintWriter out = spec.commandLine().getOut();
        out.println("RESULT tool=cyclictest " + p.summary().toPairs() + " overflows=" + p.overflows() + " resolution_us=1");
        out.flush();
        if (histogramOut != null) HistogramFiles.write(p.latencyNs(), histogramOut);
        return 0;
    }

    /** A cyclictest histogram: latencies in ns, its summary, and how many samples overflowed. */
    record Parsed(Histogram latencyNs, LatencySummary summary, long overflows) {
    }

    /**
     * Parses cyclictest's histogram output for one thread.
     *
     * @throws IOException naming {@code source} and what is missing if the text is not such output
     */
    static Parsed parse(List<String> lines, String source) throws IOException {
        Histogram h = new Histogram(1, WakeupLatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
        long min = -1, max = -1, avg = -1, overflows = -1, bucketSamples = 0, bucketSumUs = 0;
        for (String raw : lines) {
            String line = raw.trim();
            if (line.isEmpty()) continue;
            if (line.startsWith("#")) {
                String[] kv = line.substring(1).split(":", 2);
                if (kv.length < 2) continue;
                String key = kv[0].trim(), value = kv[1].trim();
                switch (key) {
                    case "Min Latencies" -> min = firstNumber(value, key, source);
                    case "Avg Latencies" -> avg = firstNumber(value, key, source);
                    case "Max Latencies" -> max = firstNumber(value, key, source);
                    case "Histogram Overflows" -> overflows = firstNumber(value, key, source);
                    default -> { }
                }
                continue;
            }
            String[] cols = line.split("\\s+");
            if (!cols[0].chars().allMatch(Character::isDigit)) continue; // "T: 0 (...)" summary lines and the like
            if (cols.length != 2) {
                throw new IOException(source + ": histogram line \"" + line + "\" has " + (cols.length - 1)
                        + " count columns; run cyclictest with one measuring thread");
            }
            long us = Long.parseLong(cols[0]), count = Long.parseLong(cols[1]);
            if (count > 0) {
                h.recordValueWithCount(Math.min(us * 1000, WakeupLatencyRecorder.HIGHEST_TRACKABLE_NS), count);
                bucketSamples += count;
                bucketSumUs += us * count;
            }
        }
        if (min < 0 || max < 0 || avg < 0 || overflows < 0) {
            throw new IOException(source + ": no \"# Min/Avg/Max Latencies\" and \"# Histogram Overflows\" lines; "
                    + "is this the output of cyclictest -q -h LIMIT (rt-tests 1.x or 2.x)?");
        }
        if (overflows > 0) h.recordValueWithCount(Math.min(max * 1000, WakeupLatencyRecorder.HIGHEST_TRACKABLE_NS), overflows);
        long n = bucketSamples + overflows;
        double meanNs = overflows == 0 && n > 0 ? bucketSumUs * 1000.0 / n : avg * 1000.0;
        return new Parsed(h, LatencySummary.of(h, min * 1000, max * 1000, meanNs), overflows);
    }

    private static long firstNumber(String value, String key, String source) throws IOException {
        String[] parts = value.split("\\s+");
        if (parts.length > 1) {
            throw new IOException(source + ": \"# " + key + ":\" has " + parts.length + " values; run cyclictest with one measuring thread");
        }
        try {
            return Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            throw new IOException(source + ": \"# " + key + ": " + value + "\" is not a whole number", e);
        }
    }
}
