package io.pirt.runtime.doctor;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.I2cBusSpec;
import io.pirt.boards.PwmChannelSpec;
import io.pirt.boards.SpiDeviceSpec;
import io.pirt.runtime.machine.RootFiles;
import io.pirt.wire.message.DoctorReport;
import io.pirt.wire.message.DoctorReport.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The I2C buses, SPI devices and PWM channels of the board profile (docs/board-profiles.md,
 * "I2C buses, SPI devices and PWM channels"), each as far as it goes: whether config.txt turns
 * it on (the profile's {@code enable} line, read for this board's conditional sections,
 * {@link BootConfig}); whether its device is there ({@code /dev/i2c-1}; for a PWM channel a
 * {@code /sys/class/pwm/pwmchipN} whose {@code device} link names the profile's chip, with the
 * channel among its {@code npwm}); and whether user pirt may open it (its groups in
 * {@code /etc/group}; a PWM chip's sysfs files on the board itself only, as for the status
 * LED, since a tree cannot carry their owner). A bus that is off is not a fault, since the
 * application may not use it: the line lists it with what turns it on. One that config.txt
 * turns on but that has no device, or that pirt may not open, fails.
 */
final class BusCheck extends Check {
    private static final String RULE = "/lib/udev/rules.d/60-pirt.rules";
    private static final String MODULES = "/lib/modules-load.d/pirt-runtime.conf";
    private static final String RESTART = "sudo systemctl restart pirt-runtime";

    BusCheck() {
        super("buses", "I2C, SPI and PWM");
    }

    /** What was found for one bus: its verdict (OK also for "off"), the text, and what to do. */
    private record Finding(Verdict verdict, String found, List<String> advice) {
        static Finding ok(String found) {
            return new Finding(Verdict.OK, found, List.of());
        }
    }

    /** The config.txt read for this board, or why it could not be. */
    private record Config(Optional<BootConfig> config, String file, String unread) {
    }

    @Override
    DoctorReport.Check run(Examination e) {
        if (e.profile().isEmpty()) return skip("no board profile, so no buses to look for");
        BoardProfile p = e.profile().get();
        if (p.gpioProvider().equals("sim")) return skip("board profile " + p.id() + " simulates its buses: nothing to check on this machine");
        if (p.i2cBuses().isEmpty() && p.spiDevices().isEmpty() && p.pwmChannels().isEmpty()) {
            return skip("board profile " + p.id() + " names no I2C bus, SPI device or PWM channel");
        }
        Config config = config(e, p);
        List<String> groups = Groups.of(e.files(), GpioChipCheck.USER);
        List<String> on = new ArrayList<>();
        // The buses that are off, by the line that turns them on ("(absent)" without one), in profile order.
        Map<String, List<String>> off = new LinkedHashMap<>();
        Verdict verdict = Verdict.OK;
        Set<String> advice = new LinkedHashSet<>();
        for (I2cBusSpec b : p.i2cBuses().values()) {
            verdict = add(node(e, config, groups, b.name(), b.device(), b.enable(), "i2c", "i2c-dev",
                    "/dev/i2c-N needs the i2c-dev module: sudo modprobe i2c-dev (the package loads it at every boot, " + MODULES + ")"),
                    verdict, on, off, advice, b.name(), b.enable());
        }
        for (SpiDeviceSpec d : p.spiDevices().values()) {
            verdict = add(node(e, config, groups, d.name(), d.device(), d.enable(), "spi", "spidev",
                    "the spidev module makes it: lsmod | grep spidev, dmesg | grep -i spi (the package loads spidev at every boot, " + MODULES + ")"),
                    verdict, on, off, advice, d.name(), d.enable());
        }
        for (PwmChannelSpec c : p.pwmChannels().values()) {
            verdict = add(pwm(e, config, groups, c), verdict, on, off, advice, c.name(), c.enable());
        }
        List<String> parts = new ArrayList<>(on);
        if (!off.isEmpty()) {
            List<String> groupsOff = new ArrayList<>();
            off.forEach((line, names) -> groupsOff.add(String.join(", ", names) + " (" + line + ")"));
            parts.add("off (to use one, add its line to " + config.file() + " and reboot): " + String.join(", ", groupsOff));
        }
        if (!config.unread().isEmpty()) parts.add(config.unread());
        String found = String.join("; ", parts);
        return switch (verdict) {
            case OK -> ok(found);
            case WARN -> warn(found, String.join("\n", advice));
            default -> fail(found, String.join("\n", advice));
        };
    }

    /** Files one bus's finding: "on" text or the "off" list, its advice, and the worse verdict. */
    private static Verdict add(Optional<Finding> finding, Verdict verdict, List<String> on, Map<String, List<String>> off,
                               Set<String> advice, String name, Optional<String> enable) {
        if (finding.isEmpty()) {
            off.computeIfAbsent(enable.orElse("absent"), k -> new ArrayList<>()).add(name);
            return verdict;
        }
        on.add(finding.get().found());
        advice.addAll(finding.get().advice());
        return worse(verdict, finding.get().verdict());
    }

