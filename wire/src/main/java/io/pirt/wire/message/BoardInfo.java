package io.pirt.wire.message;

/**
 * The answer to {@code info}: what the board is and runs.
 *
 * @param board            the board profile's id ({@code rpi-4b})
 * @param boardName        its name ({@code Raspberry Pi 4 Model B})
 * @param runtimeVersion   the runtime's version
 * @param javaVersion      the runtime JVM's feature version
 * @param scheduling       FIFO, NICE or NONE
 * @param schedulingDetail how the scheduling mode was decided
 * @param application      the application's state
 * @param bundle           the bundle running, or null when none
 * @param uptimeMs         how long the runtime has run
 * @param access           who may change the board through its port (docs/protocol.md §5.7), for a person;
 *                         null from a runtime older than the access model
 * @param realtime         the real-time settings the application is started with (the board
 *                         profile's), or null from a runtime older than this field
 * @param appJvm           the flags the application's JVM is started with and why, or null from
 *                         a runtime older than this field
 */
public record BoardInfo(String board, String boardName, String runtimeVersion, int javaVersion, String scheduling,
                        String schedulingDetail, AppStatus application, RunningBundle bundle, long uptimeMs,
                        String access, Realtime realtime, AppJvm appJvm) {
    public BoardInfo {
        Required.of("BoardInfo", "board", board, "runtimeVersion", runtimeVersion, "scheduling", scheduling, "application", application);
    }

    /** Without the access mode and the real-time settings (as an older runtime answers). */
    public BoardInfo(String board, String boardName, String runtimeVersion, int javaVersion, String scheduling,
                     String schedulingDetail, AppStatus application, RunningBundle bundle, long uptimeMs) {
        this(board, boardName, runtimeVersion, javaVersion, scheduling, schedulingDetail, application, bundle, uptimeMs, null, null, null);
    }

    /** Without the application's JVM flags (as an older runtime answers). */
    public BoardInfo(String board, String boardName, String runtimeVersion, int javaVersion, String scheduling,
                     String schedulingDetail, AppStatus application, RunningBundle bundle, long uptimeMs,
                     String access, Realtime realtime) {
        this(board, boardName, runtimeVersion, javaVersion, scheduling, schedulingDetail, application, bundle, uptimeMs, access, realtime, null);
    }

    /**
     * How the application's JVM is started (docs/board-profiles.md, "Application JVM").
     *
     * @param flags the JVM flags: collector and heap
     * @param why   where they come from: the board profile and this JVM, or the runtime's command line
     */
    public record AppJvm(java.util.List<String> flags, String why) {
        public AppJvm {
            Required.of("AppJvm", "flags", flags, "why", why);
            flags = java.util.List.copyOf(flags);
        }
    }

    /**
     * The real-time settings the runtime starts the application with, from the board profile.
     *
     * @param priorities   the SCHED_FIFO priority of each level, PRIO_LOWEST first (7 entries)
     * @param cpus         the CPUs real-time threads are pinned to; empty: not pinned
     * @param dmaLatencyUs the CPU latency held while real-time threads run, in µs; negative: none
     */
    public record Realtime(java.util.List<Integer> priorities, java.util.List<Integer> cpus, int dmaLatencyUs) {
        public Realtime {
            Required.of("Realtime", "priorities", priorities, "cpus", cpus);
            priorities = java.util.List.copyOf(priorities);
            cpus = java.util.List.copyOf(cpus);
        }
    }

    /**
     * The application as the supervisor sees it.
     *
     * @param state  NOT_STARTED, STARTING, RUNNING, STOPPED, EXITED, CRASHED, HUNG or FAILED_TO_START
     * @param detail which application, and what happened (a person's words)
     */
    public record AppStatus(String state, String detail) {
        public AppStatus {
            Required.of("AppStatus", "state", state, "detail", detail);
        }
    }

    /**
     * The bundle that runs.
     *
     * @param slot    A or B
     * @param onTrial true while it is on trial, false once committed
     */
    public record RunningBundle(String name, String version, String slot, boolean onTrial) {
        public RunningBundle {
            Required.of("RunningBundle", "name", name, "version", version, "slot", slot);
        }
    }
}
