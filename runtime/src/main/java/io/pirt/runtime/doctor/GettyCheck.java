package io.pirt.runtime.doctor;

import io.pirt.runtime.console.ConsoleDevice;
import io.pirt.runtime.machine.RootFiles;
import io.pirt.wire.message.DoctorReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether something else talks on the console's port: an enabled login prompt
 * ({@code serial-getty@DEV.service} under {@code /etc/systemd/system/*.wants/}), or the kernel's
 * own console ({@code console=DEV} in cmdline.txt, which also makes systemd start a getty on it).
 * Either writes into the runtime's frames and reads what the tool sends.
 */
final class GettyCheck extends Check {
    GettyCheck() {
        super("getty", "nothing else on the console port");
    }

    @Override
    DoctorReport.Check run(Examination e) {
        Optional<ConsoleDevice> console = e.console();
        if (console.isEmpty()) return skip("no board profile, so no console device");
        ConsoleDevice c = console.get();
        if (c.device().startsWith("pty:")) return skip(c.device() + ": a pseudo-terminal of the virtual board");
        Set<String> names = new TreeSet<>(List.of(c.name()));
        e.files().devNodeFollowed(c.name()).ifPresent(n -> names.add(n.name()));
        List<String> found = new ArrayList<>();
        List<String> advice = new ArrayList<>();
        for (String dir : e.files().list("etc/systemd/system")) {
            if (!dir.endsWith(".wants")) continue;
            for (String unit : e.files().list("etc/systemd/system/" + dir)) {
                String dev = unit.replaceFirst("^(serial-)?getty@(.*)\\.service$", "$2");
                if (dev.equals(unit) || !names.contains(dev)) continue;
                found.add(unit + " is enabled (/etc/systemd/system/" + dir + "/" + unit + ")");
                advice.add("sudo systemctl disable --now " + unit);
            }
        }
        Optional<String> cmdlineTxt = e.bootFile("cmdline.txt");
        List<String> words = new ArrayList<>();
        cmdlineTxt.flatMap(f -> e.files().read(f)).ifPresent(s -> words.addAll(List.of(s.trim().split("\\s+"))));
        String file = "/" + cmdlineTxt.orElse("boot/firmware/cmdline.txt");
        for (String w : words) {
            if (!w.startsWith("console=")) continue;
            String dev = w.substring("console=".length()).split(",")[0];
            String followed = e.files().devNodeFollowed(dev).map(RootFiles.DevNode::name).orElse(dev);
            if (!names.contains(dev) && !names.contains(followed)) continue;
            found.add("the kernel console is here: " + w + " in " + file);
            advice.add("remove " + w + " from " + file + " (or sudo raspi-config nonint do_serial_cons 1), then reboot");
        }
        if (found.isEmpty()) return ok("no getty and no kernel console on " + String.join(" = ", names));
        return fail(String.join("; ", found) + ": a login prompt and kernel messages share the runtime's port", String.join("\n", advice));
    }
}
