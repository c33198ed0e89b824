package io.pirt.runtime;

import io.pirt.boards.RealtimeTable;
import io.pirt.threading.RealtimeConfig;
import io.pirt.threading.Thread;

/**
 * The runtime's own priority table: every level of it above every level an application can
 * use, so the threads that supervise the application — console, endpoint, application link
 * and watcher, systemd keep-alive — are never starved by a busy real-time application
 * (docs/runtime.md, "Priorities").
 *
 * <p>The application's JVM maps its levels through the board profile's
 * {@code realtime.priorities} (the built-in boards: 10..40) or, when the runtime has not
 * handed it one, threading's default table (the same 10..40). The runtime's levels are the
 * seven priorities just above the higher of the two highest entries (41..47 for the built-in
 * boards), its threads are not pinned (the pinned CPU is the application's), and its memory is
 * locked only if its own JVM asks ({@code pirt.rt.lockMemory}); it asks for no CPU latency
 * ({@code /dev/cpu_dma_latency}). The systemd unit's
 * {@code LimitRTPRIO} is the top of this band.
 */
final class SupervisorPriorities {
    private SupervisorPriorities() {
    }

    /**
     * The table the runtime's JVM schedules its own threads with.
     *
     * @param application the board profile's table, for the application
     * @param wanted      the runtime JVM's own settings (system properties): the mode and
     *                    memory locking are kept, the table and CPU set are replaced
     */
    static RealtimeConfig above(RealtimeTable application, RealtimeConfig wanted) {
        int top = Math.max(application.fifoPriority(Thread.PRIO_HIGHEST),
                RealtimeConfig.DEFAULT_FIFO_PRIORITIES[Thread.PRIO_HIGHEST - 1]);
        int[] table = new int[Thread.PRIO_HIGHEST];
        for (int i = 0; i < table.length; i++) table[i] = top + 1 + i;
        // No CPU latency request: the runtime's threads supervise, they keep no deadlines; holding
        // /dev/cpu_dma_latency for the runtime's whole life would keep a board's CPUs out of idle
        // states for nothing. The application's own FIFO threads hold it while they run.
        return new RealtimeConfig(wanted.mode(), table, new int[0], wanted.lockMemory(), RealtimeConfig.DMA_LATENCY_OFF);
    }

    /** The highest SCHED_FIFO priority the runtime uses with {@code application}'s table: what LimitRTPRIO must allow. */
    static int limit(RealtimeTable application) {
        return above(application, RealtimeConfig.defaults()).fifoPriority(Thread.PRIO_HIGHEST);
    }
}
