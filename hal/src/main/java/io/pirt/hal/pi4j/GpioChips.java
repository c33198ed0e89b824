package io.pirt.hal.pi4j;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import io.pirt.hal.HalException;
import io.pirt.hal.internal.LibC;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The GPIO chips of this machine, read from their character devices ({@code /dev/gpiochipN})
 * with the kernel's {@code GPIO_GET_CHIPINFO_IOCTL}, the call {@code gpiodetect} makes; and
 * the lookup of the chip a board profile names by label.
 *
 * <p>Pi4J's gpiod provider cannot be asked for a chip by label (3.0.3 takes a chip name,
 * {@code gpiochipN}, or else the first chip whose label contains "pinctrl"), and chip
 * numbers depend on the kernel and the order the chips were probed in, while labels do not.
 * So pirt finds the number here and hands Pi4J the name.
 */
final class GpioChips {
    private static final Pattern CHIP_DEVICE = Pattern.compile("gpiochip\\d+");
    /** struct gpiochip_info { char name[32]; char label[32]; __u32 lines; }: 68 bytes. */
    private static final int CHIP_INFO_BYTES = 68;
    /** _IOR(0xB4, 0x01, struct gpiochip_info): read (2) << 30 | size << 16 | type << 8 | nr. */
    static final long GPIO_GET_CHIPINFO_IOCTL = (2L << 30) | ((long) CHIP_INFO_BYTES << 16) | (0xB4 << 8) | 0x01;
    /** The pirt-runtime package's system user and its service (packaging/src/deb), for the advice. */
    private static final String PACKAGE_USER = "pirt";
    private static final String PACKAGE_SERVICE = "pirt-runtime";

    private GpioChips() {
    }

    /** One GPIO chip: {@code gpiochip0}, label {@code pinctrl-bcm2711}, 58 lines. */
    record Chip(String name, String label, int lines, Path device) {
        @Override
        public String toString() {
            return name + " [" + label + "] (" + lines + " lines)";
        }
    }

    /** A chip device that could not be read, and why. */
    record Unreadable(Path device, int errno, String group, String permissions) {
    }

    /** What a scan of the chip devices found. */
    record Scan(List<Chip> chips, List<Unreadable> unreadable) {
    }

