package io.pirt.runtime.doctor;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.LedClassDevice;
import io.pirt.wire.message.DoctorReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The board's status LED, which applications open as {@code LED0}: on a Raspberry Pi the ACT LED
 * of the kernel's LED class, {@code /sys/class/leds/ACT} (or {@code led0} on older kernels), whose
 * {@code trigger} and {@code brightness} the package's udev rule gives group {@code pirt}
 * (docs/hal.md, "The status LED on a Raspberry Pi"). Sysfs attributes have no listing like
 * {@code dev-listing.txt}, so their owner is checked on the real root only.
 */
final class StatusLedCheck extends Check {
    private static final String RULE = "/lib/udev/rules.d/60-pirt.rules";

    StatusLedCheck() {
        super("status-led", "Status LED");
    }

    @Override
    DoctorReport.Check run(Examination e) {
        if (e.profile().isEmpty()) return skip("no board profile, so no status LED to look for");
        BoardProfile p = e.profile().get();
        Optional<LedClassDevice> led = p.statusLedDevice();
        if (led.isEmpty()) {
            Optional<io.pirt.boards.Pin> pin = p.statusLed();
            if (pin.isPresent() && pin.get().kernelDriver().isPresent()) {
                Optional<LedClassDevice> sameLed = p.leds().values().stream()
                        .filter(l -> l.pin().equals(Optional.of(pin.get().name()))).findFirst();
                return warn("the status LED is pin " + pin.get().name() + " (line " + pin.get().line() + "), which the kernel's "
                                + pin.get().kernelDriver().get() + " driver holds: opening it fails as busy",
                        sameLed.map(l -> "point the status LED (and LED0) at " + l.name() + ", the same LED through the kernel's LED class,")
                                .orElse("drive it through the kernel's LED class: a leds: entry naming /sys/class/leds/NAME,")
                                + " in " + p.origin() + " (docs/board-profiles.md, \"LED-class LEDs\")");
            }
            return skip(pin.map(x -> "the status LED is pin " + x.name() + " (line " + x.line() + "), checked with the GPIO chip")
                    .orElse("board profile " + p.id() + " has no status LED" + (p.statusLedNote().isEmpty() ? "" : ": " + p.statusLedNote())));
        }
        String dir = null;
        for (String name : led.get().sysfsNames()) {
            if (e.files().exists("sys/class/leds/" + name + "/brightness")) {
                dir = "sys/class/leds/" + name;
                break;
            }
        }
        String tried = "/sys/class/leds/" + String.join(" or ", led.get().sysfsNames());
        if (dir == null) {
            java.util.List<String> present = e.files().list("sys/class/leds");
            return warn("no " + tried + ": an application's LED0 cannot be opened (LEDs here: "
                            + (present.isEmpty() ? "none" : String.join(", ", present)) + ")",
                    "the LED appears with the board's device tree and, on a 3 B, the Raspberry Pi firmware's GPIO driver "
                            + "(raspberrypi-exp-gpio); on another kernel name it in a board file that extends " + p.id()
                            + " with its own leds: entry (docs/board-profiles.md)");
        }
        String found = "/" + dir + " (" + p.id() + "'s " + led.get().name() + ")";
        if (!e.files().root().equals(Path.of("/"))) return ok(found + "; its owner is checked on the board itself, not under --root");
        try {
            PosixFileAttributes trigger = Files.readAttributes(e.files().path(dir + "/trigger"), PosixFileAttributes.class);
            if (trigger.group().getName().equals(GpioChipCheck.USER) && trigger.permissions().contains(PosixFilePermission.GROUP_WRITE)) {
                return ok(found + ", trigger and brightness writable by group " + GpioChipCheck.USER);
            }
            return warn(found + ": trigger is group " + trigger.group().getName() + " " + PosixFilePermissions.toString(trigger.permissions())
                            + ", so the runtime's user cannot switch the LED",
                    "the package's udev rule " + RULE + " sets them: sudo udevadm trigger --subsystem-match=leds --action=add");
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read the owner of /" + dir + "/trigger: " + ex, ex);
        }
    }
}
