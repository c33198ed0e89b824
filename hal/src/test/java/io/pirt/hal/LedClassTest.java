package io.pirt.hal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.boards.Pin;
import io.pirt.hal.sim.SimulatedGpio;
import io.pirt.hal.sim.Wiring;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LED0 of a Raspberry Pi profile, the ACT LED, opened through the kernel's LED class on a copy
 * of what {@code /sys/class/leds} shows on a Pi 4: {@code ACT} a link to the gpio-leds
 * device's directory, with {@code trigger} (the active one in brackets), {@code brightness}
 * and {@code max_brightness}. The GPIO lines are the simulated board's, on the same profile.
 */
@Timeout(30)
class LedClassTest {
    private static final BoardProfile PI4 = BoardProfiles.builtIn().get("rpi-4b");
    private static final String TRIGGERS = "none rc-feedback kbd-scrolllock timer oneshot heartbeat backlight gpio cpu cpu0"
            + " default-on input panic actpwr [mmc0] rfkill-any rfkill-none\n";

    @TempDir
    Path root;
    private Path leds;
    private Path act;
    private Board board;

    @BeforeEach
    void sysfs() throws IOException {
        leds = Files.createDirectories(root.resolve("sys/class/leds"));
        act = ledDirectory("ACT");
        board = Board.open(PI4, new SimulatedGpio(PI4, Wiring.none()), leds);
    }

    @AfterEach
    void closeBoard() {
        board.close();
    }

    /** /sys/devices/platform/leds/leds/NAME with the three attributes, linked from /sys/class/leds/NAME. */
    private Path ledDirectory(String name) throws IOException {
        Path device = Files.createDirectories(root.resolve("sys/devices/platform/leds/leds").resolve(name));
        Files.writeString(device.resolve("trigger"), TRIGGERS);
        Files.writeString(device.resolve("brightness"), "0\n");
        Files.writeString(device.resolve("max_brightness"), "255\n");
        return Files.createSymbolicLink(leds.resolve(name), device);
    }

    private String read(String attribute) throws IOException {
        return Files.readString(act.resolve(attribute));
    }

    @Test
    void openingTakesTheLedFromItsTriggerAndSwitchesItOff() throws IOException {
        Files.writeString(act.resolve("brightness"), "255\n"); // the kernel's mmc0 trigger had it on
        GpioPin led = board.pin("LED0", PinMode.OUTPUT);
        assertEquals("none", read("trigger"), "the kernel stops driving it");
        assertEquals("0", read("brightness"), "an output starts inactive");
        assertEquals("ACT", led.name());
        assertEquals(-1, led.line(), "no GPIO line: the kernel's leds-gpio keeps line 42");
        assertEquals(PinMode.OUTPUT, led.mode());
        assertFalse(led.read());
    }

    @Test
    void writesAreFullBrightnessOrOffAndReadBack() throws IOException {
        GpioPin led = board.pin("LED0", PinMode.OUTPUT);
        led.write(true);
        assertEquals("255", read("brightness"), "max_brightness");
        assertTrue(led.read());
        assertFalse(led.toggle());
        assertEquals("0", read("brightness"));
        assertTrue(led.toggle());
        assertEquals("255", read("brightness"));
        Files.writeString(act.resolve("brightness"), "0\n"); // someone else switched it off
        assertFalse(led.read(), "a read shows what the kernel has");
    }

    @Test
    void closingGivesTheLedBackToTheTriggerItHad() throws IOException {
        GpioPin led = board.pin("LED0", PinMode.OUTPUT);
        led.write(true);
        led.close();
        assertEquals("mmc0", read("trigger"));
        assertFalse(board.isOpen("LED0"));
        HalException e = assertThrows(HalException.class, () -> led.write(false));
        assertEquals("pin ACT was closed; open it again with Board.pin()", e.getMessage());

        Files.writeString(act.resolve("trigger"), TRIGGERS); // the kernel shows the trigger list again, [mmc0] active
        try (GpioPin again = board.pin("ACT", PinMode.OUTPUT)) {
            assertEquals("none", read("trigger"), "it opens again, by its own name too");
        }
        assertEquals("mmc0", read("trigger"), "the trigger saved by the second open is mmc0, not none");
    }

    @Test
    void closingTheBoardGivesEveryLedBack() throws IOException {
        board.pin("LED0", PinMode.OUTPUT).write(true);
        board.close();
        assertEquals("mmc0", read("trigger"));
    }

    @Test
    void anOpenLedIsTakenLikeAPin() {
        try (GpioPin led = board.pin("LED0", PinMode.OUTPUT)) {
            assertTrue(board.isOpen("LED0"));
            assertTrue(board.isOpen("ACT"));
            HalException e = assertThrows(HalException.class, () -> board.pin("ACT", PinMode.OUTPUT));
            assertEquals("LED ACT is already in use as OUTPUT; close it before opening it again", e.getMessage());
        }
        assertFalse(board.isOpen("LED0"));
    }

