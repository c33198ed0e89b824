package io.pirt.runtime.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.BoardProfiles;
import io.pirt.wire.message.DoctorReport;
import io.pirt.wire.message.DoctorReport.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor's I2C, SPI and PWM check on board trees made here: config.txt, the /dev listing
 * (src/test/doctor/README.md, "How a tree stands for a machine"), /etc/group and the sysfs PWM
 * class as the kernel lays it out ({@code /sys/class/pwm/pwmchipN} a link to the chip under its
 * device, whose {@code device} link names that device).
 */
@Timeout(30)
class BusCheckTest {
    @TempDir
    Path root;

    /** A Raspberry Pi OS 4 B with the package installed: pirt in gpio, i2c, spi and dialout. */
    private final List<String> devices = new ArrayList<>();
    private String groups = "pirt:x:999:\ngpio:x:997:pirt\ni2c:x:998:pirt\nspi:x:996:pirt\ndialout:x:20:pirt\n";

    private void config(String text) throws IOException {
        Files.createDirectories(root.resolve("boot/firmware"));
        Files.writeString(root.resolve("boot/firmware/config.txt"), text);
    }

    /** A line of {@code ls -l /dev}. */
    private void node(String mode, String group, String name) {
        devices.add("c" + mode + " 1 root " + group + " 89, 1 Jan  1 00:00 " + name);
    }

    /** /sys/class/pwm/{@code chip} of the platform device {@code device}, with {@code npwm} channels. */
    private void pwmChip(String chip, String device, int npwm) throws IOException {
        Path dir = Files.createDirectories(root.resolve("sys/devices/platform/soc/" + device + "/pwm/" + chip));
        Files.createSymbolicLink(dir.resolve("device"), Path.of("../../../" + device));
        Files.writeString(dir.resolve("npwm"), npwm + "\n");
        Files.writeString(dir.resolve("export"), "");
        Files.createDirectories(root.resolve("sys/class/pwm"));
        Files.createSymbolicLink(root.resolve("sys/class/pwm/" + chip), Path.of("../../devices/platform/soc/" + device + "/pwm/" + chip));
    }

