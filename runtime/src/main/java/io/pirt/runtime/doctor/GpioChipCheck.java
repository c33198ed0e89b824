package io.pirt.runtime.doctor;

import io.pirt.boards.BoardProfile;
import io.pirt.runtime.machine.RootFiles;
import io.pirt.wire.message.DoctorReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The GPIO chip the board profile names, found by its label as the runtime finds it (hal's
 * GpioChips asks each /dev/gpiochipN for its label): here from sysfs, where each chip's
 * {@code /sys/class/gpio/gpiochipBASE/label} sits beside a {@code device} link to the chip's
 * parent, under which the chip device {@code gpiochipN} is listed. Then whether user
 * {@code pirt} may open {@code /dev/gpiochipN} (its owner, or a group it is in with rw). The
 * advice differs by what is wrong: a group that pirt is not in (join it), or the kernel's
 * {@code root:root 0600}, which means the package's udev rule has not applied (apply it).
 */
final class GpioChipCheck extends Check {
    static final String USER = "pirt";

    GpioChipCheck() {
        super("gpio", "GPIO chip");
    }

    @Override
    DoctorReport.Check run(Examination e) {
        if (e.profile().isEmpty()) return skip("no board profile, so no GPIO chip to look for");
        BoardProfile p = e.profile().get();
        if (!p.gpioProvider().equals("gpiod")) return skip("board profile " + p.id() + " has no GPIO chip (" + p.gpioProvider() + " provider)");
        String label = p.gpioChipLabel();
        List<String> labels = new ArrayList<>();
        Optional<String> device = Optional.empty();
        for (String chip : e.files().list("sys/class/gpio")) {
            if (!chip.startsWith("gpiochip")) continue;
            String l = e.files().read("sys/class/gpio/" + chip + "/label").orElse("").strip();
            labels.add(l);
            if (!l.equals(label)) continue;
            device = e.files().list("sys/class/gpio/" + chip + "/device").stream().filter(n -> n.matches("gpiochip\\d+")).findFirst();
        }
        if (labels.isEmpty()) {
            return warn("no chip labels in /sys/class/gpio (a kernel without CONFIG_GPIO_SYSFS), so chip '" + label + "' cannot be looked for here",
                    "look with: gpiodetect (Debian package gpiod); the chip labelled " + label + " must be there");
        }
        if (device.isEmpty()) {
            return fail("no GPIO chip labelled '" + label + "' (labels here: " + String.join(", ", labels) + ")",
                    "is board profile " + p.id() + " the right one for this board? Check the board check above and gpiodetect; "
                            + "a custom board needs --board-file with its own chip label");
        }
        Optional<RootFiles.DevNode> node = e.files().devNode(device.get());
        if (node.isEmpty()) {
            return fail("chip '" + label + "' is " + device.get() + ", but /dev/" + device.get() + " does not exist",
                    "udev makes it at boot: check with ls -l /dev/gpiochip*; a container needs the device passed in");
        }
        String found = "'" + label + "' is " + node.get();
        List<String> groups = Groups.of(e.files(), USER);
        if (groups.isEmpty()) {
            return warn(found + "; user " + USER + " is in no group of /etc/group (not made yet?)", "install the pirt-runtime package (its postinst makes the user)");
        }
        if (Groups.mayReadWrite(node.get(), USER, groups)) return ok(found + ", open to user " + USER);
        String refused = found + ": user " + USER + " (groups " + String.join(",", groups) + ") may not open it";
        if (node.get().group().equals("root")) {
            // The kernel's own root:root 0600: no rule gave the chips a group (Debian, Ubuntu before the package's applied).
            return fail(refused + ", and no group may: the package's udev rule, which gives /dev/gpiochip* to group gpio, has not applied",
                    "sudo udevadm trigger --subsystem-match=gpio (the rule is /lib/udev/rules.d/60-pirt.rules; without it: "
                            + "sudo apt install --reinstall pirt-runtime)" + (groups.contains("gpio") ? "" : "; then sudo adduser " + USER
                            + " gpio") + ", then sudo systemctl restart pirt-runtime");
        }
        return fail(refused, "sudo adduser " + USER + " " + node.get().group() + " (the package puts it in gpio), then sudo systemctl restart pirt-runtime");
    }
}
