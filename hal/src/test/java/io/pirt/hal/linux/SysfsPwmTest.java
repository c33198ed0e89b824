package io.pirt.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.PwmChannelSpec;
import io.pirt.hal.Buses.PwmOutput;
import io.pirt.hal.HalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sysfs PWM backend on a fake /sys/class/pwm in a temporary directory: which chip it
 * picks, the exact writes and their order (the fake refuses, as the kernel does, a duty above
 * the period), and the messages of what goes wrong.
 */
class SysfsPwmTest {
    private static final PwmChannelSpec PWM0 = new PwmChannelSpec("PWM0", "fe20c000.pwm", 0, "D18", Optional.of("dtoverlay=pwm-2chan"));
    private static final String CHIP = "sys/class/pwm/pwmchip0";

    @TempDir
    Path root;
    private FakeKernel kernel;
    private KernelBuses buses;

    /** pwmchip0 of fe20c000.pwm (the Pi 4's), and pwmchip1 of another device, as the kernel links them. */
    @BeforeEach
    void sysfs() throws IOException {
        chip("pwmchip0", "fe20c000.pwm");
        chip("pwmchip1", "fe804000.i2c-pwm");
        kernel = new FakeKernel(root);
        buses = new KernelBuses(root, kernel, TimeUnit.SECONDS.toNanos(5));
    }

    private void chip(String name, String device) throws IOException {
        Path platform = Files.createDirectories(root.resolve("sys/devices/platform/soc/" + device));
        Path chip = Files.createDirectories(root.resolve("sys/class/pwm/" + name));
        Files.createSymbolicLink(chip.resolve("device"), chip.relativize(platform));
        for (String file : List.of("export", "unexport")) Files.writeString(chip.resolve(file), "");
        Files.writeString(chip.resolve("npwm"), "2\n");
    }

    private List<String> writes() {
        return kernel.takeCalls().stream().filter(c -> c.startsWith("write ")).map(c -> c.substring(6)).toList();
    }

    @Test
    void openExportsTheChannelOfTheProfilesChipAndSetsTheDefaultPeriodOff() throws IOException {
        PwmOutput pwm = buses.openPwm(PWM0);
        // duty_cycle and enable are 0 after the export already: not written
        assertEquals(List.of(CHIP + "/export 0", CHIP + "/pwm0/period 1000000"), writes());
        assertEquals("1000000", Files.readString(root.resolve(CHIP + "/pwm0/period")).strip());
        assertEquals(0, kernel.openFiles());
        pwm.close();
    }

    @Test
    void anInversedPolarityAFormerUserLeftIsMadeNormalWhileOff() {
        kernel.exportPolarity = "inversed";
        try (PwmOutput pwm = buses.openPwm(PWM0)) {
            assertEquals(List.of(CHIP + "/export 0", CHIP + "/pwm0/period 1000000", CHIP + "/pwm0/polarity normal"), writes());
        }
    }

    @Test
    void aGrowingPeriodIsWrittenBeforeTheDutyAndEnableLast() {
        try (PwmOutput pwm = buses.openPwm(PWM0)) {
            writes();
            pwm.set(20_000_000, 1_500_000, true);
            assertEquals(List.of(CHIP + "/pwm0/period 20000000", CHIP + "/pwm0/duty_cycle 1500000", CHIP + "/pwm0/enable 1"), writes());
        }
    }

    @Test
    void aPeriodBelowTheCurrentDutyTakesTheDutyDownFirst() {
        try (PwmOutput pwm = buses.openPwm(PWM0)) {
            pwm.set(1_000_000, 800_000, true);
            writes();
            pwm.set(500_000, 250_000, true);
            assertEquals(List.of(CHIP + "/pwm0/duty_cycle 250000", CHIP + "/pwm0/period 500000"), writes());
        }
    }

    @Test
    void valuesThatDoNotChangeAreNotWritten() {
        try (PwmOutput pwm = buses.openPwm(PWM0)) {
            pwm.set(1_000_000, 500_000, true);
            writes();
            pwm.set(1_000_000, 500_000, true);
            assertEquals(List.of(), writes());
            pwm.set(1_000_000, 250_000, true);
            assertEquals(List.of(CHIP + "/pwm0/duty_cycle 250000"), writes());
        }
    }

    @Test
    void disablingComesBeforeAnyOtherChange() {
        try (PwmOutput pwm = buses.openPwm(PWM0)) {
            pwm.set(1_000_000, 500_000, true);
            writes();
            pwm.set(2_000_000, 1_000_000, false);
            assertEquals(List.of(CHIP + "/pwm0/enable 0", CHIP + "/pwm0/period 2000000", CHIP + "/pwm0/duty_cycle 1000000"), writes());
        }
    }

