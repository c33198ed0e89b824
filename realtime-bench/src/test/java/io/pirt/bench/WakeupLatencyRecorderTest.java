package io.pirt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class WakeupLatencyRecorderTest {
    private static final long PERIOD_NS = 1_000_000;

    @Test
    void recordsOneNonNegativeLatencyPerMeasuredWakeupOnAnAbsoluteGrid() {
        WakeupLatencyRecorder r = new WakeupLatencyRecorder();
        long start = System.nanoTime();
        r.run(50, 10, PERIOD_NS);
        long elapsedNs = System.nanoTime() - start;
        assertEquals(50, r.histogram().getTotalCount());
        assertTrue(r.minNs() >= 0 && r.maxNs() >= r.minNs(), r.minNs() + " .. " + r.maxNs());
        // 60 deadlines, the first one period after the start: never sooner than that.
        assertTrue(elapsedNs >= 60 * PERIOD_NS, "woke before its deadlines: " + elapsedNs + " ns");
        LatencySummary s = r.summary();
        assertTrue(s.minUs() <= s.avgUs() && s.avgUs() <= s.maxUs() && s.p99Us() <= s.maxUs(), s.toString());
    }

    @Test
    void theMeasuringLoopAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        WakeupLatencyRecorder warm = new WakeupLatencyRecorder();
        warm.run(20, 0, 100_000); // load the classes the loop uses
        WakeupLatencyRecorder r = new WakeupLatencyRecorder();
        long before = threads.getCurrentThreadAllocatedBytes();
        r.run(200, 0, 100_000);
        long after = threads.getCurrentThreadAllocatedBytes();
        assertEquals(0, after - before, "bytes allocated by 200 wake-ups");
    }

    @Test
    void aStallLongerThanAPeriodIsOneSampleAndSkipsTheMissedDeadlines() {
        WakeupLatencyRecorder r = new WakeupLatencyRecorder();
        // A period of 1 us: the loop can't keep up, so deadlines are skipped rather than recorded late one after another.
        r.run(100, 0, 1_000);
        assertEquals(100, r.histogram().getTotalCount());
        assertTrue(r.maxNs() < 1_000 || r.skippedPeriods() > 0, "max " + r.maxNs() + " ns, skipped " + r.skippedPeriods());
    }
}