    @ParameterizedTest
    @EnumSource(value = PinMode.class, names = {"INPUT", "INPUT_PULLUP", "INPUT_PULLDOWN"})
    void anLedOpensOnlyAsAnOutput(PinMode mode) throws IOException {
        HalException e = assertThrows(HalException.class, () -> board.pin("LED0", mode));
        assertEquals("LED0 (ACT) of board rpi-4b is an LED the kernel drives through its LED class (/sys/class/leds/ACT or"
                + " led0): it opens only as OUTPUT, not as " + mode + " (an LED has no input level, pull resistor or edges)",
                e.getMessage());
        assertTrue(read("trigger").contains("[mmc0]"), "nothing was written");
        assertFalse(board.isOpen("LED0"));
    }

    @Test
    void anLedHasNoEdges() {
        try (GpioPin led = board.pin("LED0", PinMode.OUTPUT)) {
            HalException e = assertThrows(HalException.class, () -> led.onEdge(Edge.BOTH, 0, (active, nanos) -> { }));
            assertEquals("pin ACT is an OUTPUT: edge callbacks need an input pin", e.getMessage());
        }
    }

    @Test
    void aKernelFromBeforeTheRenameHasLed0() throws IOException {
        Files.delete(act);
        act = ledDirectory("led0");
        try (GpioPin led = board.pin("LED0", PinMode.OUTPUT)) {
            led.write(true);
            assertEquals("255", read("brightness"));
        }
        assertEquals("mmc0", read("trigger"));
    }

    @Test
    void aMissingLedNamesWhereItLookedAndWhatThereIs() throws IOException {
        Files.delete(act);
        ledDirectory("PWR");
        HalException e = assertThrows(HalException.class, () -> board.pin("LED0", PinMode.OUTPUT));
        assertEquals("LED0 is the kernel LED ACT, but none of " + leds.resolve("ACT") + ", " + leds.resolve("led0")
                + " exists; the kernel's LEDs here are PWR. Check the board profile's leds.ACT.sysfs, and that the device"
                + " tree still has the LED (a dtparam=act_led_... or an overlay may rename or remove it)", e.getMessage());
        assertFalse(board.isOpen("LED0"));
    }

    @Test
    void aTriggerFileWithoutAnActiveEntryIsRefusedBeforeAnythingIsWritten() throws IOException {
        Files.writeString(act.resolve("trigger"), "0\n");
        HalException e = assertThrows(HalException.class, () -> board.pin("LED0", PinMode.OUTPUT));
        assertTrue(e.getMessage().startsWith("LED0 (LED ACT), " + act + ": " + act.resolve("trigger")
                + " names no active trigger in brackets (it reads '0')"), e.getMessage());
        assertEquals("0\n", read("trigger"));
    }

    @Test
    void permissionDeniedNamesTheFileAndThePackagesUdevRule() throws IOException {
        Path trigger = act.resolve("trigger");
        Files.setPosixFilePermissions(trigger.toRealPath(), PosixFilePermissions.fromString("r--r--r--"));
        assumeFalse(Files.isWritable(trigger), "runs as root, who writes a read-only file anyway: there is no permission to deny");
        HalException e = assertThrows(HalException.class, () -> board.pin("LED0", PinMode.OUTPUT));
        assertTrue(e.getMessage().startsWith("LED0 (LED ACT), " + act + ": cannot write 'none' to " + trigger
                + ": permission denied; the pirt-runtime package's udev rule (/lib/udev/rules.d/60-pirt.rules) lets group"
                + " pirt write every LED's trigger and brightness"), e.getMessage());
        assertTrue(e.getMessage().contains("udevadm trigger --subsystem-match=leds --action=add"), e.getMessage());
        assertFalse(board.isOpen("LED0"));
    }

    /** A kernel file that answers EINVAL to every value pirt writes, with no effect: /proc/self/clear_refs takes 1..5. */
    private static Path einval() {
        Path clearRefs = Path.of("/proc/self/clear_refs");
        assumeTrue(Files.isWritable(clearRefs), "this kernel has no writable " + clearRefs + " to answer EINVAL");
        return clearRefs;
    }

    @Test
    void aBrightnessTheKernelRefusesFailsTheOpenAndPutsTheTriggerBack() throws IOException {
        Path brightness = act.resolve("brightness").toRealPath();
        Files.delete(brightness);
        Files.createSymbolicLink(brightness, einval());
        HalException e = assertThrows(HalException.class, () -> board.pin("LED0", PinMode.OUTPUT));
        assertEquals("LED0 (LED ACT), " + act + ": cannot write '0' to " + act.resolve("brightness") + ": Invalid argument;"
                + " the kernel refused the value: no such trigger (was its module unloaded?) or a brightness it does not take",
                e.getMessage());
        assertEquals("mmc0", read("trigger"), "the LED is the kernel's again");
        assertFalse(board.isOpen("LED0"));
    }

