package io.pirt.runtime.doctor;

import io.pirt.wire.message.DoctorReport;
import java.util.Optional;

/**
 * The kernel's preemption model: {@code /sys/kernel/realtime} reads 1 on a PREEMPT_RT kernel
 * (kernel/ksysfs.c); {@code /proc/version} names the model in its build string
 * ({@code SMP PREEMPT_RT}, {@code SMP PREEMPT}, ...). Not PREEMPT_RT is a warning: pirt runs,
 * with a longer latency tail.
 */
final class KernelCheck extends Check {
    KernelCheck() {
        super("kernel", "kernel preemption model");
    }

    @Override
    DoctorReport.Check run(Examination e) {
        Optional<String> realtime = e.files().read("sys/kernel/realtime").map(String::strip);
        Optional<String> version = e.files().read("proc/version").map(String::strip);
        String release = version.map(v -> v.split("\\s+")).filter(w -> w.length > 2).map(w -> w[2]).orElse("?");
        if (realtime.filter("1"::equals).isPresent()) return ok("PREEMPT_RT (/sys/kernel/realtime = 1), kernel " + release);
        if (version.isEmpty()) return skip("no /proc/version to read");
        String v = version.get();
        if (v.contains("PREEMPT_RT")) return ok("PREEMPT_RT (/proc/version), kernel " + release);
        String model = v.contains("PREEMPT_DYNAMIC") ? "PREEMPT_DYNAMIC" : v.contains(" PREEMPT ") ? "PREEMPT" : "no forced preemption";
        return warn(model + ", not PREEMPT_RT (/proc/version: kernel " + release + ")",
                "pirt runs, but its wake-ups have a longer latency tail (docs/realtime.md). For the best tail boot a kernel built "
                        + "with CONFIG_PREEMPT_RT (mainline since 6.12) for this board, named by kernel= in config.txt; "
                        + "uname -v then says PREEMPT_RT");
    }
}
