package io.pirt.hal.pi4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pirt.boards.BoardProfiles;
import io.pirt.hal.HalException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding the profile's GPIO chip by label, and what is said when it is not there: the
 * situation of an emulator, a container or a PC, where nothing must hang or crash.
 */
@Timeout(20)
class GpioChipsTest {
    private static final BoardProfiles PROFILES = BoardProfiles.builtIn();

    @Test
    void theChipInfoIoctlNumberIsTheKernels() {
        // include/uapi/linux/gpio.h: _IOR(0xB4, 0x01, struct gpiochip_info), sizeof = 32 + 32 + 4
        assertEquals(0x8044B401L, GpioChips.GPIO_GET_CHIPINFO_IOCTL);
    }

    @Test
    void noChipDevicesAtAllSaysSoAndHowToLook(@TempDir Path dev) {
        HalException e = assertThrows(HalException.class, () -> GpioChips.find(dev, "pinctrl-bcm2711", "rpi-4b"));
        assertTrue(e.getMessage().startsWith("GPIO chip 'pinctrl-bcm2711' not found: there is no GPIO chip device ("
                + dev.resolve("gpiochip*") + ") on this machine."), e.getMessage());
        assertTrue(e.getMessage().contains("ls -l /dev/gpiochip*") && e.getMessage().contains("gpiodetect"), e.getMessage());
    }

    @Test
    void aDeviceThatIsNoGpioChipIsReportedNotFatal(@TempDir Path dev) throws IOException {
        Files.writeString(dev.resolve("gpiochip0"), "not a character device");
        Files.writeString(dev.resolve("gpiochipX"), "not even the name of one");
        GpioChips.Scan scan = GpioChips.scan(dev);
        assertEquals(List.of(), scan.chips());
        assertEquals(1, scan.unreadable().size());
        assertEquals(25, scan.unreadable().get(0).errno(), "ioctl on a regular file: ENOTTY");
        HalException e = assertThrows(HalException.class, () -> GpioChips.find(dev, "pinctrl-rp1", "rpi-5"));
        assertTrue(e.getMessage().contains("Cannot read " + dev.resolve("gpiochip0") + " (errno 25, ENOTTY: not a GPIO chip device)."),
                e.getMessage());
    }

    @Test
    void otherChipsAreListedWithTheQuestionOfTheProfile() {
        GpioChips.Scan scan = new GpioChips.Scan(List.of(
                new GpioChips.Chip("gpiochip0", "pinctrl-bcm2835", 54, Path.of("/dev/gpiochip0")),
                new GpioChips.Chip("gpiochip1", "raspberrypi-exp-gpio", 8, Path.of("/dev/gpiochip1"))), List.of());
        String m = GpioChips.notFoundMessage(Path.of("/dev"), "pinctrl-bcm2711", "rpi-4b", scan);
        assertEquals("GPIO chip 'pinctrl-bcm2711' not found: the chips here are gpiochip0 [pinctrl-bcm2835] (54 lines),"
                + " gpiochip1 [raspberrypi-exp-gpio] (8 lines). Is board profile rpi-4b the right one for this board?"
                + " (pirt boards detect) Look with: ls -l /dev/gpiochip* and gpiodetect (Debian package gpiod).", m);
    }

    @Test
    void aChipOfAGroupSaysToJoinItThenLogInAgainForALogin() {
        GpioChips.Unreadable u = new GpioChips.Unreadable(Path.of("/dev/gpiochip0"), 13, "gpio", "rw-rw----");
        assertEquals("Cannot open /dev/gpiochip0: permission denied (group gpio, mode rw-rw----); add user pi to group gpio:"
                + " sudo adduser pi gpio, then log out and in again (a login takes its groups when it starts).",
                GpioChips.unreadableMessage(u, "pi", Optional.empty()));
    }

    @Test
    void aChipOfAGroupSaysToJoinItThenRestartTheServiceForAService() {
        GpioChips.Unreadable u = new GpioChips.Unreadable(Path.of("/dev/gpiochip0"), 13, "gpio", "rw-rw----");
        String restart = ", then restart the service, which takes its groups when it starts: sudo systemctl restart pirt-runtime.";
        assertEquals("Cannot open /dev/gpiochip0: permission denied (group gpio, mode rw-rw----); add user pirt to group gpio:"
                + " sudo adduser pirt gpio" + restart, GpioChips.unreadableMessage(u, "pirt", Optional.of("pirt-runtime")));
        // The package's user has no login: a service even where its control group is not seen.
        assertTrue(GpioChips.unreadableMessage(u, "pirt", Optional.empty()).endsWith(restart));
        // Another user's own unit is restarted by its name.
        assertTrue(GpioChips.unreadableMessage(u, "robot", Optional.of("robot-app")).endsWith("sudo systemctl restart robot-app."));
    }