    /**
     * Reads every {@code gpiochipN} device in {@code devDir}, in chip-number order.
     *
     * @throws HalException if {@code devDir} cannot be listed or JNA cannot load libc
     */
    static Scan scan(Path devDir) {
        List<Path> devices = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(devDir, p -> CHIP_DEVICE.matcher(p.getFileName().toString()).matches())) {
            ds.forEach(devices::add);
        } catch (IOException e) {
            throw new HalException("cannot list the GPIO chip devices in " + devDir + ": " + e, e);
        }
        devices.sort(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring("gpiochip".length()))));
        List<Chip> chips = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        for (Path device : devices) {
            try {
                chips.add(read(device));
            } catch (LastErrorException e) {
                unreadable.add(new Unreadable(device, e.getErrorCode(), group(device), permissions(device)));
            }
        }
        return new Scan(chips, unreadable);
    }

    private static Chip read(Path device) {
        LibC c = LibC.get();
        int fd = c.open(device.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        try (Memory info = new Memory(CHIP_INFO_BYTES)) {
            info.clear();
            c.ioctl(fd, new NativeLong(GPIO_GET_CHIPINFO_IOCTL), info);
            byte[] bytes = info.getByteArray(0, CHIP_INFO_BYTES);
            return new Chip(cString(bytes, 0, 32), cString(bytes, 32, 32), info.getInt(64), device);
        } finally {
            c.close(fd);
        }
    }

    /**
     * The chip labelled {@code label} in {@code devDir}.
     *
     * @param boardId the board profile's id, for the message
     * @throws HalException naming the label, the chips there are (or that there are none, or
     *                      that some cannot be read and why), and the commands to look
     */
    static Chip find(Path devDir, String label, String boardId) {
        Scan scan = scan(devDir);
        for (Chip chip : scan.chips()) {
            if (chip.label().equals(label)) return chip;
        }
        throw new HalException(notFoundMessage(devDir, label, boardId, scan));
    }

    static String notFoundMessage(Path devDir, String label, String boardId, Scan scan) {
        StringBuilder m = new StringBuilder("GPIO chip '").append(label).append("' not found: ");
        if (scan.chips().isEmpty() && scan.unreadable().isEmpty()) {
            m.append("there is no GPIO chip device (").append(devDir.resolve("gpiochip*")).append(") on this machine."
                    + " A Raspberry Pi kernel has them; an emulator, a container or a PC does not: there, use the virtual board.");
        } else {
            if (!scan.chips().isEmpty()) {
                m.append("the chips here are ");
                for (int i = 0; i < scan.chips().size(); i++) m.append(i == 0 ? "" : ", ").append(scan.chips().get(i));
                m.append(". ");
            }
            for (Unreadable u : scan.unreadable()) m.append(unreadableMessage(u)).append(' ');
            if (!scan.chips().isEmpty()) {
                m.append("Is board profile ").append(boardId).append(" the right one for this board? (pirt boards detect)");
            }
        }
        m.append(" Look with: ls -l /dev/gpiochip* and gpiodetect (Debian package gpiod).");
        return m.toString();
    }

    /** What to do about a chip device this process could not read, said for the user and the service it runs as. */
    static String unreadableMessage(Unreadable u) {
        return unreadableMessage(u, System.getProperty("user.name", "$USER"), systemService(thisProcessCgroups()));
    }

    /**
     * What to do about {@code u}: for a permission denied, the fix on this system. A chip of a
     * group that is not root: join that group, then restart what runs as {@code user} (a process
     * takes its groups when it starts: a service is restarted, a login is logged into again). A
     * chip only root may open ({@code root:root 0600}, the kernel's own): no udev rule gave the
     * chips a group, and the package's (60-pirt.rules, group gpio) is to be applied.
     *
     * @param user    the user this process runs as
     * @param service the systemd service this process runs in ({@code pirt-runtime}); empty outside one
     */
    static String unreadableMessage(Unreadable u, String user, Optional<String> service) {
        if (u.errno() != 13 && u.errno() != 1) {
            return "Cannot read " + u.device() + " (errno " + u.errno() + (u.errno() == 25 ? ", ENOTTY: not a GPIO chip device" : "") + ").";
        }
        StringBuilder m = new StringBuilder("Cannot open ").append(u.device()).append(": permission denied");
        if (u.group() != null) m.append(" (group ").append(u.group()).append(u.permissions() == null ? "" : ", mode " + u.permissions()).append(')');
        // The package's user has no login: it only ever runs as the service.
        Optional<String> restarted = service.isPresent() ? service : user.equals(PACKAGE_USER) ? Optional.of(PACKAGE_SERVICE) : Optional.empty();
        String restart = restarted.map(s -> "then restart the service, which takes its groups when it starts: sudo systemctl restart " + s)
                .orElse("then log out and in again (a login takes its groups when it starts)");
        if (u.group() == null) {
            return m.append("; see its group with ls -l ").append(u.device()).append(", add user ").append(user)
                    .append(" to it (sudo adduser ").append(user).append(" GROUP), ").append(restart).append('.').toString();
        }
        if (u.group().equals("root")) {
            m.append("; only root may open it: no udev rule gave the GPIO chips a group. The pirt-runtime package's rule"
                    + " (/lib/udev/rules.d/60-pirt.rules) gives them to group gpio; apply it: sudo udevadm trigger --subsystem-match=gpio"
                    + " (without that file: sudo apt install --reinstall pirt-runtime)");
            if (!user.equals(PACKAGE_USER)) m.append("; user ").append(user).append(" needs group gpio too: sudo adduser ").append(user).append(" gpio");
            return m.append(", ").append(restart).append('.').toString();
        }
        return m.append("; add user ").append(user).append(" to group ").append(u.group()).append(": sudo adduser ").append(user).append(' ')
                .append(u.group()).append(", ").append(restart).append('.').toString();
    }

    /**
     * The system service whose control group {@code cgroups} (the text of {@code /proc/self/cgroup},
     * cgroup v1 or v2) puts the process in: {@code pirt-runtime} for {@code 0::/system.slice/pirt-runtime.service};
     * empty for a login session, a user's own services or none.
     */
    static Optional<String> systemService(String cgroups) {
        for (String line : cgroups.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            String[] path = f[2].split("/");
            if (path.length < 3 || !path[1].equals("system.slice")) continue;
            for (int i = path.length - 1; i >= 2; i--) {
                if (path[i].endsWith(".service")) return Optional.of(path[i].substring(0, path[i].length() - ".service".length()));
            }
        }
        return Optional.empty();
    }

    /**
     * This process's {@code /proc/self/cgroup}; empty where there is none. Read only to word a
     * message: a file that cannot be read then gives the advice for a login, not another error.
     */
    private static String thisProcessCgroups() {
        try {
            return Files.readString(Path.of("/proc/self/cgroup"));
        } catch (IOException | SecurityException e) {
            return "";
        }
    }

    private static String cString(byte[] bytes, int off, int max) {
        int end = off;
        while (end < off + max && bytes[end] != 0) end++;
        return new String(bytes, off, end - off, StandardCharsets.UTF_8);
    }

    private static String group(Path device) {
        try {
            return ((GroupPrincipal) Files.getAttribute(device, "posix:group")).getName();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    private static String permissions(Path device) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(device));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }
}
