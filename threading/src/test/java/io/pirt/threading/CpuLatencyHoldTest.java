package io.pirt.threading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PM QoS request's bookkeeping, on an ordinary file in place of /dev/cpu_dma_latency. */
class CpuLatencyHoldTest {
    @TempDir
    Path dir;

    @Test
    void theFirstHolderWritesTheLatencyAsANativeIntAndTheLastOneClosesTheRequest() throws Exception {
        Path device = dir.resolve("cpu_dma_latency");
        List<String> reports = new ArrayList<>();
        CpuLatencyHold hold = new CpuLatencyHold(device, 7, reports::add);
        hold.acquire();
        hold.acquire();
        assertTrue(hold.held());
        assertArrayEquals(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(7).array(), Files.readAllBytes(device),
                "written once, by the first holder");
        hold.release();
        assertTrue(hold.held(), "one holder is left");
        hold.release();
        assertFalse(hold.held());
        assertThrows(IllegalStateException.class, hold::release);
        assertEquals(List.of(), reports);
    }

    @Test
    void aDeviceThatCannotBeOpenedIsReportedAndNeverThrows() {
        List<String> reports = new ArrayList<>();
        CpuLatencyHold hold = new CpuLatencyHold(dir.resolve("no/such/device"), 0, reports::add);
        hold.acquire();
        assertFalse(hold.held());
        hold.release();
        assertEquals(1, reports.size(), reports.toString());
        assertTrue(reports.get(0).contains("pirt.rt.dmaLatency=off"), reports.get(0));
    }

    @Test
    void theSystemPropertyTakesMicrosecondsOrOff() {
        String before = System.getProperty("pirt.rt.dmaLatency");
        try {
            System.setProperty("pirt.rt.dmaLatency", "off");
            assertEquals(RealtimeConfig.DMA_LATENCY_OFF, RealtimeConfig.fromSystemProperties().dmaLatencyUs());
            System.setProperty("pirt.rt.dmaLatency", "12");
            assertEquals(12, RealtimeConfig.fromSystemProperties().dmaLatencyUs());
            System.setProperty("pirt.rt.dmaLatency", "-3");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, RealtimeConfig::fromSystemProperties);
            assertTrue(e.getMessage().contains("pirt.rt.dmaLatency=-3"), e.getMessage());
        } finally {
            if (before == null) System.clearProperty("pirt.rt.dmaLatency");
            else System.setProperty("pirt.rt.dmaLatency", before);
        }
        assertEquals(RealtimeConfig.DEFAULT_DMA_LATENCY_US, RealtimeConfig.defaults().dmaLatencyUs());
    }
}
