package io.pirt.runtime.console;

import io.pirt.boards.BoardProfile;
import io.pirt.runtime.machine.RootFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The device the runtime's console opens, and why that one: one line in the runtime's log at
 * start, and what {@code pirt doctor} checks (docs/raspberry-pi.md, "Debian and Ubuntu on a
 * Pi"). Given ({@code --console}), it is used as given. Else it is the board profile's
 * ({@code chosen.console}), with one exception: a profile that names {@code /dev/serial0} on a
 * system that has none.
 *
 * <p>{@code /dev/serial0} is a link that only Raspberry Pi OS makes (raspberrypi-sys-mods'
 * udev rule 99-com.rules), to the primary UART, the one on header pins 8/10. Without it (Debian,
 * Ubuntu) the UART is found the way that rule finds it, through the device tree: the tty whose
 * device-tree node ({@code /sys/class/tty/TTY/device/of_node}) is the node the device tree
 * names, first the console UART of {@code /chosen/stdout-path}, then alias {@code serial0}.
 * That order matters on a mainline kernel's device tree (Debian's): there alias serial0 is the
 * PL011, which on the 3 B, 3 B+, 4 B and Zero 2 W drives Bluetooth, while stdout-path names
 * serial1, the mini UART on the header ("8250 auxiliary UART instead of pl011",
 * bcm2711-rpi-4-b.dts). On the Raspberry Pi kernel's device trees both name the primary UART
 * (bcm270x.dtsi: stdout-path = "serial0:115200n8"; the firmware keeps serial0 on the primary).
 * When nothing is found the profile's device stays, which the console keeps trying to open,
 * and {@link #why} lists what was tried and says to pass {@code --console}.
 *
 * <p>Any other missing device (the USB gadget's {@code /dev/ttyGS0} before g_serial is loaded)
 * is not replaced: it may yet appear, and the console opens it when it does.
 *
 * @param device the device path ({@code /dev/ttyS1}; {@code pty:NAME} on the virtual board)
 * @param why    how it was chosen, for a person
 */
public record ConsoleDevice(String device, String why) {
    private static final String SERIAL0 = "/dev/serial0";
    /** Where the kernel shows the flattened device tree; /proc/device-tree links here. */
    private static final String DEVICE_TREE_BASE = "devicetree/base";

    public ConsoleDevice {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(why, "why");
    }

    /** A device given by the user; {@code how} says where ({@code --console}, {@code --console in /etc/pirt/pirt.conf}). */
    public static ConsoleDevice given(String device, String how) {
        return new ConsoleDevice(device, how);
    }

    /**
     * The profile's console device on the machine whose files are {@code files}, or the UART
     * the device tree names when the profile's is a {@code /dev/serial0} that is not there.
     *
     * @throws java.io.UncheckedIOException when a file that exists cannot be read
     */
    public static ConsoleDevice choose(BoardProfile profile, RootFiles files) {
        String device = profile.consoleDevice();
        String source = "board profile " + profile.id();
        if (!device.equals(SERIAL0) || files.devNodeFollowed("serial0").isPresent()) return new ConsoleDevice(device, source);
        List<String> tried = new ArrayList<>();
        for (Map.Entry<String, String> named : namedUarts(files).entrySet()) {
            String node = named.getValue();
            Optional<String> tty = ttyOf(node, files);
            if (tty.isEmpty()) {
                tried.add(named.getKey() + ": no tty in /sys/class/tty has that node");
            } else if (files.devNodeFollowed(tty.get()).isEmpty()) {
                tried.add(named.getKey() + ": " + tty.get() + ", but /dev/" + tty.get() + " does not exist");
            } else {
                return new ConsoleDevice("/dev/" + tty.get(), source + " names " + SERIAL0 + ", which this system does not have "
                        + "(Raspberry Pi OS's udev rule makes it); /dev/" + tty.get() + " is that UART, by the device tree's " + named.getKey());
            }
        }
        if (tried.isEmpty()) tried.add("the device tree has neither /chosen/stdout-path nor alias serial0");
        return new ConsoleDevice(device, source + "; " + SERIAL0 + " does not exist and no UART was found in its place (tried "
                + String.join("; ", tried) + "): give the console device with --console DEVICE");
    }

    /** Its name in /dev ({@code ttyS1}). */
    public String name() {
        return device.substring(device.lastIndexOf('/') + 1);
    }

    /**
     * The UART nodes the device tree names, in the order they are tried, each under a description
     * ({@code /chosen/stdout-path serial1 = /soc/serial@7e215040}); one node once.
     */
    private static Map<String, String> namedUarts(RootFiles files) {
        Map<String, String> named = new LinkedHashMap<>();
        Optional<String> stdout = property(files, "chosen/stdout-path").map(s -> s.split(":", 2)[0]);
        if (stdout.isPresent() && !stdout.get().isEmpty()) {
            String s = stdout.get();
            Optional<String> node = s.startsWith("/") ? Optional.of(s) : property(files, "aliases/" + s);
            node.ifPresent(n -> named.put("/chosen/stdout-path " + (s.equals(n) ? s : s + " = " + n), n));
        }
        property(files, "aliases/serial0").filter(n -> !named.containsValue(n)).ifPresent(n -> named.put("alias serial0 = " + n, n));
        return named;
    }

    /** A string property of the device tree ({@code aliases/serial0}), without its terminating NUL; empty when absent. */
    private static Optional<String> property(RootFiles files, String path) {
        return files.read("proc/device-tree/" + path).map(s -> s.replace("\0", "").strip()).filter(s -> !s.isEmpty());
    }

    /** The tty whose device's device-tree node is {@code node} ({@code /soc/serial@7e215040}); empty when none is. */
    private static Optional<String> ttyOf(String node, RootFiles files) {
        String suffix = DEVICE_TREE_BASE + node;
        for (String tty : files.list("sys/class/tty")) {
            if (files.resolve("sys/class/tty/" + tty + "/device/of_node").endsWith(suffix)) return Optional.of(tty);
        }
        return Optional.empty();
    }
}
