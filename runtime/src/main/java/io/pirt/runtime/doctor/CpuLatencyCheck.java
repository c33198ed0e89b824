package io.pirt.runtime.doctor;

import io.pirt.runtime.machine.RootFiles;
import io.pirt.wire.message.DoctorReport;
import java.util.Optional;

/**
 * {@code /dev/cpu_dma_latency}, which an application's SCHED_FIFO threads hold at the profile's
 * latency while they run: present, group {@code pirt} with read-write (the package's udev rule
 * {@code /lib/udev/rules.d/60-pirt.rules}; the kernel makes it root-only).
 */
final class CpuLatencyCheck extends Check {
    private static final String RULE = "/lib/udev/rules.d/60-pirt.rules";

    CpuLatencyCheck() {
        super("cpu-dma-latency", "CPU latency request device");
    }

    @Override
    DoctorReport.Check run(Examination e) {
        if (e.profile().isPresent() && e.profile().get().realtime().dmaLatencyUs() < 0) {
            return skip("board profile " + e.profile().get().id() + " asks for no CPU latency");
        }
        Optional<RootFiles.DevNode> node = e.files().devNode("cpu_dma_latency");
        if (node.isEmpty()) {
            return warn("/dev/cpu_dma_latency does not exist: applications cannot hold the CPU's wake-up latency down",
                    "a kernel with CPU idle states has it; check with ls -l /dev/cpu_dma_latency");
        }
        if (node.get().group().equals(GpioChipCheck.USER) && node.get().groupCanReadWrite()) return ok(node.get().toString());
        return warn(node.get() + ": not group " + GpioChipCheck.USER + " with rw, so applications run without holding the CPU latency",
                "the package's udev rule " + RULE + " sets it: sudo udevadm control --reload-rules && sudo udevadm trigger "
                        + "--subsystem-match=misc --sysname-match=cpu_dma_latency");
    }
}
