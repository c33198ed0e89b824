package io.pirt.bench;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

/**
 * The files a run leaves beside its RESULT line, for a latency histogram in nanoseconds:
 * {@code PREFIX.hgrm}, HdrHistogram's percentile distribution in microseconds (for people
 * and for HdrHistogram's plotter), and {@code PREFIX.hlog}, the whole histogram in
 * HdrHistogram's log format (what {@link LatencyPlot} reads back).
 */
final class HistogramFiles {
    private HistogramFiles() {
    }

    /** Writes PREFIX.hgrm and PREFIX.hlog, making the parent folder if needed; returns the .hlog path. */
    static Path write(Histogram latencyNs, Path prefix) throws IOException {
        Path dir = prefix.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path hgrm = sibling(prefix, ".hgrm");
        Path hlog = sibling(prefix, ".hlog");
        try (PrintStream out = new PrintStream(Files.newOutputStream(hgrm), false, StandardCharsets.UTF_8)) {
            latencyNs.outputPercentileDistribution(out, 5, 1000.0); // ns -> us
        }
        try (PrintStream out = new PrintStream(Files.newOutputStream(hlog), false, StandardCharsets.UTF_8)) {
            HistogramLogWriter log = new HistogramLogWriter(out);
            log.outputLogFormatVersion();
            log.outputComment("wake-up latency in nanoseconds");
            log.outputLegend();
            log.outputIntervalHistogram(latencyNs);
        }
        return hlog;
    }

    /**
     * The first histogram in an .hlog file.
     *
     * @throws IOException naming the file if it cannot be read or holds no histogram
     */
    static Histogram read(Path hlog) throws IOException {
        HistogramLogReader reader;
        try {
            reader = new HistogramLogReader(hlog.toFile());
        } catch (FileNotFoundException e) {
            throw new IOException("histogram log " + hlog + " not found", e);
        }
        try {
            EncodableHistogram h = reader.nextIntervalHistogram();
            if (h instanceof Histogram histogram) return histogram;
            throw new IOException("histogram log " + hlog + " holds no integer histogram"
                    + (h == null ? "" : " (found " + h.getClass().getSimpleName() + ")"));
        } finally {
            reader.close();
        }
    }

    private static Path sibling(Path prefix, String suffix) {
        return prefix.resolveSibling(prefix.getFileName() + suffix);
    }
}
