package io.pirt.runtime.doctor;

import io.pirt.runtime.machine.RootFiles;
import io.pirt.wire.message.DoctorReport;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether the running runtime may use SCHED_FIFO and whether its threads got it: its soft
 * RLIMIT_RTPRIO from {@code /proc/PID/limits} ("Max realtime priority"), its effective uid
 * from {@code /proc/PID/status}, and each thread's policy and priority from
 * {@code /proc/PID/task/TID/stat} (fields 41 {@code policy}, 1 = SCHED_FIFO, 2 = SCHED_RR,
 * and 40 {@code rt_priority}; proc(5)). The runtime is the process whose command line runs
 * {@code io.pirt.runtime.Main} (not {@code doctor}), unless the caller says its id.
 */
final class RealtimeCheck extends Check {
    static final String MAIN_CLASS = "io.pirt.runtime.Main";
    private static final String UNIT = "/lib/systemd/system/pirt-runtime.service";

    RealtimeCheck() {
        super("realtime", "real-time permission and scheduling");
    }

    @Override
    DoctorReport.Check run(Examination e) {
        OptionalLong pid = e.runtimePid().isPresent() ? e.runtimePid() : findRuntime(e.files());
        if (pid.isEmpty()) {
            return warn("no pirt runtime running (no process in /proc runs " + MAIN_CLASS + ")",
                    "start it: sudo systemctl start pirt-runtime; if it does not stay up: journalctl -u pirt-runtime");
        }
        String proc = "proc/" + pid.getAsLong();
        Optional<Long> limit = rtprioLimit(e.files().read(proc + "/limits").orElse(""));
        boolean root = e.files().read(proc + "/status").orElse("").lines().filter(l -> l.startsWith("Uid:"))
                .map(l -> l.trim().split("\\s+")).anyMatch(w -> w.length > 2 && w[2].equals("0"));
        int threads = 0;
        int fifo = 0;
        int highest = 0;
        for (String tid : e.files().list(proc + "/task")) {
            Optional<String> stat = e.files().read(proc + "/task/" + tid + "/stat");
            if (stat.isEmpty()) continue;
            String[] f = stat.get().substring(stat.get().lastIndexOf(')') + 2).trim().split("\\s+");
            // f[0] is field 3 (state), so field n is f[n - 3].
            if (f.length < 39) continue;
            threads++;
            int policy = Integer.parseInt(f[41 - 3]);
            if (policy == 1 || policy == 2) {
                fifo++;
                highest = Math.max(highest, Integer.parseInt(f[40 - 3]));
            }
        }
        String limitText = limit.map(l -> l == Long.MAX_VALUE ? "unlimited" : Long.toString(l)).orElse("unknown");
        String found = "runtime PID " + pid.getAsLong() + (root ? " (root)" : "") + ": RLIMIT_RTPRIO " + limitText + ", " + fifo + " of "
                + threads + " threads SCHED_FIFO" + (fifo > 0 ? " (up to priority " + highest + ")" : "");
        int needed = e.profile().map(p -> Arrays.stream(p.realtime().fifoPriorities()).max().orElse(0) + 7).orElse(0);
        if (!root && limit.isPresent() && limit.get() == 0) {
            return fail(found + ": no real-time permission, so every thread runs SCHED_OTHER",
                    "the unit gives it with LimitRTPRIO=47 in " + UNIT + "; start the runtime through systemd (sudo systemctl restart "
                            + "pirt-runtime), not by hand, and check that no drop-in removes it: systemctl cat pirt-runtime");
        }
        if (fifo == 0) {
            return warn(found + ": permitted, but no thread got SCHED_FIFO",
                    "see why in: pirt info (scheduling) or journalctl -u pirt-runtime; a profile whose table goes higher needs "
                            + "LimitRTPRIO=" + needed + " (sudo systemctl edit pirt-runtime: [Service] LimitRTPRIO=" + needed + ")");
        }
        if (!root && limit.isPresent() && needed > 0 && limit.get() < needed) {
            return warn(found + ": below " + needed + ", the profile's highest level plus the runtime's own band",
                    "sudo systemctl edit pirt-runtime, add [Service] LimitRTPRIO=" + needed + ", then sudo systemctl restart pirt-runtime");
        }
        return ok(found);
    }

    /** The soft "Max realtime priority" of a limits file; MAX_VALUE for unlimited. */
    static Optional<Long> rtprioLimit(String limits) {
        for (String line : limits.split("\n")) {
            if (!line.startsWith("Max realtime priority")) continue;
            String soft = line.substring("Max realtime priority".length()).trim().split("\\s+")[0];
            return Optional.of(soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft));
        }
        return Optional.empty();
    }

    /** The process running the runtime's main class without the doctor subcommand; empty when none. */
    private static OptionalLong findRuntime(RootFiles files) {
        for (String pid : files.list("proc")) {
            if (!pid.matches("\\d+")) continue;
            String cmdline;
            try {
                cmdline = files.read("proc/" + pid + "/cmdline").orElse("");
            } catch (java.io.UncheckedIOException gone) {
                continue; // the process ended while the list was read, or is not ours to read: not the runtime's either way
            }
            String[] args = cmdline.split("\0");
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals(MAIN_CLASS) && (i + 1 >= args.length || !args[i + 1].equals("doctor"))) return OptionalLong.of(Long.parseLong(pid));
            }
        }
        return OptionalLong.empty();
    }
}
