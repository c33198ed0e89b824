package io.pirt.runtime.doctor;

import io.pirt.boards.BoardProfile;
import io.pirt.runtime.console.ConsoleDevice;
import io.pirt.wire.message.DoctorReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The boot configuration the console needs, in config.txt (read for this board's
 * conditional sections, {@link BootConfig}) and cmdline.txt: a USB gadget console
 * ({@code ttyGS*}) needs the dwc2 overlay (in peripheral mode on a Pi 5 and a CM4), the
 * {@code g_serial} module loaded, and on a CM4 no active {@code otg_mode=1}; the header UART
 * needs {@code enable_uart=1}, on a Pi 5 {@code dtparam=uart0=on} instead.
 */
final class BootConfigCheck extends Check {
    BootConfigCheck() {
        super("boot-config", "UART or USB gadget in config.txt");
    }

    @Override
    DoctorReport.Check run(Examination e) {
        Optional<ConsoleDevice> console = e.console();
        if (console.isEmpty() || e.profile().isEmpty()) return skip("no board profile, so no console to check the configuration of");
        ConsoleDevice c = console.get();
        BoardProfile p = e.profile().get();
        if (c.device().startsWith("pty:")) return skip(c.device() + ": a pseudo-terminal of the virtual board");
        Set<String> filters = BootConfig.filtersOf(p.id(), p.extendsId());
        if (filters.isEmpty()) return skip("board profile " + p.id() + " is not a Raspberry Pi model the doctor knows the config.txt filters of");
        Optional<String> configFile = e.bootFile("config.txt");
        if (configFile.isEmpty()) return skip("no /boot/firmware/config.txt or /boot/config.txt (not Raspberry Pi OS?)");
        String file = "/" + configFile.get();
        BootConfig config = BootConfig.parse(e.files().read(configFile.get()).orElse(""), filters);
        boolean pi5 = filters.contains("pi5");
        String name = c.name();
        if (name.startsWith("ttyGS")) return gadget(e, config, file, filters);
        if (name.startsWith("ttyUSB") || name.startsWith("ttyACM")) return ok(c.device() + ": a USB serial adapter, nothing to configure at boot");
        if (pi5) return pi5Uart(c, config, file);
        Optional<BootConfig.Setting> enable = config.effective("enable_uart");
        if (enable.isPresent() && enable.get().value().equals("1")) {
            return ok(c.device() + ": enable_uart=1 (" + file + " " + enable.get().where() + ")");
        }
        String now = enable.map(s -> ": " + s.text() + " at " + s.where()).orElse(": no enable_uart line applies to this board");
        return fail(c.device() + " needs the primary UART on" + now + " of " + file,
                "add enable_uart=1 under [all] at the end of " + file + ", then reboot");
    }

    private DoctorReport.Check pi5Uart(ConsoleDevice c, BootConfig config, String file) {
        String name = c.name();
        if (name.equals("ttyAMA10")) return ok(c.device() + ": the debug connector's UART, on without configuration");
        if (name.equals("serial0")) {
            return warn(c.device() + " on a Pi 5 is ttyAMA10, the 3-pin debug connector, not header pins 8/10",
                    "for the header UART use --console /dev/ttyAMA0 in PIRT_OPTS of /etc/pirt/pirt.conf and add dtparam=uart0=on to " + file);
        }
        if (!name.equals("ttyAMA0")) return skip(c.device() + ": a UART the doctor has no rule for on a Pi 5");
        Optional<BootConfig.Setting> uart0 = config.dtparamOn("uart0");
        if (uart0.isPresent()) return ok(c.device() + ": dtparam=" + uart0.get().value() + " (" + file + " " + uart0.get().where() + ")");
        Optional<BootConfig.Setting> enable = config.effective("enable_uart");
        String found = c.device() + " (header pins 8/10) is off: no dtparam=uart0=on applies in " + file;
        if (enable.isPresent() && enable.get().value().equals("1")) {
            found += "; enable_uart=1 (" + enable.get().where() + ") is not enough on a Pi 5: it enables the debug UART (/dev/serial0 = ttyAMA10)";
        }
        return fail(found, "add dtparam=uart0=on under [all] at the end of " + file + ", then reboot");
    }

    private DoctorReport.Check gadget(Examination e, BootConfig config, String file, Set<String> filters) {
        List<String> problems = new ArrayList<>();
        List<String> advice = new ArrayList<>();
        boolean peripheralOnly = filters.contains("pi5") || filters.contains("cm4");
        String wanted = peripheralOnly ? "dtoverlay=dwc2,dr_mode=peripheral" : "dtoverlay=dwc2";
        List<BootConfig.Setting> dwc2 = config.overlays("dwc2");
        List<String> good = new ArrayList<>();
        if (dwc2.isEmpty()) {
            problems.add("no dtoverlay=dwc2 applies to this board");
            advice.add("add " + wanted + " under [all] at the end of " + file);
        } else {
            BootConfig.Setting last = dwc2.get(dwc2.size() - 1);
            if (peripheralOnly && !last.value().replace(" ", "").contains("dr_mode=peripheral")) {
                problems.add("dtoverlay=" + last.value() + " (" + last.where() + ") leaves the port in host/OTG mode");
                advice.add("make " + last.where() + " of " + file + " read " + wanted);
            } else {
                good.add("dtoverlay=" + last.value() + " (" + file + " " + last.where() + ")");
            }
        }
        for (BootConfig.Setting otg : config.applied("otg_mode")) {
            if (!otg.value().equals("1")) continue;
            problems.add("otg_mode=1 is active (" + otg.where() + "): the port runs as a USB host, never as a gadget");
            advice.add("comment out otg_mode=1 at " + otg.where() + " of " + file + " (#otg_mode=1)");
        }
        Optional<String> gSerial = gSerialSource(e);
        if (gSerial.isEmpty()) {
            String cmdline = "/" + e.bootFile("cmdline.txt").orElse("boot/firmware/cmdline.txt");
            problems.add("g_serial is not loaded at boot (not in modules-load= of " + cmdline + " nor in /etc/modules)");
            advice.add("add modules-load=dwc2,g_serial after rootwait on the line of " + cmdline + " (or a line g_serial in /etc/modules)");
        } else {
            good.add("g_serial from " + gSerial.get());
        }
        if (problems.isEmpty()) return ok("USB gadget console: " + String.join(", ", good));
        advice.add("then reboot, with the USB cable in the board's gadget port");
        return fail("USB gadget console: " + String.join("; ", problems), String.join("\n", advice));
    }

    /** Where {@code g_serial} is loaded from at boot, empty when nowhere. */
    private static Optional<String> gSerialSource(Examination e) {
        Optional<String> cmdlineFile = e.bootFile("cmdline.txt");
        if (cmdlineFile.isPresent()) {
            List<String> words = List.of(e.files().read(cmdlineFile.get()).orElse("").trim().split("\\s+"));
            Optional<String> modules = CommandLineCheck.value(words, "modules-load");
            if (modules.isPresent() && List.of(modules.get().split(",")).contains("g_serial")) {
                return Optional.of("modules-load=" + modules.get() + " in /" + cmdlineFile.get());
            }
        }
        for (String line : e.files().read("etc/modules").orElse("").split("\n")) {
            if (line.strip().equals("g_serial")) return Optional.of("/etc/modules");
        }
        for (String conf : e.files().list("etc/modules-load.d")) {
            for (String line : e.files().read("etc/modules-load.d/" + conf).orElse("").split("\n")) {
                if (line.strip().equals("g_serial")) return Optional.of("/etc/modules-load.d/" + conf);
            }
        }
        return Optional.empty();
    }
}
