package io.pirt.threading;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Priorities as Linux scheduling policies, through JNA: SCHED_FIFO with the configured
 * table when the process may use it, else SCHED_OTHER with nice values in the same order.
 *
 * <p>A pirt thread gets its level's policy on its own carrier before {@code run()}, and
 * pinned to the configured CPU set in FIFO mode. When priority inheritance changes a
 * thread's effective priority, the thread's policy follows; a thread pirt did not start
 * (adopted, such as {@code main}) gets the boosted policy while boosted and SCHED_OTHER,
 * nice 0, afterwards. A thread that has ended is never touched (its Linux id may already
 * belong to another thread).
 *
 * <p>Every policy this class sets carries SCHED_RESET_ON_FORK: a thread or process that a
 * real-time thread creates starts at SCHED_OTHER, nice 0, instead of inheriting its
 * real-time priority. So the JVM's own threads started lazily from a pirt thread (the process
 * reaper, JNA's cleaner, a library's executor) and the application JVM the runtime starts from
 * one of its threads run ordinary; a pirt thread sets its own policy when it starts
 * ({@link #threadStarted}), never by inheritance. The flag is also kept when a thread goes back
 * to SCHED_OTHER: without CAP_SYS_NICE the kernel refuses to clear it (EPERM).
 *
 * <p>Failures of the system calls never stop a thread: each kind is reported once on
 * standard error.
 */
final class LinuxScheduling implements PrioritySink {
    /** Nice value per level in NICE mode: same order as the levels, PRIO_HIGHEST at the default nice 0. */
    private static final int[] NICE_VALUES = {12, 10, 8, 6, 4, 2, 0};
    private static final int CAP_SYS_NICE = 23;

    private final LibC libc;
    private final SchedulingMode mode;
    private final RealtimeConfig config;
    private final String description;
    /** Masks of the CPU set, or null for no pinning. */
    private final long[] cpuMask;
    /** The CPU latency request held while FIFO threads run, or null (not FIFO mode, or off). */
    private final CpuLatencyHold cpuLatency;
    /** Kinds of failure already reported. Guarded by itself. */
    private final Set<String> reported = new HashSet<>();

    @Override
    public boolean pinsToOneCpu() {
        return cpuMask != null && Arrays.stream(config.cpus()).distinct().count() == 1;
    }

    private LinuxScheduling(LibC libc, SchedulingMode mode, RealtimeConfig config, String description) {
        this.libc = libc;
        this.mode = mode;
        this.config = config;
        this.description = description;
        this.cpuMask = mode == SchedulingMode.FIFO && config.cpus().length > 0 ? mask(config.cpus()) : null;
        this.cpuLatency = mode == SchedulingMode.FIFO && config.dmaLatencyUs() >= 0
                ? new CpuLatencyHold(CpuLatencyHold.DEVICE, config.dmaLatencyUs(), m -> reportOnce("dmaLatency", m)) : null;
    }

    /**
     * Decides the mode for this process: the one {@code config} asks for, or the best it may
     * use. Probes SCHED_FIFO on a short-lived thread of its own, so no caller's policy changes.
     */
    static PrioritySink decide(RealtimeConfig config) {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return PrioritySink.none("not Linux (" + System.getProperty("os.name") + ")");
        }
        LibC libc;
        try {
            libc = LibC.get();
        } catch (LinkageError e) {
            return PrioritySink.none("the C library could not be loaded through JNA (" + e + ")"
                    + (config.lockMemory() ? "; memory NOT locked" : ""));
        }
        String memory = config.lockMemory() ? lockMemory(libc) : "";
        if (config.mode() == SchedulingMode.NONE) {
            return PrioritySink.none("pirt.scheduling=none was asked for" + memory);
        }
        String fifoRefused = null;
        if (config.mode() == null || config.mode() == SchedulingMode.FIFO) {
            fifoRefused = probeFifo(libc, config.fifoPriority(Thread.PRIO_HIGHEST));
            if (fifoRefused == null) {
                String cpus = config.cpus().length == 0 ? "all CPUs" : "pinned to CPUs " + Arrays.toString(config.cpus());
                return new LinuxScheduling(libc, SchedulingMode.FIFO, config, "pirt: scheduling FIFO: SCHED_FIFO "
                        + Arrays.toString(config.fifoPriorities()) + " for PRIO_LOWEST..PRIO_HIGHEST, " + cpus
                        + ", permitted because " + whyPermitted(libc) + memory + cpuLatency(config));
            }
        }
        String why = fifoRefused == null ? "pirt.scheduling=nice was asked for" : "SCHED_FIFO refused: " + fifoRefused;
        return new LinuxScheduling(libc, SchedulingMode.NICE, config, "pirt: scheduling NICE: SCHED_OTHER with nice "
                + Arrays.toString(NICE_VALUES) + " for PRIO_LOWEST..PRIO_HIGHEST (" + why + ")" + memory);
    }

    private static String cpuLatency(RealtimeConfig config) {
        return config.dmaLatencyUs() < 0 ? "; CPU latency not asked for (pirt.rt.dmaLatency=off)"
                : "; CPU latency held at " + config.dmaLatencyUs() + " µs (" + CpuLatencyHold.DEVICE + ") while FIFO threads run";
    }

    /** Null if the calling process may use SCHED_FIFO at {@code priority}, else why not. */
    private static String probeFifo(LibC libc, int priority) {
        String[] refusal = new String[1];
        java.lang.Thread probe = new java.lang.Thread(() -> {
            try {
                setScheduler(libc, 0, LibC.SCHED_FIFO, priority);
            } catch (LastErrorException e) {
                refusal[0] = "sched_setscheduler(SCHED_FIFO, " + priority + ") failed with " + errno(e)
                        + "; run as root, grant CAP_SYS_NICE, or raise RLIMIT_RTPRIO (systemd: LimitRTPRIO=" + priority + ")";
            }
        }, "pirt-fifo-probe");
        probe.start();
        try {
            probe.join();
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            return "interrupted while probing SCHED_FIFO";
        }
        return refusal[0];
    }

    private static String whyPermitted(LibC libc) {
        if (libc.geteuid() == 0) return "the process runs as root";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:") && (Long.parseUnsignedLong(line.substring(7).trim(), 16) >> CAP_SYS_NICE & 1) == 1) {
                    return "the process has CAP_SYS_NICE";
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "of RLIMIT_RTPRIO (capabilities unreadable: " + e.getMessage() + ")";
        }
        return "of RLIMIT_RTPRIO";
    }

    private static String lockMemory(LibC libc) {
        try {
            libc.mlockall(LibC.MCL_CURRENT | LibC.MCL_FUTURE);
            return "; memory locked (mlockall)";
        } catch (LastErrorException e) {
            return "; memory NOT locked: mlockall failed with " + errno(e) + " (raise RLIMIT_MEMLOCK, systemd: LimitMEMLOCK=infinity)";
        }
    }

    @Override
    public SchedulingMode mode() {
        return mode;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void threadStarted(Thread t) {
        // Policy first, CPU set second: pinned first, a thread still at SCHED_OTHER could wait behind a
        // real-time thread spinning on its new CPU before it ever reached its own priority.
        apply(0, t, t.effectivePriority(), true);
        if (mode == SchedulingMode.FIFO) {
            // Timed waits of a real-time thread end on time: older kernels add the default 50 us timer
            // slack to futex timeouts (parkNanos) even at SCHED_FIFO, where cyclictest's clock_nanosleep gets none.
            try {
                libc.prctl(LibC.PR_SET_TIMERSLACK, 1, 0, 0, 0);
            } catch (LastErrorException e) {
                reportOnce("timerslack", "cannot set the timer slack of thread " + t.getName() + " to 1 ns: " + errno(e));
            }
        }
        if (cpuLatency != null) cpuLatency.acquire();
        if (cpuMask != null) {
            try {
                libc.sched_setaffinity(0, new NativeLong(cpuMask.length * 8L), cpuMask);
            } catch (LastErrorException e) {
                reportOnce("affinity", "cannot pin thread " + t.getName() + " to CPUs " + Arrays.toString(config.cpus()) + ": " + errno(e));
            }
        }
    }

    @Override
    public void threadEnded(Thread t) {
        if (cpuLatency != null) cpuLatency.release();
    }

    /** Whether the CPU latency request is open now (tests). */
    boolean holdsCpuLatency() {
        return cpuLatency != null && cpuLatency.held();
    }

    @Override
    public void effectivePriorityChanged(Thread t, int priority) {
        Integer tid = t.getIdent();
        if (tid == null || t.hasExited()) return; // not running yet, or gone: its id may belong to another thread now
        if (t.isAdopted()) {
            apply(tid, t, priority, priority != t.getPriority()); // boosted: the level; boost over: back to SCHED_OTHER
        } else if (t.nativePriorityApplied()) {
            apply(tid, t, priority, true); // else threadStarted has yet to run and will apply the effective priority
        }
    }

    /** Puts thread {@code tid} (0: the caller) at {@code level}, or back to SCHED_OTHER nice 0 if not {@code atLevel}. */
    private void apply(int tid, Thread t, int level, boolean atLevel) {
        try {
            if (!atLevel) {
                setScheduler(libc, tid, LibC.SCHED_OTHER, 0);
                libc.setpriority(LibC.PRIO_PROCESS, tid, 0);
            } else if (mode == SchedulingMode.FIFO) {
                setScheduler(libc, tid, LibC.SCHED_FIFO, config.fifoPriority(level));
            } else {
                libc.setpriority(LibC.PRIO_PROCESS, tid, NICE_VALUES[level - 1]);
            }
            t.markNativePriorityApplied();
        } catch (LastErrorException e) {
            reportOnce(mode + "/" + e.getErrorCode(), "cannot set thread " + t.getName() + " (tid " + (tid == 0 ? t.getIdent() : tid)
                    + ") to level " + level + " in " + mode + " mode: " + errno(e)
                    + (mode == SchedulingMode.NICE ? " (raising a thread's nice value back needs CAP_SYS_NICE or RLIMIT_NICE)" : ""));
        }
    }

    /** The one way this class sets a policy: {@code policy} with SCHED_RESET_ON_FORK (see the class comment). */
    private static void setScheduler(LibC libc, int tid, int policy, int priority) {
        libc.sched_setscheduler(tid, policy | LibC.SCHED_RESET_ON_FORK, new int[] {priority});
    }

    private void reportOnce(String kind, String message) {
        synchronized (reported) {
            if (!reported.add(kind)) return;
        }
        System.err.println("pirt: " + message + " (further failures of this kind are not reported)");
    }

    private static long[] mask(int[] cpus) {
        int max = Arrays.stream(cpus).max().orElse(0);
        long[] mask = new long[Math.max(16, max / 64 + 1)]; // at least glibc's 1024-bit cpu_set_t
        for (int cpu : cpus) mask[cpu / 64] |= 1L << (cpu % 64);
        return mask;
    }

    private static String errno(LastErrorException e) {
        String name = switch (e.getErrorCode()) {
            case 1 -> "EPERM";
            case 3 -> "ESRCH";
            case 12 -> "ENOMEM";
            case 22 -> "EINVAL";
            default -> "errno";
        };
        return name + " (" + e.getErrorCode() + ")";
    }
}