    private DoctorReport.Check check(String board) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "pirt:x:999:999:pirt board runtime:/var/lib/pirt:/usr/sbin/nologin\n");
        Files.writeString(root.resolve("etc/group"), groups);
        Files.write(root.resolve("dev-listing.txt"), devices);
        DoctorReport report = Doctor.examine(new Doctor.Setup(root, Optional.of(BoardProfiles.builtIn().get(board)), "--board " + board,
                Optional.empty(), OptionalLong.empty(), Optional.empty()));
        DoctorReport.Check c = DoctorFixturesTest.check(report, "buses");
        assertEquals("I2C, SPI and PWM", c.title());
        return c;
    }

    private static void assertHas(String text, String... parts) {
        for (String p : parts) assertTrue(text.contains(p), () -> "'" + p + "' in:\n" + text);
    }

    @Test
    void busesThatAreOffAreNoFaultAndTheLineSaysWhatTurnsEachOn() throws IOException {
        config("dtparam=audio=on\n[pi4]\narm_boost=1\n");
        DoctorReport.Check c = check("rpi-4b");
        assertEquals(Verdict.OK, c.verdict());
        assertEquals("off (to use one, add its line to /boot/firmware/config.txt and reboot): i2c-1 (dtparam=i2c_arm=on), "
                + "spi0.0, spi0.1 (dtparam=spi=on), PWM0, PWM1 (dtoverlay=pwm-2chan)", c.found());
    }

    @Test
    void enabledBusesWithTheirNodesOpenToPirtPass() throws IOException {
        config("dtparam=audio=on\ndtparam=i2c_arm=on\ndtparam=spi=on\ndtoverlay=pwm-2chan\n");
        node("rw-rw----", "i2c", "i2c-1");
        node("rw-rw----", "spi", "spidev0.0");
        node("rw-rw----", "spi", "spidev0.1");
        pwmChip("pwmchip0", "fe20c000.pwm", 2);
        DoctorReport.Check c = check("rpi-4b");
        assertEquals(Verdict.OK, c.verdict());
        assertHas(c.found(),
                "i2c-1 on (dtparam=i2c_arm=on, /boot/firmware/config.txt line 2), /dev/i2c-1 (root:i2c crw-rw----) open to user pirt",
                "spi0.1 on (dtparam=spi=on, /boot/firmware/config.txt line 3), /dev/spidev0.1 (root:spi crw-rw----) open to user pirt",
                "PWM1 (channel 1 of fe20c000.pwm, pin D19) on (dtoverlay=pwm-2chan, /boot/firmware/config.txt line 4), /sys/class/pwm/pwmchip0,"
                        + " user pirt in group gpio (its files' owner is checked on the board itself, not under --root)");
        assertTrue(!c.found().contains("off ("), c.found());
    }

    @Test
    void dtparamI2cIsTheSameParameterAsI2cArmAndTheLastLineWins() {
        BootConfig on = BootConfig.parse("dtparam=i2c=on\n", BootConfig.filtersOf("rpi-4b", Optional.empty()));
        assertEquals("dtparam=i2c=on", BusCheck.enabling(on, "dtparam=i2c_arm=on").orElseThrow().text());
        BootConfig off = BootConfig.parse("dtparam=i2c_arm=on\ndtparam=i2c=off\n", BootConfig.filtersOf("rpi-4b", Optional.empty()));
        assertTrue(BusCheck.enabling(off, "dtparam=i2c_arm=on").isEmpty(), "the later i2c=off turns the same parameter off");
        BootConfig otherModel = BootConfig.parse("[pi5]\ndtparam=spi=on\ndtoverlay=pwm-2chan\n", BootConfig.filtersOf("rpi-4b", Optional.empty()));
        assertTrue(BusCheck.enabling(otherModel, "dtparam=spi=on").isEmpty(), "[pi5] does not apply to a 4 B");
        assertTrue(BusCheck.enabling(otherModel, "dtoverlay=pwm-2chan").isEmpty());
        BootConfig withParams = BootConfig.parse("dtoverlay=pwm-2chan,pin=12,func=4\n", BootConfig.filtersOf("rpi-4b", Optional.empty()));
        assertEquals(1, BusCheck.enabling(withParams, "dtoverlay=pwm-2chan").orElseThrow().number(), "an overlay is known by its name");
    }

    @Test
    void anEnabledBusWithoutItsNodeFailsNamingTheModuleAndTheReboot() throws IOException {
        config("dtparam=i2c_arm=on\n");
        DoctorReport.Check c = check("rpi-4b");
        assertEquals(Verdict.FAIL, c.verdict());
        assertHas(c.found(), "i2c-1 on (dtparam=i2c_arm=on, /boot/firmware/config.txt line 1) but /dev/i2c-1 does not exist",
                "off (to use one, add its line to /boot/firmware/config.txt and reboot): spi0.0, spi0.1 (dtparam=spi=on), PWM0, PWM1 (dtoverlay=pwm-2chan)");
        assertHas(c.advice(), "if /boot/firmware/config.txt changed since the last boot: sudo reboot", "sudo modprobe i2c-dev",
                "/lib/modules-load.d/pirt-runtime.conf");
    }

    @Test
    void aNodeTheUdevRuleHasNotReachedFailsNamingTheTrigger() throws IOException {
        config("dtparam=i2c_arm=on\n");
        node("rw-------", "root", "i2c-1");
        DoctorReport.Check c = check("rpi-4b");
        assertEquals(Verdict.FAIL, c.verdict());
        assertHas(c.found(), "/dev/i2c-1 (root:root crw-------): user pirt (groups pirt,gpio,i2c,spi,dialout) may not open it, and no group may");
        assertHas(c.advice(), "sudo udevadm trigger --subsystem-match=i2c-dev", "/lib/udev/rules.d/60-pirt.rules", "sudo systemctl restart pirt-runtime");
    }

    @Test
    void aNodeOfAGroupPirtIsNotInFailsNamingAdduser() throws IOException {
        groups = "pirt:x:999:\ngpio:x:997:pirt\ni2c:x:998:pirt\nspi:x:996:\n";
        config("dtparam=spi=on\n");
        node("rw-rw----", "spi", "spidev0.0");
        node("rw-rw----", "spi", "spidev0.1");
        DoctorReport.Check c = check("rpi-4b");
        assertEquals(Verdict.FAIL, c.verdict());
        assertHas(c.found(), "spi0.0 on (dtparam=spi=on, /boot/firmware/config.txt line 1), /dev/spidev0.0 (root:spi crw-rw----): user pirt");
        assertEquals("sudo adduser pirt spi (the package puts it in spi), then sudo systemctl restart pirt-runtime", c.advice(),
                "one line of advice for both chip selects");
    }

    @Test
    void aNodePresentWithoutItsLineIsCheckedAsTheBusIsThere() throws IOException {
        // Enabled some other way (an overlay of its own, dtparam at run time): the node is what counts.
        config("dtoverlay=i2c1,pins_2_3\n");
        node("rw-rw----", "i2c", "i2c-1");
        DoctorReport.Check c = check("rpi-4b");
        assertEquals(Verdict.OK, c.verdict());
        assertHas(c.found(), "i2c-1 present though no line of /boot/firmware/config.txt applies dtparam=i2c_arm=on, /dev/i2c-1 (root:i2c crw-rw----) open to user pirt");
    }

    @Test
    void withoutConfigTxtTheNodesAloneSayWhatIsOn() throws IOException {
        // Debian or Ubuntu: no /boot/firmware/config.txt the doctor can read.
        node("rw-rw----", "i2c", "i2c-1");
        DoctorReport.Check c = check("rpi-3b");
        assertEquals(Verdict.OK, c.verdict());
        assertHas(c.found(), "i2c-1 present, /dev/i2c-1 (root:i2c crw-rw----) open to user pirt",
                "off (to use one, add its line to config.txt and reboot): spi0.0, spi0.1 (dtparam=spi=on)",
                "no /boot/firmware/config.txt or /boot/config.txt (not Raspberry Pi OS?)");
    }

    @Test
    void anEnabledPwmWithoutTheProfilesChipFailsListingTheChipsThereAre() throws IOException {
        config("dtoverlay=pwm-2chan\n");
        pwmChip("pwmchip0", "3f20c000.pwm", 2);
        DoctorReport.Check c = check("rpi-4b");
        assertEquals(Verdict.FAIL, c.verdict());
        assertHas(c.found(), "PWM0 (channel 0 of fe20c000.pwm, pin D18) on (dtoverlay=pwm-2chan, /boot/firmware/config.txt line 1) but no"
                + " /sys/class/pwm/pwmchip* belongs to fe20c000.pwm (chips here: pwmchip0 (3f20c000.pwm))");
        assertEquals("if /boot/firmware/config.txt changed since the last boot: sudo reboot\n"
                + "if the board's PWM chip is not fe20c000.pwm (ls -l /sys/class/pwm/pwmchip*/device), give its device name as the chip"
                + " of the pwm: entries in a board file that extends rpi-4b (docs/board-profiles.md)", c.advice(), "one line each, for both channels");
    }

    @Test
    void aPwmChannelBeyondTheChipsChannelsFails() throws IOException {
        // The Pi 5's GPIO18/19 are channels 2 and 3 of RP1's PWM0: a chip of 2 channels has neither.
        config("dtoverlay=pwm-2chan\n");
        pwmChip("pwmchip0", "1f00098000.pwm", 2);
        DoctorReport.Check c = check("rpi-5");
        assertEquals(Verdict.FAIL, c.verdict());
        assertHas(c.found(), "PWM0 (channel 2 of 1f00098000.pwm, pin D18) on (dtoverlay=pwm-2chan, /boot/firmware/config.txt line 1),"
                + " /sys/class/pwm/pwmchip0 has 2 channels, so no channel 2");
        assertEquals("correct the channels of the pwm: entries on 1f00098000.pwm in the board profile io/pirt/boards/profiles/rpi-5.yaml",
                c.advice());
    }

    @Test
    void aPwmOverlayWithItsOwnPinsWarnsThatTheProfileExpectsOthers() throws IOException {
        config("dtoverlay=pwm-2chan,pin=12,func=4,pin2=13,func2=4\n");
        pwmChip("pwmchip0", "fe20c000.pwm", 2);
        DoctorReport.Check c = check("rpi-4b");
        assertEquals(Verdict.WARN, c.verdict());
        assertHas(c.found(), "/sys/class/pwm/pwmchip0, user pirt in group gpio (its files' owner is checked on the board itself, not under"
                + " --root); but dtoverlay=pwm-2chan,pin=12,func=4,pin2=13,func2=4 routes the channels by its own parameters, the profile"
                + " expects dtoverlay=pwm-2chan (pin D18)");
        assertHas(c.advice(), "use dtoverlay=pwm-2chan in /boot/firmware/config.txt (line 1)");
    }

    @Test
    void aPwmChipWithoutItsOverlayLineIsOffEvenIfTheChipExists() throws IOException {
        // The chip may be there for other pins (the analogue audio's): without pwm-2chan D18 and D19 are not its.
        config("dtparam=audio=on\n");
        pwmChip("pwmchip0", "fe20c000.pwm", 2);
        DoctorReport.Check c = check("rpi-4b");
        assertEquals(Verdict.OK, c.verdict());
        assertHas(c.found(), "PWM0, PWM1 (dtoverlay=pwm-2chan)");
    }

    @Test
    void pirtOutsideGroupGpioCannotDrivePwm() throws IOException {
        groups = "pirt:x:999:\ngpio:x:997:\ni2c:x:998:pirt\nspi:x:996:pirt\n";
        config("dtoverlay=pwm-2chan\n");
        pwmChip("pwmchip0", "fe20c000.pwm", 2);
        DoctorReport.Check c = check("rpi-4b");
        assertEquals(Verdict.FAIL, c.verdict());
        assertHas(c.found(), "user pirt (groups pirt,i2c,spi) is not in group gpio");
        assertEquals("sudo adduser pirt gpio, then sudo systemctl restart pirt-runtime", c.advice());
    }

    @Test
    void theSimulatedBoardHasNothingToCheck() throws IOException {
        DoctorReport.Check c = check("virtual");
        assertEquals(Verdict.SKIP, c.verdict());
        assertEquals("board profile virtual simulates its buses: nothing to check on this machine", c.found());
    }
}