    @Test
    void closeDisablesAndUnexports() {
        PwmOutput pwm = buses.openPwm(PWM0);
        pwm.set(1_000_000, 500_000, true);
        writes();
        pwm.close();
        pwm.close();
        assertEquals(List.of(CHIP + "/pwm0/enable 0", CHIP + "/unexport 0"), writes());
        assertFalse(Files.exists(root.resolve(CHIP + "/pwm0")));
        HalException e = assertThrows(HalException.class, () -> pwm.set(1_000_000, 0, false));
        assertEquals("PWM channel PWM0 (pwmchip0/pwm0, fe20c000.pwm) was closed", e.getMessage());
    }

    @Test
    void closeUnexportsEvenWhenDisablingFailsAndThrowsBothFailures() {
        PwmOutput pwm = buses.openPwm(PWM0);
        pwm.set(1_000_000, 500_000, true);
        writes();
        kernel.writeErrors.put(CHIP + "/pwm0/enable", Errno.EIO);
        kernel.writeErrors.put(CHIP + "/unexport", Errno.EINVAL);
        HalException e = assertThrows(HalException.class, pwm::close);
        assertEquals(List.of(CHIP + "/pwm0/enable 0", CHIP + "/unexport 0"), writes());
        assertEquals("PWM channel PWM0 (pwmchip0/pwm0, fe20c000.pwm): cannot write 0 to " + root.resolve(CHIP + "/pwm0/enable")
                + " (EIO: injected)", e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertEquals("PWM channel PWM0 (pwmchip0/pwm0, fe20c000.pwm): cannot unexport it (writing 0 to " + root.resolve(CHIP + "/unexport")
                + ": EINVAL: injected)", e.getSuppressed()[0].getMessage());
        assertEquals(0, kernel.openFiles());
    }

    @Test
    void aRefusedValueSaysWhatTheChannelHas() {
        try (PwmOutput pwm = buses.openPwm(PWM0)) {
            kernel.writeErrors.put(CHIP + "/pwm0/period", Errno.EINVAL);
            HalException e = assertThrows(HalException.class, () -> pwm.set(100, 0, true));
            assertEquals("PWM channel PWM0 (pwmchip0/pwm0, fe20c000.pwm): cannot write 100 to " + root.resolve(CHIP + "/pwm0/period")
                    + " (EINVAL: injected): the PWM controller refused it (a period or duty it cannot make?); the channel has period"
                    + " 1000000 ns, duty 0 ns, off", e.getMessage());
            kernel.writeErrors.clear();
            writes();
            pwm.set(100, 0, true);
            assertEquals(List.of(CHIP + "/pwm0/period 100", CHIP + "/pwm0/enable 1"), writes(), "the refused write changed nothing");
        }
    }

    @Test
    void noChipOfTheProfilesDeviceListsTheChipsFoundAndTheOverlayToAdd() {
        PwmChannelSpec pi5 = new PwmChannelSpec("PWM0", "1f00098000.pwm", 0, "D18", Optional.of("dtoverlay=pwm-2chan"));
        HalException e = assertThrows(HalException.class, () -> buses.openPwm(pi5));
        assertEquals("PWM channel PWM0: no PWM chip of device 1f00098000.pwm in " + root.resolve("sys/class/pwm") + " (it has pwmchip0"
                + " -> fe20c000.pwm, pwmchip1 -> fe804000.i2c-pwm): the PWM is not enabled. Add 'dtoverlay=pwm-2chan' to"
                + " /boot/firmware/config.txt (/boot/config.txt before Raspberry Pi OS Bookworm) and reboot", e.getMessage());
        assertEquals(List.of(), writes());
    }

    @Test
    void noPwmClassAtAllSaysNone(@TempDir Path empty) {
        HalException e = assertThrows(HalException.class, () -> new KernelBuses(empty, new FakeKernel(empty), 0).openPwm(PWM0));
        assertTrue(e.getMessage().startsWith("PWM channel PWM0: no PWM chip of device fe20c000.pwm in " + empty.resolve("sys/class/pwm")
                + " (it has none): the PWM is not enabled. Add 'dtoverlay=pwm-2chan'"), e.getMessage());
    }

    @Test
    void aChannelExportedAlreadyIsTakenAndSaysHowToFreeIt() throws IOException {
        Files.createDirectories(root.resolve(CHIP + "/pwm0"));
        kernel.writeErrors.put(CHIP + "/export", Errno.EBUSY);
        HalException e = assertThrows(HalException.class, () -> buses.openPwm(PWM0));
        assertEquals("PWM channel PWM0 (pwmchip0/pwm0, fe20c000.pwm): cannot export it (writing 0 to " + root.resolve(CHIP + "/export")
                + ": EBUSY: injected): the channel is taken. " + root.resolve(CHIP + "/pwm0") + " exists: another program exported"
                + " it, or one (a pirt application among them) ended without unexporting it; if nothing uses it, free it with"
                + " 'echo 0 | sudo tee " + root.resolve(CHIP + "/unexport") + "'", e.getMessage());
        assertEquals(List.of(CHIP + "/export 0"), writes(), "nothing to unexport: it was not ours");
    }

    @Test
    void aChannelAKernelDriverHoldsIsTaken() {
        kernel.writeErrors.put(CHIP + "/export", Errno.EBUSY);
        HalException e = assertThrows(HalException.class, () -> buses.openPwm(PWM0));
        assertTrue(e.getMessage().endsWith("the channel is taken. A kernel driver holds it (an overlay that uses the same PWM, such as"
                + " audio on the headphone jack): remove that overlay from config.txt"), e.getMessage());
    }

    @Test
    void aChannelTheChipDoesNotHaveSaysHowManyItHas() {
        PwmChannelSpec third = new PwmChannelSpec("PWM2", "fe20c000.pwm", 2, "D19", Optional.of("dtoverlay=pwm-2chan"));
        kernel.writeErrors.put(CHIP + "/export", Errno.EINVAL);
        HalException e = assertThrows(HalException.class, () -> buses.openPwm(third));
        assertTrue(e.getMessage().endsWith(": pwmchip0 has no channel 2 (its npwm: 2); check the board profile's pwm channel"),
                e.getMessage());
    }

    @Test
    void noPermissionOnTheChannelNamesTheGroupAndUnexportsIt() {
        kernel.openErrors.put(CHIP + "/pwm0/period", Errno.EACCES);
        HalException e = assertThrows(HalException.class, () -> buses.openPwm(PWM0));
        assertEquals("PWM channel PWM0 (pwmchip0/pwm0, fe20c000.pwm): cannot write 1000000 to " + root.resolve(CHIP + "/pwm0/period")
                + " (EACCES: injected): no permission. The sysfs PWM files are root's until a udev rule gives them to group gpio"
                + " (Raspberry Pi OS's 99-com.rules; the pirt-runtime package's 60-pirt.rules): the user must be in group gpio"
                + " ('sudo usermod -aG gpio $USER', then log in again)", e.getMessage());
        assertEquals(List.of(CHIP + "/export 0", CHIP + "/unexport 0"), writes());
        assertFalse(Files.exists(root.resolve(CHIP + "/pwm0")));
    }

    @Test
    void aReadOnlySysSaysWhichPathTheUnitMustMakeWritable() {
        kernel.writeErrors.put(CHIP + "/export", Errno.EROFS);
        HalException e = assertThrows(HalException.class, () -> buses.openPwm(PWM0));
        assertTrue(e.getMessage().endsWith("EROFS: injected): /sys is read-only for this process (systemd's ProtectKernelTunables=):"
                + " the unit needs ReadWritePaths=" + root.resolve(CHIP) + " (systemd follows the link to the chip's device"
                + " directory; 'sudo systemctl edit pirt-runtime')"), e.getMessage());
    }

    @Test
    void openWaitsForTheChannelToAppearAfterTheExport() throws Exception {
        kernel.exportMakesChannel = false;
        CountDownLatch exported = new CountDownLatch(1);
        // Stands for the kernel and udev: the channel's directory comes after the export, from another thread.
        Thread udev = Thread.ofPlatform().name("fake-udev").start(() -> {
            try {
                if (!exported.await(5, TimeUnit.SECONDS)) return;
                Path channel = Files.createDirectories(root.resolve(CHIP + "/pwm0.tmp"));
                for (String attribute : List.of("period", "duty_cycle", "enable")) Files.writeString(channel.resolve(attribute), "0\n");
                Files.move(channel, root.resolve(CHIP + "/pwm0")); // whole, as the kernel shows it
            } catch (InterruptedException | IOException e) {
                throw new AssertionError(e);
            }
        });
        kernel.afterExport = exported::countDown;
        try (PwmOutput pwm = buses.openPwm(PWM0)) {
            assertEquals(List.of(CHIP + "/export 0", CHIP + "/pwm0/period 1000000"), writes());
        }
        udev.join(5000);
        assertFalse(udev.isAlive());
    }

    @Test
    void aChannelThatNeverAppearsFailsAfterTheWaitAndIsUnexported() {
        kernel.exportMakesChannel = false;
        KernelBuses impatient = new KernelBuses(root, kernel, TimeUnit.MILLISECONDS.toNanos(20));
        HalException e = assertThrows(HalException.class, () -> impatient.openPwm(PWM0));
        assertTrue(e.getMessage().startsWith("PWM channel PWM0 (pwmchip0/pwm0, fe20c000.pwm): cannot read "
                + root.resolve(CHIP + "/pwm0/period")), e.getMessage());
        assertEquals(List.of(CHIP + "/export 0", CHIP + "/unexport 0"), writes());
    }
}
