package io.pirt.hal.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.Mockito.mock;

import com.pi4j.context.Context;
import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.hal.Board;
import io.pirt.hal.Edge;
import io.pirt.hal.EdgeWatch;
import io.pirt.hal.GpioPin;
import io.pirt.hal.PinMode;
import io.pirt.threading.RealtimeConfig;
import io.pirt.threading.SchedulingMode;
import io.pirt.threading.Thread;
import io.pirt.threading.Threading;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole path of an edge on a real board's backend, with a pipe standing in for the
 * kernel's event queue of the line: Board, GpioPin.onEdge, Pi4jGpio, the callback. The
 * callback thread itself waits on the line and gets the kernel's timestamp; no other thread
 * of the process reads the line; dropped events are reported with the pin's name.
 */
@Timeout(30)
class EdgePathTest {
    private static final BoardProfile PI4 = BoardProfiles.builtIn().get("rpi-4b");
    private static final String CHIP = "gpiochip0 [pinctrl-bcm2711] (58 lines)";

    private PipeChip chip;
    private Board board;
    private GpioPin pin;
    /** What each callback saw: (active, nanos, thread). */
    private final BlockingQueue<Object[]> seen = new ArrayBlockingQueue<>(1000);

    @BeforeEach
    void open() {
        chip = new PipeChip();
        board = Board.open(PI4, new Pi4jGpio(CHIP, mock(Context.class), chip));
        chip.level = true; // a pulled-up button, not pressed
        pin = board.pin("D17", PinMode.INPUT_PULLUP);
    }

    @AfterEach
    void close() {
        board.close();
        chip.closeWriteEnds();
    }

    private Object[] next() throws InterruptedException {
        Object[] e = seen.poll(5, TimeUnit.SECONDS);
        assertTrue(e != null, "no edge callback within 5 s");
        return e;
    }

    private EdgeWatch watchBothEdges() {
        return pin.onEdge(Edge.BOTH, 0, (active, nanos) -> seen.add(new Object[] {active, nanos, Thread.current()}));
    }

    @Test
    void theCallbackThreadReadsTheLineAndGetsTheKernelsTimestamp() throws Exception {
        EdgeWatch watch = watchBothEdges();
        awaitWaitingOnTheLine(watch);
        chip.send(17, false, 4_000_000_001L, 1);
        Object[] press = next();
        assertEquals(false, press[0]);
        assertEquals(4_000_000_001L, press[1], "the kernel's timestamp reaches the callback unchanged");
        assertEquals(watch.thread(), press[2]);
        chip.send(17, true, 4_020_000_000L, 2);
        assertEquals(4_020_000_000L, next()[1]);

        List<String> readers = new ArrayList<>();
        for (Map.Entry<java.lang.Thread, StackTraceElement[]> t : java.lang.Thread.getAllStackTraces().entrySet()) {
            for (StackTraceElement f : t.getValue()) {
                if (f.getClassName().equals(LineEvents.class.getName())) {
                    readers.add(t.getKey().getName());
                    break;
                }
            }
            assertFalse(t.getKey().getName().startsWith("Pi4J"), "a Pi4J thread runs: " + t.getKey().getName());
        }
        assertEquals(List.of("gpio-D17"), readers, "only the callback thread waits on the line");
    }

