package io.pirt.bench;

import io.pirt.threading.RealtimeConfig;
import io.pirt.threading.Thread;
import io.pirt.threading.Threading;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * cyclictest for a pirt thread: a thread at a pirt priority level wakes every
 * {@code --interval-us} on absolute deadlines and records how late each wake-up was.
 *
 * <p>Prints, on standard output, comment lines starting with {@code #} (the scheduling mode
 * pirt chose, the JVM, what the measuring thread really ran at, garbage collections) and one
 * line {@code RESULT tool=pirt samples=.. min_us=.. avg_us=.. p99_us=.. p999_us=.. max_us=..
 * ...} (see {@link LatencySummary}). With {@code --histogram-out PREFIX} also writes
 * PREFIX.hgrm and PREFIX.hlog (see {@link HistogramFiles}).
 *
 * <p>With {@code --alloc-mb-per-s} a second pirt thread allocates that much garbage meanwhile
 * (see {@link GarbageMaker}), so that the garbage collector's pauses show in the latencies.
 *
 * <p>Like cyclictest it asks for a 0 µs PM QoS CPU latency through
 * {@code /dev/cpu_dma_latency} for the run ({@code --pm-qos-us -1} leaves it alone).
 *
 * <p>Exit codes: 0 measured; 1 the measurement failed (the measuring thread threw, a file
 * could not be written); 2 usage.
 */
