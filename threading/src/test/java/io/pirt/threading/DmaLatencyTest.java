package io.pirt.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * While a pirt thread runs at SCHED_FIFO the process holds /dev/cpu_dma_latency at 0 µs,
 * and lets go when the last one ends. Runs in a JVM of its own (surefire execution
 * "realtime-periodic") with the default configuration; skipped where the process may not
 * use SCHED_FIFO or the device does not exist.
 */
@Tag("realtime")
@Timeout(30)
class DmaLatencyTest {
    @BeforeAll
    static void fifoAndTheDevice() {
        assumeTrue(Files.isWritable(CpuLatencyHold.DEVICE), CpuLatencyHold.DEVICE + " does not exist or is not writable here");
        assumeTrue(Threading.schedulingMode() == SchedulingMode.FIFO, "SCHED_FIFO is not permitted: " + Threading.schedulingDescription());
    }

    @Test
    void heldAtZeroWhileAFifoThreadRunsAndReleasedAfterTheLastEnds() throws Exception {
        LinuxScheduling sink = (LinuxScheduling) Scheduler.sink();
        assertTrue(Threading.schedulingDescription().contains("CPU latency held at 0 µs"), Threading.schedulingDescription());
        AtomicInteger seen = new AtomicInteger(-1);
        CountDownLatch read = new CountDownLatch(1);
        Event release = new Event();
        Thread a = new Thread(() -> {
            seen.set(currentLatency());
            read.countDown();
            release.await(20_000);
        }, "dma-a");
        Thread b = new Thread(() -> release.await(20_000), "dma-b");
        a.start(Thread.PRIO_HIGH);
        b.start(Thread.PRIO_LOW);
        assertTrue(read.await(5, TimeUnit.SECONDS), "thread a did not read the latency within 5 s");
        assertEquals(0, seen.get(), "the system's CPU latency target while a FIFO thread runs");
        assertTrue(sink.holdsCpuLatency());
        release.set();
        a.join(5_000);
        b.join(5_000);
        assertFalse(a.isAlive() || b.isAlive(), "the threads did not end within 5 s");
        assertFalse(sink.holdsCpuLatency(), "released after the last FIFO thread ended");
    }

    private static int currentLatency() {
        try {
            return ByteBuffer.wrap(Files.readAllBytes(CpuLatencyHold.DEVICE)).order(ByteOrder.nativeOrder()).getInt();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
