package io.pirt.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.threading.RealtimeConfig;
import io.pirt.threading.SchedulingMode;
import io.pirt.threading.Thread;
import org.junit.jupiter.api.Test;

class SupervisorPrioritiesTest {
    @Test
    void everyRuntimeLevelIsAboveEveryApplicationLevelOfEachBuiltInBoard() {
        BoardProfiles builtIn = BoardProfiles.builtIn();
        for (BoardProfile p : builtIn.all()) {
            RealtimeConfig runtime = SupervisorPriorities.above(p.realtime(), RealtimeConfig.defaults());
            int applicationTop = Math.max(p.realtime().fifoPriority(Thread.PRIO_HIGHEST),
                    RealtimeConfig.DEFAULT_FIFO_PRIORITIES[Thread.PRIO_HIGHEST - 1]);
            for (int level = Thread.PRIO_LOWEST; level <= Thread.PRIO_HIGHEST; level++) {
                assertTrue(runtime.fifoPriority(level) > applicationTop, p.id() + " level " + level + ": " + runtime);
            }
            assertArrayEquals(new int[] {41, 42, 43, 44, 45, 46, 47}, runtime.fifoPriorities(), p.id());
            assertEquals(0, runtime.cpus().length, p.id() + ": the runtime's threads are not pinned to the application's CPU");
            assertEquals(47, SupervisorPriorities.limit(p.realtime()), p.id() + ": the unit's LimitRTPRIO");
        }
    }

    @Test
    void theApplicationIsHandedTheProfilesTableCpusAndCpuLatencyAsThreadingReadsThem() {
        io.pirt.boards.RealtimeTable table = BoardProfiles.builtIn().get("rpi-4b").realtime();
        java.util.Map<String, String> props = BoardRuntime.realtimeProperties(table);
        assertEquals(java.util.Map.of("pirt.rt.priorities", "10,15,20,25,30,35,40", "pirt.rt.cpus", "3", "pirt.rt.dmaLatency", "0"), props);
        String[] before = {System.getProperty("pirt.rt.priorities"), System.getProperty("pirt.rt.cpus"), System.getProperty("pirt.rt.dmaLatency")};
        try { // read back the way the application's threading reads them
            props.forEach(System::setProperty);
            RealtimeConfig read = RealtimeConfig.fromSystemProperties();
            assertArrayEquals(table.fifoPriorities(), read.fifoPriorities());
            assertArrayEquals(new int[] {3}, read.cpus());
            assertEquals(0, read.dmaLatencyUs());
        } finally {
            String[] names = {"pirt.rt.priorities", "pirt.rt.cpus", "pirt.rt.dmaLatency"};
            for (int i = 0; i < names.length; i++) {
                if (before[i] == null) System.clearProperty(names[i]);
                else System.setProperty(names[i], before[i]);
            }
        }
    }

    @Test
    void theRuntimeJvmsModeAndMemoryLockingAreKept() {
        RealtimeConfig wanted = new RealtimeConfig(SchedulingMode.NONE, RealtimeConfig.DEFAULT_FIFO_PRIORITIES, new int[] {3}, true);
        RealtimeConfig runtime = SupervisorPriorities.above(BoardProfiles.builtIn().get("rpi-4b").realtime(), wanted);
        assertEquals(SchedulingMode.NONE, runtime.mode());
        assertTrue(runtime.lockMemory());
        assertEquals(0, runtime.cpus().length);
    }
}
