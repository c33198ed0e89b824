package io.pirt.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.LastErrorException;
import io.pirt.boards.I2cBusSpec;
import io.pirt.boards.PwmChannelSpec;
import io.pirt.boards.SpiDeviceSpec;
import io.pirt.hal.Buses.I2cTransfers;
import io.pirt.hal.HalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend with the real C library, on files that are no buses: open does no I/O, a
 * missing node is the kernel's ENOENT, and both ioctl bindings reach the kernel (which
 * answers a plain file with ENOTTY).
 */
class KernelBusesTest {
    private static final I2cBusSpec I2C = new I2cBusSpec("i2c-1", "/dev/i2c-1", List.of("D2", "D3"), Optional.of("dtparam=i2c_arm=on"));
    private static final SpiDeviceSpec SPI = new SpiDeviceSpec("spi0.0", "/dev/spidev0.0", List.of("D8"), Optional.of("dtparam=spi=on"));
    private static final int ENOTTY = 25;

    @TempDir
    Path root;

    @Test
    void openDoesNoIoAndCloseHoldsNothing() {
        try (KernelBuses buses = KernelBuses.open(root.resolve("no such root"))) {
            HalException e = assertThrows(HalException.class, () -> buses.openPwm(new PwmChannelSpec("PWM0", "fe20c000.pwm", 0, "D18",
                    Optional.empty())));
            assertEquals("PWM channel PWM0: no PWM chip of device fe20c000.pwm in " + root.resolve("no such root/sys/class/pwm")
                    + " (it has none): the PWM is not enabled. Enable the PWM channel in the device tree (the board profile names no"
                    + " config.txt line for it) and reboot", e.getMessage());
        }
    }

    @Test
    void aMissingNodeIsTheKernelsEnoent() {
        HalException e = assertThrows(HalException.class, () -> KernelBuses.open(root).openI2c(I2C));
        assertEquals(Errno.ENOENT, ((LastErrorException) e.getCause()).getErrorCode());
        assertEquals("I2C bus i2c-1: cannot open " + root.resolve("dev/i2c-1") + " (ENOENT: No such file or directory): the bus is"
                + " not enabled. Add 'dtparam=i2c_arm=on' to /boot/firmware/config.txt (/boot/config.txt before Raspberry Pi OS"
                + " Bookworm) and reboot; the node also needs the kernel module i2c-dev (the pirt-runtime package loads it at"
                + " boot; by hand: 'sudo modprobe i2c-dev')", e.getMessage());
    }

    @Test
    void theValueIoctlReachesTheKernel() throws IOException {
        Files.createDirectories(root.resolve("dev"));
        Files.createFile(root.resolve("dev/i2c-1"));
        try (I2cTransfers bus = KernelBuses.open(root).openI2c(I2C)) {
            HalException e = assertThrows(HalException.class, () -> bus.transfer(0x48, new byte[] {0}, new byte[1], 1000));
            assertEquals("I2C bus i2c-1 (" + root.resolve("dev/i2c-1") + "), device 0x48: the kernel refused the bus timeout of 1000 ms"
                    + " (I2C_TIMEOUT, 100 x 10 ms: errno 25: Inappropriate ioctl for device)", e.getMessage());
            assertEquals(ENOTTY, ((LastErrorException) e.getCause()).getErrorCode());
        }
    }

    @Test
    void thePointerIoctlReachesTheKernelAndOpenClosesWhatItOpened() throws IOException {
        Files.createDirectories(root.resolve("dev"));
        Files.createFile(root.resolve("dev/spidev0.0"));
        HalException e = assertThrows(HalException.class, () -> KernelBuses.open(root).openSpi(SPI));
        assertEquals("SPI device spi0.0 (" + root.resolve("dev/spidev0.0") + "): the kernel refused clock mode 0 (CPOL 0, CPHA 0)"
                + " (errno 25: Inappropriate ioctl for device)", e.getMessage());
        assertEquals(ENOTTY, ((LastErrorException) e.getCause()).getErrorCode());
    }
}
