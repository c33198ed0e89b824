package io.pirt.bench;

import io.pirt.boards.BoardProfile;
import io.pirt.hal.Board;
import io.pirt.hal.Edge;
import io.pirt.hal.GpioPin;
import io.pirt.hal.PinMode;
import io.pirt.hal.sim.SimulatedGpio;
import io.pirt.hal.sim.Wiring;
import io.pirt.threading.Semaphore;
import io.pirt.threading.Thread;
import io.pirt.threading.Threading;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * GPIO write-to-callback latency and toggle rate: an output jumpered to an input (D17 to
 * D27 by default), an edge callback at PRIO_HIGHEST on the input. Phase 1 writes, waits for
 * the callback, and records the time from before the write to the callback; phase 2 toggles
 * as fast as it can and counts.
 *
 * <pre>
 * java -cp realtime-bench/target/realtime-bench.jar io.pirt.bench.GpioLatency [EDGES [OUT IN]]
 * </pre>
 *
 * On the virtual board it wires the jumper itself; on a Raspberry Pi connect OUT and IN
 * (header pins 11 and 13 for D17 and D27) with a wire.
 */
public final class GpioLatency {
    private GpioLatency() {
    }

    public static void main(String[] args) throws Exception {
        int edges = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String outName = args.length > 2 ? args[1] : "D17";
        String inName = args.length > 2 ? args[2] : "D27";
        Board board = Board.current();
        BoardProfile profile = board.profile();
        if (board.simulation().isPresent()) { // the simulated board: wire the jumper in software
            board.close();
            board = Board.open(profile, new SimulatedGpio(profile, Wiring.parse("gpio-latency", List.of("jumper " + outName + " " + inName), profile)));
        }
        System.out.println(Threading.schedulingDescription());
        System.out.printf("board %s, %s -> %s, %d edges%n", profile.id(), outName, inName, edges);

        GpioPin out = board.pin(outName, PinMode.OUTPUT);
        GpioPin in = board.pin(inName, PinMode.INPUT_PULLDOWN);
        Histogram latencyNanos = new Histogram(TimeUnit.SECONDS.toNanos(1), 3);
        Semaphore seen = new Semaphore(0);
        long[] writeStart = new long[1];
        boolean[] recording = new boolean[1];
        in.onEdge(Edge.BOTH, 0, Thread.PRIO_HIGHEST, (active, nanos) -> {
            if (recording[0]) latencyNanos.recordValue(Math.min(System.nanoTime() - writeStart[0], latencyNanos.getHighestTrackableValue()));
            seen.release();
        });

        long[] lost = new long[1];
        Thread writer = new Thread(() -> {
            for (int phase = 0; phase < 2; phase++) { // 0: warm-up, 1: recorded
                recording[0] = phase == 1;
                int n = phase == 0 ? Math.min(20_000, edges) : edges;
                for (int i = 0; i < n; i++) {
                    writeStart[0] = System.nanoTime();
                    out.toggle();
                    if (!seen.acquire(1_000)) lost[0]++;
                }
            }
        }, "gpio-writer");
        writer.start(Thread.PRIO_HIGH);
        writer.join();
        System.out.printf("write-to-callback latency (us): p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  (%d callbacks missing)%n",
                latencyNanos.getValueAtPercentile(50) / 1e3, latencyNanos.getValueAtPercentile(99) / 1e3,
                latencyNanos.getValueAtPercentile(99.9) / 1e3, latencyNanos.getMaxValue() / 1e3, lost[0]);

        long toggles = 0;
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < end) {
            out.toggle();
            toggles++;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("toggle rate: %.0f toggles/s (%d in %.2f s, callbacks not awaited)%n", toggles / seconds, toggles, seconds);
        board.close();
        System.exit(0);
    }
}