    private static Verdict worse(Verdict a, Verdict b) {
        if (a == Verdict.FAIL || b == Verdict.FAIL) return Verdict.FAIL;
        if (a == Verdict.WARN || b == Verdict.WARN) return Verdict.WARN;
        return Verdict.OK;
    }

    private static Config config(Examination e, BoardProfile p) {
        Optional<String> file = e.bootFile("config.txt");
        if (file.isEmpty()) return new Config(Optional.empty(), "config.txt", "no /boot/firmware/config.txt or /boot/config.txt (not Raspberry Pi OS?)");
        Set<String> filters = BootConfig.filtersOf(p.id(), p.extendsId());
        if (filters.isEmpty()) {
            return new Config(Optional.empty(), "/" + file.get(), "/" + file.get() + " not read: board profile " + p.id()
                    + " is not a Raspberry Pi model the doctor knows the config.txt filters of");
        }
        return new Config(Optional.of(BootConfig.parse(e.files().read(file.get()).orElse(""), filters)), "/" + file.get(), "");
    }

    /**
     * The applied config.txt line that does what {@code enable} says, empty when none does:
     * {@code dtparam=P=on} (with {@code i2c} and {@code i2c_arm} one parameter),
     * {@code dtoverlay=NAME,...} by the overlay's name, else {@code KEY=VALUE} as the last applied line.
     */
    static Optional<BootConfig.Setting> enabling(BootConfig config, String enable) {
        int eq = enable.indexOf('=');
        if (eq <= 0) return Optional.empty();
        String key = enable.substring(0, eq).strip();
        String value = enable.substring(eq + 1).strip();
        if (key.equals("dtparam")) {
            String param = value.split("=", 2)[0].strip();
            Set<String> names = param.equals("i2c_arm") || param.equals("i2c") ? Set.of("i2c_arm", "i2c") : Set.of(param);
            return config.dtparamOn(names);
        }
        if (key.equals("dtoverlay")) {
            List<BootConfig.Setting> lines = config.overlays(value.split(",")[0].strip());
            return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
        }
        return config.effective(key).filter(s -> s.value().equals(value));
    }

    /** "on (dtparam=spi=on, line 60)", or what else made the bus on; {@code line} empty when no config.txt line does. */
    private static String onBy(Optional<BootConfig.Setting> line, Optional<String> enable, Config config) {
        if (line.isPresent()) return "on (" + line.get().text() + ", " + config.file() + " " + line.get().where() + ")";
        if (enable.isEmpty() || config.config().isEmpty()) return "present";
        return "present though no line of " + config.file() + " applies " + enable.get();
    }

    /** An i2c-dev or spidev bus: empty when it is off (not enabled and no node); else its node and whether pirt may open it. */
    private static Optional<Finding> node(Examination e, Config config, List<String> groups, String name, String device,
                                          Optional<String> enable, String group, String subsystem, String missingAdvice) {
        Optional<BootConfig.Setting> line = config.config().flatMap(c -> enable.flatMap(x -> enabling(c, x)));
        boolean isDev = device.startsWith("/dev/");
        Optional<RootFiles.DevNode> node = isDev ? e.files().devNodeFollowed(device.substring("/dev/".length())) : Optional.empty();
        boolean present = isDev ? node.isPresent() : e.files().exists(device);
        if (!present) {
            if (line.isEmpty()) return Optional.empty();
            return Optional.of(new Finding(Verdict.FAIL, name + " " + onBy(line, enable, config) + " but " + device + " does not exist",
                    List.of("if " + config.file() + " changed since the last boot: sudo reboot", missingAdvice)));
        }
        String found = name + " " + onBy(line, enable, config) + ", " + (node.isPresent() ? node.get().toString() : device);
        if (node.isEmpty()) return Optional.of(Finding.ok(found + " (not a /dev node: its permission is not checked)"));
        if (groups.isEmpty()) {
            return Optional.of(new Finding(Verdict.WARN, found + ", but user " + GpioChipCheck.USER + " is in no group of /etc/group (not made yet?)",
                    List.of("install the pirt-runtime package (its postinst makes the user)")));
        }
        if (Groups.mayReadWrite(node.get(), GpioChipCheck.USER, groups)) return Optional.of(Finding.ok(found + " open to user " + GpioChipCheck.USER));
        String refused = found + ": user " + GpioChipCheck.USER + " (groups " + String.join(",", groups) + ") may not open it";
        if (node.get().group().equals("root")) {
            return Optional.of(new Finding(Verdict.FAIL, refused + ", and no group may: the package's udev rule, which gives it to group "
                    + group + ", has not applied", List.of("sudo udevadm trigger --subsystem-match=" + subsystem + " (the rule is " + RULE
                    + "; without it: sudo apt install --reinstall pirt-runtime)" + (groups.contains(group) ? "" : "; then sudo adduser "
                    + GpioChipCheck.USER + " " + group) + ", then " + RESTART)));
        }
        return Optional.of(new Finding(Verdict.FAIL, refused, List.of("sudo adduser " + GpioChipCheck.USER + " " + node.get().group()
                + " (the package puts it in " + group + "), then " + RESTART)));
    }

