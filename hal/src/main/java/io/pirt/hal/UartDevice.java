package io.pirt.hal;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.SerialPortSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.UnaryOperator;

/**
 * The device a {@link Uart} opens, and the errors that name it: which port of which board
 * it is, where its path came from, and what to do when it is missing, forbidden or busy.
 *
 * @param name           what error messages call the port: {@code SERIAL0}, or the path
 *                       when opened by path
 * @param path           the device path, as given (a symlink such as /dev/serial0 is not resolved)
 * @param boardId        the board profile's id, or null when opened by path
 * @param pseudoTerminal whether the device is a pseudo-terminal (the simulated board's
 *                       SERIALn): then a missing device means the runtime's terminal is gone
 * @param enable         the config.txt line that enables the UART, from the board profile;
 *                       empty when opened by path or the profile does not say
 */
record UartDevice(String name, Path path, String boardId, boolean pseudoTerminal, String enable) {
    /** System property prefix: {@code pirt.serial.SERIAL0=/dev/pts/7} gives SERIAL0's device. */
    static final String PROPERTY_PREFIX = "pirt.serial.";

    /** A device opened by path. */
    static UartDevice ofPath(Path path) {
        return new UartDevice(path.toString(), path, null, path.startsWith("/dev/pts/"), "");
    }

    /**
     * The device of serial port {@code portName} of {@code board}: the path in system
     * property {@code pirt.serial.<portName>} if set, else the profile's device. A
     * {@code pty:} placeholder needs the property, which the runtime sets when it creates the
     * pseudo-terminal.
     *
     * @param properties looks up a system property (System::getProperty, or a map in tests)
     * @throws HalException if the board has no such port, the property is not an absolute
     *                      path, or the port is a placeholder and the property is not set
     */
    static UartDevice resolve(BoardProfile board, String portName, UnaryOperator<String> properties) {
        SerialPortSpec spec = board.serialPorts().get(portName);
        if (spec == null) {
            throw new HalException("board " + board.id() + " has no serial port '" + portName + "'; "
                    + (board.serialPorts().isEmpty() ? "it has none"
                            : "its serial ports: " + String.join(", ", board.serialPorts().keySet())));
        }
        String property = PROPERTY_PREFIX + portName;
        String override = properties.apply(property);
        if (override != null && !override.isBlank()) {
            Path path = Path.of(override.strip());
            if (!path.isAbsolute()) {
                throw new HalException(portName + " of board " + board.id() + ": system property " + property + "='"
                        + override + "' is not an absolute device path (expected e.g. /dev/pts/7)");
            }
            return new UartDevice(portName, path, board.id(), spec.isPseudoTerminal() || path.startsWith("/dev/pts/"), spec.enable());
        }
        if (spec.isPseudoTerminal()) {
            throw new HalException(portName + " of board " + board.id() + " is a pseudo-terminal that the pirt runtime creates ("
                    + spec.device() + "), and system property " + property + " that gives its path is not set: run the "
                    + "application under the runtime (pirt sim), or create a pseudo-terminal and pass -D" + property
                    + "=/dev/pts/N");
        }
        return new UartDevice(portName, Path.of(spec.device()), board.id(), false, spec.enable());
    }

    /** "SERIAL0 (/dev/serial0)" or just the path. */
    String describe() {
        return name.equals(path.toString()) ? name : name + " (" + path + ")";
    }

    /**
     * Throws the matching error if the device does not exist or this user may not read and
     * write it. Checked before jSerialComm opens it, so the message can say why.
     */
    void checkAccessible() {
        if (!Files.exists(path)) throw noSuchDevice();
        if (!Files.isReadable(path) || !Files.isWritable(path)) {
            throw new HalException(permissionMessage(describe(), path, ownerGroup(path), permissions(path),
                    System.getProperty("user.name", "$USER")));
        }
    }

    HalException noSuchDevice() {
        StringBuilder m = new StringBuilder(describe()).append(": no such device ").append(path);
        if (Files.isSymbolicLink(path)) m.append(" (a symbolic link whose target does not exist)");
        if (pseudoTerminal) {
            m.append(": the pseudo-terminal is gone; is the pirt runtime (or the program) that created it still running?");
        } else {
            String config = " in config.txt (/boot/firmware/config.txt; /boot/config.txt before Bookworm) and reboot";
            if (!enable.isEmpty()) {
                m.append(": is the UART enabled? The board profile ").append(boardId).append(" says ").append(name)
                        .append(" is enabled by the line ").append(enable).append(config);
                if (enable.equals("enable_uart=1")) {
                    m.append(" (or sudo raspi-config, Interface Options, Serial Port: login shell No, serial port hardware Yes)");
                } else {
                    m.append(" (enable_uart=1 does not enable this one)");
                }
            } else {
                m.append(": is the UART enabled? On a Raspberry Pi add enable_uart=1").append(config)
                        .append(", or run sudo raspi-config, Interface Options, Serial Port: login shell No, serial port hardware Yes");
            }
            m.append(". ls -l /dev/serial* /dev/ttyAMA* /dev/ttyS* /dev/ttyUSB* shows the serial devices this machine has");
            if (boardId != null) m.append("; the board profile ").append(boardId).append(" says ").append(name).append(" is ").append(path);
        }
        return new HalException(m.toString());
    }

    HalException inUse(int errno) {
        return new HalException(describe() + ": " + path + " is in use by another program (it holds the device's lock; "
                + errno(errno) + "); find it with sudo fuser -v " + path + " or sudo lsof " + path
                + ", and stop it; on a Raspberry Pi a serial login console on this UART is disabled with sudo raspi-config,"
                + " Interface Options, Serial Port, login shell No");
    }

    HalException inUseHere() {
        return new HalException(describe() + ": " + path + " is already open in this application; close the other Uart"
                + " first, or share it");
    }

    HalException permissionDenied() {
        return new HalException(permissionMessage(describe(), path, ownerGroup(path), permissions(path),
                System.getProperty("user.name", "$USER")));
    }

    /**
     * The message for a device this user may not open: which group owns it and how to join
     * it. {@code group} or {@code permissions} may be null when they cannot be read.
     */
    static String permissionMessage(String port, Path device, String group, String permissions, String user) {
        StringBuilder m = new StringBuilder(port).append(": permission denied on ").append(device);
        if (group != null || permissions != null) {
            m.append(" (");
            if (group != null) m.append("group ").append(group);
            if (group != null && permissions != null) m.append(", ");
            if (permissions != null) m.append("mode ").append(permissions);
            m.append(')');
        }
        m.append(": user ").append(user).append(" may not read and write it.");
        if (group != null && !group.equals("root")) {
            m.append(" Add the user to group ").append(group).append(": sudo usermod -aG ").append(group).append(' ')
                    .append(user).append(", then log out and in again (or reboot) so the new group applies; id ")
                    .append(user).append(" lists the user's groups.");
        } else {
            m.append(" Only root may use it: give the device a group with a udev rule (Raspberry Pi OS puts serial"
                    + " devices in group dialout) and add the user to that group.");
        }
        return m.toString();
    }

    /** "EACCES (13)": the name of a Linux errno value, with the number. */
    static String errno(int code) {
        String name = switch (code) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 5 -> "EIO";
            case 6 -> "ENXIO";
            case 11 -> "EAGAIN";
            case 13 -> "EACCES";
            case 16 -> "EBUSY";
            case 19 -> "ENODEV";
            case 22 -> "EINVAL";
            case 25 -> "ENOTTY";
            default -> "errno";
        };
        return name + " (" + code + ")";
    }

    /** The device's group, or null if it cannot be read. */
    static String ownerGroup(Path device) {
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
