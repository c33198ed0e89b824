package io.pirt.bench;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.I2cBusSpec;
import io.pirt.hal.Board;
import io.pirt.hal.Buses;
import io.pirt.hal.HalException;
import io.pirt.hal.I2cBus;
import io.pirt.hal.linux.KernelBuses;
import io.pirt.hal.sim.SimulatedBuses;
import io.pirt.hal.sim.Wiring;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * I2C write-then-read transactions (write a register pointer, read a 16-bit word: a TMP102's
 * temperature) per second and their latency, at three layers of the same bus:
 * <ol>
 * <li>{@code readRegisterWord}: the shorthand an application writes, which allocates its buffers
 * (unless the JIT finds they do not escape: the bytes/tx column says);
 * <li>{@code I2cBus.transfer}: the API's allocation-free transaction;
 * <li>the backend alone ({@code Buses.I2cTransfers.transfer}): on a Raspberry Pi the
 *     {@code I2C_RDWR} ioctl through JNA, on the virtual board the simulated device.
 * </ol>
 * The difference between 2 and 3 is the API's own cost above the kernel call. Rounds of the
 * three alternate so that drift in the machine's speed spreads over all of them; the median
 * round is reported.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp realtime-bench/target/realtime-bench.jar \
 *     io.pirt.bench.I2cTransactions [TRANSACTIONS [BUS ADDRESS REGISTER]]
 * </pre>
 *
 * On the virtual board it wires a TMP102 at 0x48 on i2c-1 itself; on a Raspberry Pi it
 * talks to whatever device answers at ADDRESS (default 0x48, register 0x00).
 */
public final class I2cTransactions {
    private static final int ROUNDS = 5;
    private static final long TIMEOUT_MS = I2cBus.DEFAULT_TIMEOUT_MS;

    private I2cTransactions() {
    }

    /** One layer's transaction, timed as a whole; returns what it read, so the JIT cannot drop the read. */
    private interface Layer {
        int once();
    }

    /** The sum of everything read, printed at the end: the results are used. */
    private static long checksum;

    public static void main(String[] args) throws Exception {
        int transactions = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        String busName = args.length > 3 ? args[1] : "i2c-1";
        int address = args.length > 3 ? Integer.decode(args[2]) : 0x48;
        int register = args.length > 3 ? Integer.decode(args[3]) : 0x00;

        Board board = Board.current();
        BoardProfile profile = board.profile();
        I2cBusSpec spec = profile.findI2cBus(busName)
                .orElseThrow(() -> new HalException("board " + profile.id() + " has no I2C bus " + busName));
        Buses backend;
        if (board.simulatedBuses().isPresent()) { // the virtual board: wire the sensor in software
            board.close();
            Path wiring = Files.createTempFile("i2c-bench", ".wiring");
            Files.writeString(wiring, "tmp102 " + busName + " " + String.format("0x%02x", address) + "\n");
            board = Board.open(profile, Optional.of(wiring));
            backend = new SimulatedBuses(profile, Wiring.load(wiring, profile));
            Files.delete(wiring);
        } else {
            backend = KernelBuses.open(Path.of("/"));
        }
        System.out.printf("board %s, %s (%s), device 0x%02x register 0x%02x, %d transactions per layer and round, %d rounds%n",
                profile.id(), busName, spec.device(), address, register, transactions, ROUNDS);

        I2cBus bus = board.i2c(busName);
        Buses.I2cTransfers raw = backend.openI2c(spec);
        byte[] pointer = {(byte) register};
        byte[] word = new byte[2];
        List<String> names = List.of("readRegisterWord", "I2cBus.transfer", "backend alone");
        Layer[] layers = {
            () -> bus.readRegisterWord(address, register),
            () -> {
                bus.transfer(address, pointer, word, TIMEOUT_MS);
                return word[0] + word[1];
            },
            () -> {
                raw.transfer(address, pointer, word, TIMEOUT_MS);
                return word[0] + word[1];
            },
        };
        for (Layer l : layers) run(l, Math.min(transactions, 50_000), null); // warm-up: compile the paths

        double[][] nanosPerTx = new double[layers.length][ROUNDS];
        double[][] bytesPerTx = new double[layers.length][ROUNDS];
        Histogram[] latency = new Histogram[layers.length];
        for (int i = 0; i < layers.length; i++) latency[i] = new Histogram(TimeUnit.SECONDS.toNanos(1), 3);
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < layers.length; i++) {
                long allocatedBefore = allocatedBytes();
                long start = System.nanoTime();
                run(layers[i], transactions, null);
                long elapsed = System.nanoTime() - start;
                bytesPerTx[i][round] = (double) (allocatedBytes() - allocatedBefore) / transactions;
                nanosPerTx[i][round] = (double) elapsed / transactions;
                run(layers[i], Math.max(1, transactions / 10), latency[i]); // timed one by one, apart from the rate
            }
        }

        System.out.println();
        System.out.printf("%-30s %12s %10s %10s %10s %10s %10s %12s%n", "layer", "tx/s", "ns/tx", "p50 µs", "p99 µs", "p99.9 µs",
                "max µs", "bytes/tx");
        double[] median = new double[layers.length];
        for (int i = 0; i < layers.length; i++) {
            median[i] = median(nanosPerTx[i]);
            Histogram h = latency[i];
            System.out.printf(Locale.ROOT, "%-30s %12.0f %10.1f %10.2f %10.2f %10.2f %10.2f %12.1f%n", names.get(i), 1e9 / median[i], median[i],
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
                    h.getMaxValue() / 1e3, median(bytesPerTx[i]));
        }
        System.out.printf(Locale.ROOT, "%nthe API above the backend: %.1f ns per transaction (I2cBus.transfer / backend alone = %.2fx);"
                + " readRegisterWord / backend alone = %.2fx%n", median[1] - median[2], median[1] / median[2], median[0] / median[2]);
        System.out.println("(checksum of what was read: " + checksum + ")");
        raw.close();
        backend.close();
        board.close();
    }

    /** Runs {@code n} transactions; records each one's time into {@code latency} if given. */
    private static void run(Layer layer, int n, Histogram latency) {
        long sum = 0;
        if (latency == null) {
            for (int k = 0; k < n; k++) sum += layer.once();
        } else {
            for (int k = 0; k < n; k++) {
                long t0 = System.nanoTime();
                sum += layer.once();
                latency.recordValue(Math.min(System.nanoTime() - t0, latency.getHighestTrackableValue()));
            }
        }
        checksum += sum;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    /** The bytes this thread has allocated on the heap so far (HotSpot's per-thread counter). */
    private static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return threads.getCurrentThreadAllocatedBytes();
    }
}