    @Test
    void aChipOnlyRootMayOpenSaysToApplyThePackagesUdevRule() {
        // Debian and Ubuntu before the package's rule applied: the kernel's root:root 0600.
        GpioChips.Unreadable u = new GpioChips.Unreadable(Path.of("/dev/gpiochip0"), 13, "root", "rw-------");
        String service = GpioChips.unreadableMessage(u, "pirt", Optional.of("pirt-runtime"));
        assertEquals("Cannot open /dev/gpiochip0: permission denied (group root, mode rw-------); only root may open it: no udev"
                + " rule gave the GPIO chips a group. The pirt-runtime package's rule (/lib/udev/rules.d/60-pirt.rules) gives them to"
                + " group gpio; apply it: sudo udevadm trigger --subsystem-match=gpio (without that file: sudo apt install --reinstall"
                + " pirt-runtime), then restart the service, which takes its groups when it starts: sudo systemctl restart pirt-runtime.",
                service);
        String login = GpioChips.unreadableMessage(u, "pi", Optional.empty());
        assertTrue(login.contains("sudo udevadm trigger --subsystem-match=gpio"), login);
        assertTrue(login.endsWith("; user pi needs group gpio too: sudo adduser pi gpio, then log out and in again (a login takes its"
                + " groups when it starts)."), login);
    }

    @Test
    void aChipWhoseGroupCannotBeReadSaysHowToSeeIt() {
        GpioChips.Unreadable u = new GpioChips.Unreadable(Path.of("/dev/gpiochip0"), 1, null, null);
        assertEquals("Cannot open /dev/gpiochip0: permission denied; see its group with ls -l /dev/gpiochip0, add user pi to it"
                + " (sudo adduser pi GROUP), then log out and in again (a login takes its groups when it starts).",
                GpioChips.unreadableMessage(u, "pi", Optional.empty()));
    }

    @Test
    void theSystemServiceIsReadFromTheControlGroup() {
        assertEquals(Optional.of("pirt-runtime"), GpioChips.systemService("0::/system.slice/pirt-runtime.service\n"));
        assertEquals(Optional.of("pirt-runtime"), GpioChips.systemService(
                "12:pids:/system.slice/pirt-runtime.service\n1:name=systemd:/system.slice/pirt-runtime.service\n0::/system.slice/pirt-runtime.service\n"));
        assertEquals(Optional.of("app@2"), GpioChips.systemService("0::/system.slice/system-app.slice/app@2.service\n"));
        assertEquals(Optional.empty(), GpioChips.systemService("0::/user.slice/user-1000.slice/session-3.scope\n"));
        assertEquals(Optional.empty(), GpioChips.systemService("0::/user.slice/user-1000.slice/user@1000.service/app.slice/robot.service\n"));
        assertEquals(Optional.empty(), GpioChips.systemService(""));
    }

    @Test
    void openingTheBoardWithoutItsChipFailsWithTheMessage() throws IOException {
        try (DirectoryStream<Path> chips = Files.newDirectoryStream(Path.of("/dev"), "gpiochip*")) {
            assumeTrue(!chips.iterator().hasNext(), "this machine has GPIO chips");
        }
        HalException e = assertThrows(HalException.class, () -> Pi4jGpio.open(PROFILES.get("rpi-4b")));
        assertTrue(e.getMessage().startsWith("GPIO chip 'pinctrl-bcm2711' not found: there is no GPIO chip device"),
                e.getMessage());
    }

    @Test
    void aMissingChipIsFoundWithoutStartingPi4jAndSaysTheSameAsOpen(@TempDir Path dev) throws IOException {
        String m = Pi4jGpio.missingChip(PROFILES.get("rpi-4b"), dev).orElseThrow();
        HalException e = assertThrows(HalException.class, () -> GpioChips.find(dev, "pinctrl-bcm2711", "rpi-4b"));
        assertEquals(e.getMessage(), m);
        assertTrue(m.startsWith("GPIO chip 'pinctrl-bcm2711' not found: there is no GPIO chip device"), m);
        Files.writeString(dev.resolve("gpiochip0"), "not a character device");
        assertTrue(Pi4jGpio.missingChip(PROFILES.get("rpi-5"), dev).orElseThrow().contains("pinctrl-rp1"));
    }

    @Test
    void theSimulatedBoardHasNoChipToMiss(@TempDir Path dev) {
        assertEquals(java.util.Optional.empty(), Pi4jGpio.missingChip(PROFILES.get("virtual"), dev));
    }

    @Test
    void theVirtualBoardIsNotForPi4j() {
        HalException e = assertThrows(HalException.class, () -> Pi4jGpio.open(PROFILES.get("virtual")));
        assertEquals("board virtual uses GPIO provider 'sim'; Pi4jGpio drives boards whose profile says gpio.provider:"
                + " gpiod", e.getMessage());
    }

    @Test
    void pi4jsLibrariesAreCopiedForTheArchitectureItNames(@TempDir Path dir) throws Exception {
        Class<?> anchor = Class.forName("com.pi4j.library.gpiod.internal.GpioD", false, getClass().getClassLoader());
        Path target = Pi4jNativeLibrary.extractTo(dir, "aarch64", anchor);
        assertEquals(dir.resolve("pi4j-3.0.3"), target);
        for (String file : Pi4jNativeLibrary.FILES) {
            try (InputStream original = anchor.getResourceAsStream("/lib/aarch64/pi4j-gpiod/" + file)) {
                assertArrayEquals(original.readAllBytes(), Files.readAllBytes(target.resolve(file)), file);
            }
        }
        assertEquals("armhf", Pi4jNativeLibrary.pi4jArchitecture("arm"));
        assertEquals("aarch64", Pi4jNativeLibrary.pi4jArchitecture("aarch64"));
        assertNull(Pi4jNativeLibrary.pi4jArchitecture("amd64"));
    }
}