    @Test
    void aTriggerTheKernelNoLongerTakesFailsTheCloseButFreesTheLed() throws IOException {
        GpioPin led = board.pin("LED0", PinMode.OUTPUT);
        Path trigger = act.resolve("trigger").toRealPath();
        Files.delete(trigger);
        Files.createSymbolicLink(trigger, einval());
        HalException e = assertThrows(HalException.class, led::close);
        assertEquals("LED0 (LED ACT), " + act + ": cannot write 'mmc0' to " + act.resolve("trigger") + ": Invalid argument;"
                + " the kernel refused the value: no such trigger (was its module unloaded?) or a brightness it does not take",
                e.getMessage());
        assertFalse(board.isOpen("LED0"), "the pin is closed all the same");
        Files.delete(trigger);
        Files.writeString(trigger, TRIGGERS);
        board.pin("LED0", PinMode.OUTPUT).close(); // it can be opened again
    }

    @Test
    void aBusyLedAndAReadOnlySysfsSayWhatToDo() {
        SysfsLed led = new SysfsLed(act, "LED0 (LED ACT), " + act);
        String file = act.resolve("brightness").toString();
        // The JDK's FileSystemException for a write(2) that failed with EBUSY and with EROFS.
        HalException busy = led.failure("cannot write '255' to " + file, new FileSystemException(file, null, "Device or resource busy"));
        assertEquals("LED0 (LED ACT), " + act + ": cannot write '255' to " + file + ": Device or resource busy; the kernel says"
                + " the LED is busy: a driver has taken its sysfs interface (a camera flash LED does); use another LED",
                busy.getMessage());
        HalException readOnly = led.failure("cannot write 'none' to " + file, new FileSystemException(file, null, "Read-only file system"));
        assertTrue(readOnly.getMessage().endsWith(": Read-only file system; /sys is read-only for this process (systemd's"
                + " ProtectKernelTunables=): pirt-runtime.service makes /sys/class/leds/ACT and led0 writable; for another LED"
                + " add ReadWritePaths=/sys/class/leds/NAME with 'sudo systemctl edit pirt-runtime'"), readOnly.getMessage());
    }

    @Test
    void aBusyActLedLineSaysToOpenTheLedInstead() {
        HalException busy = new HalException("ACT_LED (line 42 of gpiochip0 [pinctrl-bcm2711] (58 lines)): configuring it as"
                + " OUTPUT failed: Device or resource busy");
        GpioLines heldByLedsGpio = new GpioLines() {
            @Override
            public void configure(Pin pin, PinMode mode) {
                throw busy;
            }

            @Override
            public boolean read(Pin pin) {
                throw new AssertionError("never configured");
            }

            @Override
            public void write(Pin pin, boolean active) {
                throw new AssertionError("never configured");
            }

            @Override
            public LevelChanges watch(Pin pin) {
                throw new AssertionError("never configured");
            }

            @Override
            public void release(Pin pin) {
            }

            @Override
            public void close() {
            }
        };
        try (Board pi = Board.open(PI4, heldByLedsGpio, leds)) {
            HalException e = assertThrows(HalException.class, () -> pi.pin("ACT_LED", PinMode.OUTPUT));
            assertEquals(busy.getMessage() + "; this line is the LED ACT, which pirt drives through the kernel's LED class"
                    + " (/sys/class/leds/ACT or led0) without taking the line from its driver: open LED0 or ACT as OUTPUT"
                    + " instead", e.getMessage());
            assertEquals(busy, e.getCause());
            assertFalse(pi.isOpen("ACT_LED"));
        }
    }

    @Test
    void theLedGetsItsTriggerBackWhenTheApplicationEndsWithoutClosingIt() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LedLeftOnAtExit.class.getName(), leds.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes());
        }
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the application ends");
        assertEquals(0, p.exitValue(), out);
        assertEquals("on, trigger none\n", out, "the application saw its LED on, the kernel's trigger off");
        assertEquals("mmc0", read("trigger"), "the exit hook gave the LED back");
    }

    /** An application that switches LED0 on and returns from main without closing anything. */
    static final class LedLeftOnAtExit {
        public static void main(String[] args) throws IOException {
            Path leds = Path.of(args[0]);
            Board board = Board.open(PI4, new SimulatedGpio(PI4, Wiring.none()), leds);
            board.pin("LED0", PinMode.OUTPUT).write(true);
            System.out.println((Files.readString(leds.resolve("ACT/brightness")).equals("255") ? "on" : "off")
                    + ", trigger " + Files.readString(leds.resolve("ACT/trigger")));
        }
    }
}
