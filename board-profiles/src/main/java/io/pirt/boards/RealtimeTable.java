package io.pirt.boards;

import java.util.List;

/**
 * How a board runs pirt's seven thread priority levels: the Linux {@code SCHED_FIFO}
 * priority of each level and the CPUs real-time threads are pinned to. Immutable.
 *
 * <p>Levels are numbered 1 ({@code PRIO_LOWEST}) to 7 ({@code PRIO_HIGHEST}). The loader
 * guarantees that the priorities strictly increase with the level and stay in 1..49,
 * below the kernel's threaded interrupt handlers at 50.
 */
public final class RealtimeTable {
    /** The number of pirt priority levels. */
    public static final int LEVELS = 7;

    /** Level names as profile files spell them, lowest first: index = level - 1. */
    static final List<String> LEVEL_NAMES = List.of(
            "PRIO_LOWEST", "PRIO_LOWER", "PRIO_LOW", "PRIO_NORMAL",
            "PRIO_HIGH", "PRIO_HIGHER", "PRIO_HIGHEST");

    /** Highest SCHED_FIFO priority a level may have: the threaded IRQs run at 50. */
    static final int MAX_FIFO_PRIORITY = 49;

    /** SCHED_FIFO priority of level i+1; length LEVELS, strictly increasing, each 1..49. */
    private final int[] fifoPriorityByLevel;

    /** CPUs for real-time threads, as the profile lists them; no repeats; empty = no pinning. */
    private final List<Integer> cpus;

    /** {@code dmaLatencyUs} when the profile says {@code off}. */
    public static final int DMA_LATENCY_OFF = -1;
    /** The CPU latency asked while real-time threads run when the profile does not say. */
    public static final int DEFAULT_DMA_LATENCY_US = 0;

    /** µs of CPU wake-up latency asked of power management while real-time threads run; {@link #DMA_LATENCY_OFF}: none. */
    private final int dmaLatencyUs;

    RealtimeTable(int[] fifoPriorityByLevel, List<Integer> cpus, int dmaLatencyUs) {
        this.fifoPriorityByLevel = fifoPriorityByLevel.clone();
        this.cpus = List.copyOf(cpus);
        this.dmaLatencyUs = dmaLatencyUs;
    }

    /**
     * The CPU wake-up latency, in microseconds, an application asks of power management
     * ({@code /dev/cpu_dma_latency}) while its real-time threads run: {@code realtime.dmaLatency},
     * {@value #DEFAULT_DMA_LATENCY_US} when the profile does not say, {@link #DMA_LATENCY_OFF}
     * for {@code off}.
     */
    public int dmaLatencyUs() {
        return dmaLatencyUs;
    }

    /** The SCHED_FIFO priorities of levels 1..7, lowest first. */
    public int[] fifoPriorities() {
        return fifoPriorityByLevel.clone();
    }

    /**
     * The SCHED_FIFO priority of a pirt level.
     *
     * @param level 1 ({@code PRIO_LOWEST}) to 7 ({@code PRIO_HIGHEST})
     * @throws IllegalArgumentException if {@code level} is outside 1..7
     */
    public int fifoPriority(int level) {
        return fifoPriorityByLevel[checkLevel(level) - 1];
    }

    /**
     * The name of a level as profile files spell it, e.g. {@code PRIO_NORMAL} for 4.
     *
     * @throws IllegalArgumentException if {@code level} is outside 1..7
     */
    public static String levelName(int level) {
        return LEVEL_NAMES.get(checkLevel(level) - 1);
    }

    /** The CPUs real-time threads are pinned to; empty means "do not pin". */
    public List<Integer> cpus() {
        return cpus;
    }

    private static int checkLevel(int level) {
        if (level < 1 || level > LEVELS) {
            throw new IllegalArgumentException(
                    "priority level " + level + " does not exist: levels are 1 (PRIO_LOWEST) to 7 (PRIO_HIGHEST)");
        }
        return level;
    }
}
