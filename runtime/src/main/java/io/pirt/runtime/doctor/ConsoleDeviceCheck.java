package io.pirt.runtime.doctor;

import io.pirt.runtime.console.ConsoleDevice;
import io.pirt.runtime.machine.RootFiles;
import io.pirt.wire.message.DoctorReport;
import java.util.List;
import java.util.Optional;

/**
 * The console device the runtime opens, chosen as the runtime chooses it ({@link ConsoleDevice}):
 * present in /dev and open to user {@code pirt}.
 */
final class ConsoleDeviceCheck extends Check {
    ConsoleDeviceCheck() {
        super("console", "console device");
    }

    @Override
    DoctorReport.Check run(Examination e) {
        Optional<ConsoleDevice> console = e.console();
        if (console.isEmpty()) return skip("no board profile, so no console device to look for");
        ConsoleDevice c = console.get();
        if (c.device().startsWith("pty:")) return skip(c.device() + " (" + c.why() + "): a pseudo-terminal of the virtual board");
        Optional<RootFiles.DevNode> link = e.files().devNode(c.name());
        Optional<RootFiles.DevNode> node = e.files().devNodeFollowed(c.name());
        if (node.isEmpty()) {
            String what = link.isPresent() ? c.device() + " links to " + link.get().linkTarget().orElse("?") + ", which does not exist"
                    : c.device() + " does not exist";
            return fail(what + " (" + c.why() + ")", "the boot configuration must make it: see the boot-config check"
                    + (c.name().startsWith("ttyGS") ? " (dtoverlay=dwc2 and g_serial, then a USB cable to a computer)" : "")
                    + (c.name().startsWith("serial") ? "; or name the UART: --console DEVICE in PIRT_OPTS of /" + Examination.PIRT_CONF
                            + ", then sudo systemctl restart pirt-runtime" : ""));
        }
        String found = (link.get().linkTarget().isPresent() ? c.device() + " -> " + node.get() : node.get().toString()) + " (" + c.why() + ")";
        List<String> groups = Groups.of(e.files(), GpioChipCheck.USER);
        if (Groups.mayReadWrite(node.get(), GpioChipCheck.USER, groups)) return ok(found);
        return fail(found + ": user " + GpioChipCheck.USER + " (groups " + String.join(",", groups) + ") may not open it",
                "sudo adduser " + GpioChipCheck.USER + " " + node.get().group() + ", then sudo systemctl restart pirt-runtime");
    }
}
