package io.pirt.runtime.doctor;

import io.pirt.wire.message.DoctorReport;
import java.util.List;
import java.util.Optional;

/** The console device the runtime opens: present in /dev and open to user {@code pirt}. */
final class ConsoleDeviceCheck extends Check {
    ConsoleDeviceCheck() {
        super("console", "console device");
    }

    @Override
    DoctorReport.Check run(Examination e) {
        Optional<Examination.Console> console = e.console();
        if (console.isEmpty()) return skip("no board profile, so no console device to look for");
        Examination.Console c = console.get();
        if (c.device().startsWith("pty:")) return skip(c.device() + " (" + c.source() + "): a pseudo-terminal of the virtual board");
        Optional<RootFiles.DevNode> link = e.files().devNode(c.name());
        Optional<RootFiles.DevNode> node = e.files().devNodeFollowed(c.name());
        if (node.isEmpty()) {
            String what = link.isPresent() ? c.device() + " links to " + link.get().linkTarget().orElse("?") + ", which does not exist"
                    : c.device() + " does not exist";
            return fail(what + " (" + c.source() + ")", "the boot configuration must make it: see the boot-config check"
                    + (c.name().startsWith("ttyGS") ? " (dtoverlay=dwc2 and g_serial, then a USB cable to a computer)" : ""));
        }
        String found = (link.get().linkTarget().isPresent() ? c.device() + " -> " + node.get() : node.get().toString()) + " (" + c.source() + ")";
        List<String> groups = Groups.of(e.files(), GpioChipCheck.USER);
        if (Groups.mayReadWrite(node.get(), GpioChipCheck.USER, groups)) return ok(found);
        return fail(found + ": user " + GpioChipCheck.USER + " (groups " + String.join(",", groups) + ") may not open it",
                "sudo adduser " + GpioChipCheck.USER + " " + node.get().group() + ", then sudo systemctl restart pirt-runtime");
    }
}
