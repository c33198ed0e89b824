package io.pirt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.jfree.data.xy.XYSeries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistogramFilesTest {
    @TempDir
    Path dir;

    @Test
    void theLogFileGivesBackTheHistogramAndThePlotBinsEveryCount() throws IOException {
        Histogram h = new Histogram(1, WakeupLatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
        h.recordValueWithCount(5_000, 900);   // 5 us
        h.recordValueWithCount(50_000, 99);   // 50 us
        h.recordValue(2_000_000);             // 2 ms
        Path hlog = HistogramFiles.write(h, dir.resolve("sub/run1"));
        assertTrue(Files.size(dir.resolve("sub/run1.hgrm")) > 0);
        Histogram back = HistogramFiles.read(hlog);
        assertEquals(h, back);
        XYSeries s = LatencyPlot.binned(back, "x", 0);
        assertEquals(3, nonEmpty(s));
        assertEquals(1000, sum(s), 1e-9);
        assertEquals(5.0, s.getX(0).doubleValue(), 5.0 * 0.13); // within a bin (1/20 decade is 12 %)
        assertNull(s.getY(1), "an empty bin between two full ones is a gap, not a line across it");
    }

    @Test
    void wholeMicrosecondValuesAreSpreadOverTheirMicrosecond() {
        Histogram h = new Histogram(1, WakeupLatencyRecorder.HIGHEST_TRACKABLE_NS, 3);
        for (int us = 10; us < 20; us++) h.recordValueWithCount(us * 1000L, 100);
        XYSeries s = LatencyPlot.binned(h, "x", 1000);
        assertEquals(1000, sum(s), 1e-6);
        // 10..20 us spans 6 bins of 1/20 decade; spread evenly none is empty, as some would be with points at whole us.
        assertEquals(s.getItemCount(), nonEmpty(s));
    }

    private static double sum(XYSeries s) {
        double sum = 0;
        for (int i = 0; i < s.getItemCount(); i++) if (s.getY(i) != null) sum += s.getY(i).doubleValue();
        return sum;
    }

    private static int nonEmpty(XYSeries s) {
        int n = 0;
        for (int i = 0; i < s.getItemCount(); i++) if (s.getY(i) != null) n++;
        return n;
    }
}
