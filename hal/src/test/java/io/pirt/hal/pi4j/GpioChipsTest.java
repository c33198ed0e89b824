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
    void aForbiddenChipSaysWhichGroupToJoin() {
        GpioChips.Unreadable u = new GpioChips.Unreadable(Path.of("/dev/gpiochip0"), 13, "gpio", "rw-rw----");
        String m = GpioChips.unreadableMessage(u);
        String user = System.getProperty("user.name");
        assertEquals("Cannot open /dev/gpiochip0: permission denied (group gpio, mode rw-rw----); add user " + user
                + " to group gpio: sudo usermod -aG gpio " + user + ", then log out and in again.", m);
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
