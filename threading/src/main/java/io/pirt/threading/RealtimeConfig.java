package io.pirt.threading;

import java.util.Arrays;

/**
 * How priority levels map onto Linux scheduling, handed to this package by whoever starts
 * the process (the runtime takes it from the board profile).
 *
 * <p>{@code fifoPriorities[level - 1]} is the SCHED_FIFO priority (1..99) of level
 * {@code level} ({@link Thread#PRIO_LOWEST}..{@link Thread#PRIO_HIGHEST}), strictly
 * increasing. {@code cpus} is the CPU set real-time threads are pinned to (empty: no
 * pinning). {@code lockMemory} asks for {@code mlockall(MCL_CURRENT | MCL_FUTURE)} so page
 * faults cannot stall a real-time thread. {@code mode} is the mode wanted: null picks the
 * best the process may use (FIFO, else NICE, else NONE). {@code dmaLatencyUs} is the CPU
 * wake-up latency, in microseconds, the process asks of power management through
 * {@code /dev/cpu_dma_latency} while any of its threads runs at SCHED_FIFO (0, the default,
 * keeps idle CPUs out of deep sleep states, as cyclictest does; negative: not asked).
 *
 * <p>From system properties ({@link #fromSystemProperties()}): {@code pirt.scheduling}
 * ({@code auto}, {@code fifo}, {@code nice}, {@code none}), {@code pirt.rt.priorities}
 * (seven comma-separated numbers), {@code pirt.rt.cpus} (comma-separated CPU numbers),
 * {@code pirt.rt.lockMemory} ({@code true}/{@code false}) and {@code pirt.rt.dmaLatency}
 * (microseconds, or {@code off}).
 */
public record RealtimeConfig(SchedulingMode mode, int[] fifoPriorities, int[] cpus, boolean lockMemory, int dmaLatencyUs) {
    /** SCHED_FIFO 10..40: above ordinary threads, below the kernel's interrupt threads (50). */
    public static final int[] DEFAULT_FIFO_PRIORITIES = {10, 15, 20, 25, 30, 35, 40};

    /**
     * @throws IllegalArgumentException if the table has not 7 strictly increasing entries in 1..99,
     *     or a CPU number is negative
     */
    public RealtimeConfig {
        fifoPriorities = fifoPriorities.clone();
        cpus = cpus.clone();
        if (fifoPriorities.length != Thread.PRIO_HIGHEST) {
            throw new IllegalArgumentException("the priority table needs " + Thread.PRIO_HIGHEST
                    + " entries (PRIO_LOWEST..PRIO_HIGHEST), got " + fifoPriorities.length);
        }
        for (int i = 0; i < fifoPriorities.length; i++) {
            if (fifoPriorities[i] < 1 || fifoPriorities[i] > 99) {
                throw new IllegalArgumentException("SCHED_FIFO priority " + fifoPriorities[i] + " for level " + (i + 1) + " is outside 1..99");
            }
            if (i > 0 && fifoPriorities[i] <= fifoPriorities[i - 1]) {
                throw new IllegalArgumentException("the priority table must increase strictly with the level: " + Arrays.toString(fifoPriorities));
            }
        }
        for (int cpu : cpus) {
            if (cpu < 0 || cpu >= 1024) throw new IllegalArgumentException("CPU number " + cpu + " is outside 0..1023");
        }
    }

    /** The CPU latency asked while SCHED_FIFO threads run, unless configured otherwise. */
    public static final int DEFAULT_DMA_LATENCY_US = 0;
    /** {@code dmaLatencyUs} meaning "do not ask power management for anything". */
    public static final int DMA_LATENCY_OFF = -1;

    /** As the full constructor, with the CPU latency held at {@value #DEFAULT_DMA_LATENCY_US} µs while FIFO threads run. */
    public RealtimeConfig(SchedulingMode mode, int[] fifoPriorities, int[] cpus, boolean lockMemory) {
        this(mode, fifoPriorities, cpus, lockMemory, DEFAULT_DMA_LATENCY_US);
    }

    /** The defaults: best mode available, SCHED_FIFO 10..40, no pinning, no memory locking. */
    public static RealtimeConfig defaults() {
        return new RealtimeConfig(null, DEFAULT_FIFO_PRIORITIES, new int[0], false);
    }

    /**
     * The configuration the system properties describe (see the class comment), defaults for
     * those not given.
     *
     * @throws IllegalArgumentException naming the property whose value is wrong
     */
    public static RealtimeConfig fromSystemProperties() {
        String mode = System.getProperty("pirt.scheduling", "auto").trim().toLowerCase(java.util.Locale.ROOT);
        SchedulingMode wanted = switch (mode) {
            case "auto" -> null;
            case "fifo" -> SchedulingMode.FIFO;
            case "nice" -> SchedulingMode.NICE;
            case "none" -> SchedulingMode.NONE;
            default -> throw new IllegalArgumentException("pirt.scheduling=" + mode + ": expected auto, fifo, nice or none");
        };
        int[] table = numbers("pirt.rt.priorities", DEFAULT_FIFO_PRIORITIES);
        int[] cpus = numbers("pirt.rt.cpus", new int[0]);
        boolean lock = Boolean.parseBoolean(System.getProperty("pirt.rt.lockMemory", "false").trim());
        int dmaLatency = dmaLatency(System.getProperty("pirt.rt.dmaLatency", String.valueOf(DEFAULT_DMA_LATENCY_US)).trim());
        try {
            return new RealtimeConfig(wanted, table, cpus, lock, dmaLatency);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pirt.rt.* system properties: " + e.getMessage(), e);
        }
    }

    private static int dmaLatency(String v) {
        if (v.equalsIgnoreCase("off")) return DMA_LATENCY_OFF;
        try {
            int us = Integer.parseInt(v);
            if (us >= 0) return us;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("pirt.rt.dmaLatency=" + v + ": expected microseconds (0 or more) or off", e);
        }
        throw new IllegalArgumentException("pirt.rt.dmaLatency=" + v + ": expected microseconds (0 or more) or off");
    }

    private static int[] numbers(String property, int[] fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Arrays.stream(v.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + "=" + v + ": expected comma-separated whole numbers", e);
        }
    }

    /** The SCHED_FIFO priority of {@code level}. */
    public int fifoPriority(int level) {
        return fifoPriorities[level - 1];
    }

    @Override
    public int[] fifoPriorities() {
        return fifoPriorities.clone();
    }

    @Override
    public int[] cpus() {
        return cpus.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RealtimeConfig c && c.mode == mode && Arrays.equals(c.fifoPriorities, fifoPriorities)
                && Arrays.equals(c.cpus, cpus) && c.lockMemory == lockMemory && c.dmaLatencyUs == dmaLatencyUs;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fifoPriorities) * 31 + Arrays.hashCode(cpus) + (lockMemory ? 1 : 0) + java.util.Objects.hashCode(mode) + 7 * dmaLatencyUs;
    }

    @Override
    public String toString() {
        return "RealtimeConfig[mode=" + (mode == null ? "auto" : mode) + ", fifo=" + Arrays.toString(fifoPriorities)
                + ", cpus=" + Arrays.toString(cpus) + ", lockMemory=" + lockMemory
                + ", dmaLatency=" + (dmaLatencyUs < 0 ? "off" : dmaLatencyUs + " µs") + "]";
    }
}
