package io.pirt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CyclictestHistogramTest {
    /** What cyclictest -q -h 20 prints, as rt-tests 2.4 lays it out, for 1000 samples: 10..13 us and one overflow. */
    private static List<String> output(long overflows) {
        List<String> lines = new ArrayList<>(List.of("# /dev/cpu_dma_latency set to 0us", "# Histogram"));
        long[] counts = new long[20];
        counts[10] = 500;
        counts[11] = 489 - overflows + 1;
        counts[12] = 9;
        counts[13] = 1;
        for (int us = 0; us < 20; us++) lines.add(String.format("%06d %06d", us, counts[us]));
        long total = 1000 - overflows;
        lines.addAll(List.of("# Total: " + String.format("%09d", total), "# Min Latencies: 00010", "# Avg Latencies: 00010",
                "# Max Latencies: " + (overflows > 0 ? "00950" : "00013"), "# Histogram Overflows: " + String.format("%05d", overflows),
                "# Histogram Overflow at cycle number:", "# Thread 0:" + (overflows > 0 ? " 00042" : "")));
        return lines;
    }

    @Test
    void percentilesAndMeanComeFromTheBucketsWhenNothingOverflowed() throws IOException {
        CyclictestHistogram.Parsed p = CyclictestHistogram.parse(output(0), "test");
        LatencySummary s = p.summary();
        assertEquals(1000, s.samples());
        assertEquals(10.0, s.minUs());
        assertEquals(13.0, s.maxUs());
        assertEquals((500 * 10 + 490 * 11 + 9 * 12 + 13) / 1000.0, s.avgUs(), 1e-9); // decimals cyclictest's summary drops
        assertEquals(11.0, s.p99Us(), 0.02);   // the 990th sample is the last 11
        assertEquals(12.0, s.p999Us(), 0.02);  // the 999th is the last 12
        assertEquals(0, p.overflows());
    }

    @Test
    void overflowedSamplesCountAtTheMaxAndTheMeanIsCyclictests() throws IOException {
        CyclictestHistogram.Parsed p = CyclictestHistogram.parse(output(1), "test");
        assertEquals(1000, p.summary().samples());
        assertEquals(950.0, p.summary().maxUs());
        assertEquals(10.0, p.summary().avgUs()); // the summary's whole microseconds
        assertEquals(1, p.latencyNs().getCountBetweenValues(900_000, 1_000_000));
        assertEquals(1, p.overflows());
    }

    @Test
    void outputOfSeveralThreadsIsRefusedWithTheReason() {
        List<String> lines = List.of("000010 000005 000007", "# Min Latencies: 00010 00011");
        IOException e = assertThrows(IOException.class, () -> CyclictestHistogram.parse(lines, "ct.txt"));
        assertTrue(e.getMessage().contains("ct.txt") && e.getMessage().contains("one measuring thread"), e.getMessage());
    }

    @Test
    void textWithoutTheSummaryIsRefused() {
        IOException e = assertThrows(IOException.class, () -> CyclictestHistogram.parse(List.of("T: 0 ( 123) P:40"), "ct.txt"));
        assertTrue(e.getMessage().contains("cyclictest -q -h"), e.getMessage());
    }
}