@Command(name = "cyclic-latency", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Wake-up latency of a pirt thread on an absolute period, in the manner of rt-tests' cyclictest.")
public final class CyclicLatency implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--loops", description = "Wake-ups measured (default: ${DEFAULT-VALUE}, 20 s at 1 ms).")
    long loops = 20_000;

    @Option(names = "--interval-us", description = "Period in microseconds (default: ${DEFAULT-VALUE}).")
    long intervalUs = 1000;

    @Option(names = "--warmup-loops", description = "Wake-ups before the measured ones, not recorded (default: ${DEFAULT-VALUE}).")
    long warmupLoops = 1000;

    @Option(names = "--priority-level", description = "pirt priority level 1 (PRIO_LOWEST) .. 7 (PRIO_HIGHEST) of the measuring thread (default: ${DEFAULT-VALUE}).")
    int priorityLevel = Thread.PRIO_HIGHEST;

    @Option(names = "--cpu", split = ",", paramLabel = "N",
            description = "Pin the real-time threads to these CPUs (RealtimeConfig cpus; default: pirt.rt.cpus, else no pinning).")
    int[] cpus;

    @Option(names = "--lock-memory", description = "mlockall(MCL_CURRENT | MCL_FUTURE) (RealtimeConfig lockMemory; default: pirt.rt.lockMemory).")
    boolean lockMemory;

    @Option(names = "--pm-qos-us", description = "CPU latency asked of power management through /dev/cpu_dma_latency while measuring, "
            + "as cyclictest does; negative: leave it alone (default: ${DEFAULT-VALUE}).")
    int pmQosUs = 0;

    @Option(names = "--alloc-mb-per-s", description = "Garbage a second thread allocates meanwhile, in MB/s, as an application would "
            + "(0: none; default: ${DEFAULT-VALUE}).")
    long allocMbPerS = 0;

    @Option(names = "--alloc-retained-mb", description = "Of that garbage, the latest this many MB stay reachable (default: ${DEFAULT-VALUE}).")
    long allocRetainedMb = 16;

    @Option(names = "--alloc-priority-level", description = "pirt priority level of the allocating thread (default: ${DEFAULT-VALUE}, PRIO_NORMAL).")
    int allocPriorityLevel = Thread.PRIO_NORMAL;

    @Option(names = "--periodic", description = "Sleep with pirt's Periodic (clock_nanosleep to absolute deadlines) "
            + "instead of parking on the JVM until each deadline.")
    boolean periodic;

    @Option(names = "--histogram-out", paramLabel = "PREFIX", description = "Also write PREFIX.hgrm (percentiles in µs) and PREFIX.hlog (the histogram).")
    Path histogramOut;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CyclicLatency()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (loops <= 0 || intervalUs <= 0 || warmupLoops < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--loops and --interval-us must be > 0 and --warmup-loops >= 0 (got "
                    + loops + ", " + intervalUs + ", " + warmupLoops + ")");
        }
        for (int level : new int[] {priorityLevel, allocPriorityLevel}) {
            if (level < Thread.PRIO_LOWEST || level > Thread.PRIO_HIGHEST) {
                throw new CommandLine.ParameterException(spec.commandLine(), "priority level " + level + " is outside "
                        + Thread.PRIO_LOWEST + " .. " + Thread.PRIO_HIGHEST);
            }
        }
        if (allocMbPerS < 0 || allocRetainedMb < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--alloc-mb-per-s and --alloc-retained-mb must be >= 0");
        }
        RealtimeConfig properties = RealtimeConfig.fromSystemProperties();
        Threading.configureRealtime(new RealtimeConfig(properties.mode(), properties.fifoPriorities(),
                cpus != null ? cpus : properties.cpus(), lockMemory || properties.lockMemory(),
                pmQosUs < 0 ? RealtimeConfig.DMA_LATENCY_OFF : pmQosUs)); // pirt's own hold agrees with --pm-qos-us
        out.println("# " + Threading.schedulingDescription());
        out.println("# jvm: " + System.getProperty("java.vm.name") + " " + Runtime.version() + ", gc: " + gcNames()
                + ", flags: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        out.flush();

        WakeupLatencyRecorder recorder = new WakeupLatencyRecorder();
        Measurement m = new Measurement(recorder, loops, warmupLoops, intervalUs * 1000, periodic);
        out.println("# sleep: " + (periodic ? "io.pirt.threading.Periodic (clock_nanosleep, TIMER_ABSTIME)" : "LockSupport.parkNanos to each absolute deadline"));
        long[] gcBefore = gcPauses();
        Thread thread = new Thread(m, "pirt-cyclic-latency");
        GarbageMaker garbage = allocMbPerS > 0 ? new GarbageMaker(allocMbPerS * 1_000_000, allocRetainedMb * 1_000_000) : null;
        Thread allocator = garbage != null ? new Thread(garbage, "pirt-garbage-maker") : null;
        try (PmQos qos = PmQos.request(pmQosUs)) {
            out.println("# pm qos: " + qos.description());
            out.flush();
            if (allocator != null) allocator.start(allocPriorityLevel);
            thread.start(priorityLevel);
            thread.join();
        } finally {
            if (allocator != null) {
                garbage.stop();
                allocator.join();
            }
        }
        if (allocator != null) {
            out.println("# allocating thread: " + garbage.allocatedBytes() / 1_000_000 + " MB allocated at level " + allocPriorityLevel
                    + (allocator.getExc() != null ? ", then it failed: " + allocator.getExc() : ""));
        }
        if (thread.getExc() != null) {
            spec.commandLine().getErr().println("cyclic-latency: the measuring thread failed: " + thread.getExc());
            return 1;
        }
        long[] gcAfter = gcPauses();
        long gcPausesDuring = gcAfter[0] - gcBefore[0], gcPauseMsDuring = gcAfter[1] - gcBefore[1];
        out.println("# measuring thread: " + m.schedulingSeen + ", allocated " + m.allocatedBytes + " bytes and took "
                + m.pageFaults.minor() + " minor, " + m.pageFaults.major() + " major page faults in the measured loop");
        out.println("# gc during the run: " + gcPausesDuring + " pauses, " + gcPauseMsDuring + " ms (since JVM start: " + gcCounts() + ")");
        out.println("RESULT tool=pirt " + recorder.summary().toPairs()
                + " skipped=" + recorder.skippedPeriods()
                + " level=" + priorityLevel
                + " " + m.schedulingSeen
                + " alloc_mb_per_s=" + allocMbPerS
                + " gc_pauses=" + gcPausesDuring
                + " gc_pause_ms=" + gcPauseMsDuring
                + " loop_alloc_bytes=" + m.allocatedBytes
                + " loop_minflt=" + m.pageFaults.minor()
                + " loop_majflt=" + m.pageFaults.major());
        if (histogramOut != null) HistogramFiles.write(recorder.histogram(), histogramOut);
        out.flush();
        return 0;
    }

    /** What the measuring thread runs: read its real scheduling, then measure, counting what the loop allocates. */
    private static final class Measurement implements Runnable {
        private final WakeupLatencyRecorder recorder;
        private final long loops, warmupLoops, periodNs;
        private final boolean periodic;
        /** Written by the measuring thread, read after join (join gives happens-before). */
        String schedulingSeen = "policy=? rtprio=? cpus=?";
        long allocatedBytes = -1;
        /** Page faults the measuring thread took in the measured loop. */
        ThreadPageFaults pageFaults = new ThreadPageFaults(-1, -1);

        Measurement(WakeupLatencyRecorder recorder, long loops, long warmupLoops, long periodNs, boolean periodic) {
            this.recorder = recorder;
            this.periodic = periodic;
            this.loops = loops;
            this.warmupLoops = warmupLoops;
            this.periodNs = periodNs;
        }

        @Override
        public void run() {
            schedulingSeen = OwnScheduling.describe();
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            // Warm-up apart, so the count below is the steady state: a thread's first park allocates
            // (200 bytes on JDK 25), as does the first call of getCurrentThreadAllocatedBytes.
            measure(0, warmupLoops);
            ThreadPageFaults faultsBefore = ThreadPageFaults.ofCallingThread();
            threads.getCurrentThreadAllocatedBytes();
            long before = threads.getCurrentThreadAllocatedBytes();
            measure(loops, 0);
            long after = threads.getCurrentThreadAllocatedBytes();
            pageFaults = ThreadPageFaults.ofCallingThread().since(faultsBefore);
            allocatedBytes = before < 0 || after < 0 ? -1 : after - before;
        }

        private void measure(long measured, long warmup) {
            if (periodic) recorder.runPeriodic(measured, warmup, periodNs);
            else recorder.run(measured, warmup, periodNs);
        }
    }

    /**
     * Collector beans that count stop-the-world pauses: all of them but ZGC's "Cycles" beans, whose
     * collections are concurrent (ZGC counts its pauses in the "Pauses" beans beside them).
     */
    private static List<GarbageCollectorMXBean> pauseBeans() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().filter(b -> !b.getName().endsWith("Cycles")).toList();
    }

    /** {pauses, milliseconds paused} so far. */
    private static long[] gcPauses() {
        long count = 0, ms = 0;
        for (GarbageCollectorMXBean b : pauseBeans()) {
            count += Math.max(0, b.getCollectionCount());
            ms += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, ms};
    }

    private static String gcNames() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).collect(Collectors.joining("/"));
    }

    private static String gcCounts() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(b -> b.getName() + " " + b.getCollectionCount() + " (" + b.getCollectionTime() + " ms)").collect(Collectors.joining(", "));
    }

    /**
     * A PM QoS CPU latency request, held while open: the kernel keeps it as long as
     * /dev/cpu_dma_latency stays open (what cyclictest does by default).
     */
    private static final class PmQos implements AutoCloseable {
        private static final Path DEVICE = Path.of("/dev/cpu_dma_latency");
        private final OutputStream held;
        private final String description;

        private PmQos(OutputStream held, String description) {
            this.held = held;
            this.description = description;
        }

        static PmQos request(int latencyUs) {
            if (latencyUs < 0) return new PmQos(null, "left alone (--pm-qos-us < 0)");
            try {
                OutputStream o = Files.newOutputStream(DEVICE);
                o.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(latencyUs).array());
                o.flush();
                return new PmQos(o, DEVICE + " set to " + latencyUs + " us");
            } catch (IOException | SecurityException e) {
                return new PmQos(null, "NOT set: " + DEVICE + ": " + e.getMessage());
            }
        }

        String description() {
            return description;
        }

        @Override
        public void close() throws IOException {
            if (held != null) held.close();
        }
    }
}