    /**
     * A PWM channel: empty when it is off (its line not in a readable config.txt, or no line to
     * look for and no chip of its device); else its chip and whether pirt may drive it.
     */
    private static Optional<Finding> pwm(Examination e, Config config, List<String> groups, PwmChannelSpec c) {
        Optional<BootConfig.Setting> line = config.config().flatMap(x -> c.enable().flatMap(en -> enabling(x, en)));
        List<String> chips = new ArrayList<>();
        Optional<String> chip = Optional.empty();
        for (String n : e.files().list("sys/class/pwm")) {
            if (!n.startsWith("pwmchip")) continue;
            String device = e.files().resolve("sys/class/pwm/" + n + "/device");
            String deviceName = device.substring(device.lastIndexOf('/') + 1);
            chips.add(n + " (" + deviceName + ")");
            if (deviceName.equals(c.chip()) && chip.isEmpty()) chip = Optional.of(n);
        }
        String what = c.name() + " (channel " + c.channel() + " of " + c.chip() + ", pin " + c.pin() + ")";
        // Unlike an I2C or SPI node, a chip without its line may exist with its channels on other
        // pins (the Pi 3's analogue audio): where config.txt can be read, its line decides.
        if (line.isEmpty() && c.enable().isPresent() && config.config().isPresent()) return Optional.empty();
        if (chip.isEmpty()) {
            if (line.isEmpty()) return Optional.empty();
            return Optional.of(new Finding(Verdict.FAIL, what + " " + onBy(line, c.enable(), config) + " but no /sys/class/pwm/pwmchip* belongs to "
                    + c.chip() + " (chips here: " + (chips.isEmpty() ? "none" : String.join(", ", chips)) + ")",
                    List.of("if " + config.file() + " changed since the last boot: sudo reboot",
                            "if the board's PWM chip is not " + c.chip() + " (ls -l /sys/class/pwm/pwmchip*/device), give its device name"
                                    + " as the chip of the pwm: entries in a board file that extends " + e.profile().orElseThrow().id()
                                    + " (docs/board-profiles.md)")));
        }
        String dir = "sys/class/pwm/" + chip.get();
        String found = what + " " + onBy(line, c.enable(), config) + ", /" + dir;
        Optional<String> npwm = e.files().read(dir + "/npwm").map(String::strip);
        if (npwm.isPresent() && npwm.get().matches("\\d+") && c.channel() >= Integer.parseInt(npwm.get())) {
            return Optional.of(new Finding(Verdict.FAIL, found + " has " + npwm.get() + " channels, so no channel " + c.channel(),
                    List.of("correct the channels of the pwm: entries on " + c.chip() + " in the board profile "
                            + e.profile().orElseThrow().origin())));
        }
        List<String> advice = new ArrayList<>();
        Verdict verdict = Verdict.OK;
        String expected = c.enable().orElse("");
        String routing = "";
        if (line.isPresent() && expected.startsWith("dtoverlay=") && !line.get().text().replace(" ", "").equals(expected.replace(" ", ""))) {
            routing = "; but " + line.get().text() + " routes the channels by its own parameters, the profile expects " + expected
                    + " (pin " + c.pin() + ")";
            advice.add("use " + expected + " in " + config.file() + " (" + line.get().where() + "), or give the pins your overlay line uses in a "
                    + "board file's pwm: entries");
            verdict = Verdict.WARN;
        }
        if (groups.isEmpty()) {
            return Optional.of(new Finding(Verdict.WARN, found + ", but user " + GpioChipCheck.USER + " is in no group of /etc/group (not made yet?)",
                    List.of("install the pirt-runtime package (its postinst makes the user)")));
        }
        if (!groups.contains("gpio")) {
            return Optional.of(new Finding(Verdict.FAIL, found + ": user " + GpioChipCheck.USER + " (groups " + String.join(",", groups)
                    + ") is not in group gpio, which the package's udev rule gives the PWM chips' files",
                    List.of("sudo adduser " + GpioChipCheck.USER + " gpio, then " + RESTART)));
        }
        if (!e.files().root().equals(Path.of("/"))) {
            return Optional.of(new Finding(verdict, found + ", user " + GpioChipCheck.USER + " in group gpio (its files' owner is checked on "
                    + "the board itself, not under --root)" + routing, advice));
        }
        try {
            PosixFileAttributes export = Files.readAttributes(e.files().path(dir + "/export"), PosixFileAttributes.class);
            if (export.group().getName().equals("gpio") && export.permissions().contains(PosixFilePermission.GROUP_WRITE)) {
                return Optional.of(new Finding(verdict, found + " (export writable by group gpio) open to user " + GpioChipCheck.USER + routing,
                        advice));
            }
            advice.add("the package's udev rule " + RULE + " gives a chip's export and its exported channels to group gpio: "
                    + "sudo udevadm trigger --subsystem-match=pwm --action=add");
            return Optional.of(new Finding(Verdict.FAIL, found + ": its export is group " + export.group().getName() + " "
                    + PosixFilePermissions.toString(export.permissions()) + ", so user " + GpioChipCheck.USER + " cannot export the channel"
                    + routing, advice));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read the owner of /" + dir + "/export: " + ex, ex);
        }
    }
}
