package io.pirt.runtime.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.runtime.machine.RootFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which console device the runtime opens, on trees of files laid out as a board's (the doctor's
 * fixture trees, src/test/doctor, and trees made here): the profile's, or where its
 * /dev/serial0 is missing the UART the device tree names.
 */
@Timeout(10)
class ConsoleDeviceTest {
    private static final Path FIXTURES = Path.of("src/test/doctor");
    private static final BoardProfile PI_3B = BoardProfiles.builtIn().get("rpi-3b");

    @Test
    void raspberryPiOsSerial0IsTakenAsTheProfileSays() {
        ConsoleDevice c = ConsoleDevice.choose(PI_3B, new RootFiles(FIXTURES.resolve("rpi-3b-good")));
        assertEquals(new ConsoleDevice("/dev/serial0", "board profile rpi-3b"), c);
    }

    @Test
    void aMainlineDeviceTreeWithoutSerial0GivesTheMiniUartItsStdoutPathNamesNotThePl011OfAliasSerial0() {
        // Debian's kernel: alias serial0 is the PL011 (Bluetooth's on the board), stdout-path serial1 the mini UART on the header.
        ConsoleDevice c = ConsoleDevice.choose(PI_3B, new RootFiles(FIXTURES.resolve("rpi-3b-debian")));
        assertEquals("/dev/ttyS1", c.device());
        assertEquals("board profile rpi-3b names /dev/serial0, which this system does not have (Raspberry Pi OS's udev rule makes it);"
                + " /dev/ttyS1 is that UART, by the device tree's /chosen/stdout-path serial1 = /soc/serial@7e215040", c.why());
    }

    @Test
    void aRaspberryPiDeviceTreeWithoutTheUdevRuleGivesTheUartOfSerial0(@TempDir Path root) throws IOException {
        // The Raspberry Pi kernel's device tree (as on Ubuntu) without Raspberry Pi OS's rule: stdout-path is serial0, the mini UART.
        Files.createDirectories(root.resolve("proc/device-tree/chosen"));
        Files.writeString(root.resolve("proc/device-tree/chosen/stdout-path"), "serial0:115200n8\0");
        uart(root, "serial0", "serial@7e215040", "3f215040.serial", "ttyS0");
        uart(root, "serial1", "serial@7e201000", "3f201000.serial", "ttyAMA0");
        ConsoleDevice c = ConsoleDevice.choose(PI_3B, new RootFiles(root));
        assertEquals("/dev/ttyS0", c.device());
        assertTrue(c.why().endsWith("by the device tree's /chosen/stdout-path serial0 = /soc/serial@7e215040"), c.why());
    }

    @Test
    void withoutStdoutPathAliasSerial0IsTheUart(@TempDir Path root) throws IOException {
        uart(root, "serial0", "serial@7e201000", "3f201000.serial", "ttyAMA0");
        ConsoleDevice c = ConsoleDevice.choose(PI_3B, new RootFiles(root));
        assertEquals("/dev/ttyAMA0", c.device());
        assertTrue(c.why().endsWith("by the device tree's alias serial0 = /soc/serial@7e201000"), c.why());
    }

    @Test
    void noUartFoundKeepsSerial0AndSaysWhatWasTriedAndToPassConsole(@TempDir Path root) throws IOException {
        // stdout-path names a UART whose driver made no tty; alias serial0's tty has no /dev node.
        Files.createDirectories(root.resolve("proc/device-tree/chosen"));
        Files.writeString(root.resolve("proc/device-tree/chosen/stdout-path"), "/soc/serial@7e215040\0");
        uart(root, "serial0", "serial@7e201000", "3f201000.serial", "ttyAMA0");
        Files.delete(root.resolve("dev/ttyAMA0"));
        ConsoleDevice c = ConsoleDevice.choose(PI_3B, new RootFiles(root));
        assertEquals("/dev/serial0", c.device(), "the console keeps trying the profile's device");
        assertEquals("board profile rpi-3b; /dev/serial0 does not exist and no UART was found in its place (tried"
                + " /chosen/stdout-path /soc/serial@7e215040: no tty in /sys/class/tty has that node;"
                + " alias serial0 = /soc/serial@7e201000: ttyAMA0, but /dev/ttyAMA0 does not exist):"
                + " give the console device with --console DEVICE", c.why());

        ConsoleDevice bare = ConsoleDevice.choose(PI_3B, new RootFiles(Files.createDirectories(root.resolve("bare"))));
        assertTrue(bare.why().contains("(tried the device tree has neither /chosen/stdout-path nor alias serial0)"), bare.why());
    }

    @Test
    void aMissingUsbGadgetIsWaitedForNotReplaced(@TempDir Path root) throws IOException {
        uart(root, "serial0", "serial@7e215040", "fe215040.serial", "ttyS0");
        ConsoleDevice c = ConsoleDevice.choose(BoardProfiles.builtIn().get("rpi-4b"), new RootFiles(root));
        assertEquals(new ConsoleDevice("/dev/ttyGS0", "board profile rpi-4b"), c);
    }

    @Test
    void aGivenDeviceIsUsedAsGiven() {
        assertEquals("ttyAMA0", ConsoleDevice.given("/dev/ttyAMA0", "given with --console").name());
    }

    /**
     * A UART as the kernel shows it: the alias in /proc/device-tree, the node, the platform
     * device with its of_node link, the tty's class link and device link, and its /dev node.
     */
    private static void uart(Path root, String alias, String node, String device, String tty) throws IOException {
        Files.createDirectories(root.resolve("proc/device-tree/aliases"));
        Files.writeString(root.resolve("proc/device-tree/aliases/" + alias), "/soc/" + node + "\0");
        Files.createDirectories(root.resolve("sys/firmware/devicetree/base/soc/" + node));
        Path platform = Files.createDirectories(root.resolve("sys/devices/platform/soc/" + device + "/tty/" + tty)).getParent().getParent();
        Files.createSymbolicLink(platform.resolve("of_node"), Path.of("../../../../firmware/devicetree/base/soc/" + node));
        Files.createSymbolicLink(platform.resolve("tty/" + tty + "/device"), Path.of("../../../" + device));
        Files.createDirectories(root.resolve("sys/class/tty"));
        Files.createSymbolicLink(root.resolve("sys/class/tty/" + tty), Path.of("../../devices/platform/soc/" + device + "/tty/" + tty));
        Files.createDirectories(root.resolve("dev"));
        Files.writeString(root.resolve("dev/" + tty), "");
    }
}