    @Test
    void eventsTheKernelDroppedAreReportedWithThePinsName() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            EdgeWatch watch = watchBothEdges();
            awaitWaitingOnTheLine(watch);
            chip.send(17, false, 10L, 1, true, 40L, 4); // the kernel's queue overflowed: 2 and 3 are gone
            assertEquals(10L, next()[1]);
            assertEquals(40L, next()[1]);
        } finally {
            System.setErr(err);
        }
        assertEquals("pirt: pin D17: 2 level changes dropped (callback too slow)" + System.lineSeparator(),
                captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void closingTheWatchStopsItsThreadPromptlyAndTheLineStaysOpen() throws Exception {
        EdgeWatch watch = watchBothEdges();
        awaitWaitingOnTheLine(watch);
        long start = System.nanoTime();
        watch.close();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertFalse(watch.thread().isAlive(), "the callback thread still runs after close");
        assertTrue(ms < LineEvents.INTERRUPT_CHECK_MS, "close took " + ms + " ms: woken by the pipe, not by the interrupt check");
        assertTrue(pin.read(), "the pin is still open");
        chip.send(17, false, 50L, 1); // pressed while nobody watches: queued, and discarded by the next watch
        chip.level = false;

        watchBothEdges();
        chip.send(17, true, 60L, 2);
        Object[] e = next();
        assertEquals(true, e[0]);
        assertEquals(60L, e[1], "the edge before the second watch was discarded");
    }

    @Test
    void theThreadReadingTheLineRunsAtTheCallbacksRealtimePriority() throws Exception {
        assumeTrue(Threading.schedulingMode() == SchedulingMode.FIFO,
                "SCHED_FIFO is not permitted for this process: " + Threading.schedulingDescription());
        EdgeWatch watch = pin.onEdge(Edge.FALLING, 0, Thread.PRIO_HIGH, (active, nanos) -> seen.add(new Object[] {
                active, nanos, Thread.current(), schedOf(Thread.current().getIdent())}));
        awaitWaitingOnTheLine(watch);
        chip.send(17, false, 70L, 1);
        Object[] e = next();
        int[] sched = (int[]) e[3];
        assertEquals(1, sched[0], "SCHED_FIFO");
        assertEquals(RealtimeConfig.fromSystemProperties().fifoPriority(Thread.PRIO_HIGH), sched[1], "rt_priority of PRIO_HIGH");
        assertEquals(watch.thread(), e[2]);
        System.out.println("EdgePathTest: threads of this process: " + threadList());
    }

    @Test
    void anEdgeAllocatesLittleOnTheCallbackThread() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        EdgeWatch watch = pin.onEdge(Edge.BOTH, 0, (active, nanos) -> seen.add(new Object[] {
                active, nanos, threads.getCurrentThreadAllocatedBytes()}));
        awaitWaitingOnTheLine(watch);
        int edges = 200;
        long first = 0, last = 0;
        for (int i = 1; i <= edges; i++) { // one edge at a time: one poll and one read each, the worst case
            chip.send(17, i % 2 == 0, 1000L + i, i);
            Object[] e = next();
            if (i == 1) first = (Long) e[2];
            last = (Long) e[2];
        }
        long perEdge = (last - first) / (edges - 1);
        System.out.println("EdgePathTest: " + perEdge + " bytes allocated per edge on the callback thread (JNA calls poll and read)");
        assertTrue(perEdge < 4096, perEdge + " bytes per edge");
    }

    /** Waits until the pin's callback thread is inside LineEvents.take: watching the line. */
    private static void awaitWaitingOnTheLine(EdgeWatch watch) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (Map.Entry<java.lang.Thread, StackTraceElement[]> t : java.lang.Thread.getAllStackTraces().entrySet()) {
                if (!t.getKey().getName().equals(watch.thread().getName())) continue;
                for (StackTraceElement f : t.getValue()) {
                    if (f.getClassName().equals(LineEvents.class.getName()) && f.getMethodName().equals("take")) return;
                }
            }
            java.lang.Thread.onSpinWait();
        }
        throw new AssertionError("the callback thread never waited on the line");
    }

    /** The policy (proc(5) field 41) and rt_priority (field 40) of thread {@code tid}. */
    private static int[] schedOf(int tid) {
        String[] f = fieldsAfterName(tid);
        return new int[] {Integer.parseInt(f[41 - 3]), Integer.parseInt(f[40 - 3])};
    }

    private static String[] fieldsAfterName(int tid) {
        try {
            String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException e) {
            throw new AssertionError("thread " + tid + " has no /proc entry", e);
        }
    }

    /** "name policy priority" of each thread of this process at SCHED_FIFO, as ps -L -o comm,cls,rtprio shows them. */
    private static String threadList() throws IOException {
        List<String> fifo = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String name = Files.readString(task.resolve("comm")).strip();
                String[] f = fieldsAfterName(Integer.parseInt(task.getFileName().toString()));
                if (f[41 - 3].equals("1")) fifo.add(name + " FIFO " + f[40 - 3]);
            }
        }
        return fifo.toString();
    }
}
