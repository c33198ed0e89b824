package io.pirt.hal.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import io.pirt.boards.SpiDeviceSpec;
import io.pirt.hal.Buses.SpiTransfers;
import io.pirt.hal.HalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SPI backend against a fake kernel at the JNA boundary: each setting's request number
 * and value, the spi_ioc_transfer struct as the kernel reads it (layout as
 * include/uapi/linux/spi/spidev.h gives it), spidev's buffer limit, and every error's message.
 */
class SpidevTest {
    /** The request numbers as the C header's macros print them (gcc, Linux 6.x headers). */
    private static final long WR_MODE = 0x40016b01L, WR_BITS_PER_WORD = 0x40016b03L, WR_MAX_SPEED_HZ = 0x40046b04L,
            MESSAGE_1 = 0x40206b00L;
    private static final SpiDeviceSpec SPI = new SpiDeviceSpec("spi0.0", "/dev/spidev0.0", List.of("D8", "D9", "D10", "D11"),
            Optional.of("dtparam=spi=on"));

    /** One struct spi_ioc_transfer as the kernel got it, with what tx_buf pointed at. */
    record Transfer(byte[] tx, int length, int speedHz, int delayUsecs, int bitsPerWord, int csChange, int txNbits, int rxNbits,
                    int wordDelayUsecs, int pad) {
    }

    @TempDir
    Path root;
    private FakeKernel kernel;
    private KernelBuses buses;
    /** Each setting as {@code 0xrequest=value}, in order. */
    private final List<String> settings = new ArrayList<>();
    private final List<Transfer> transfers = new ArrayList<>();

    @BeforeEach
    void device() throws IOException {
        Files.createDirectories(root.resolve("dev"));
        Files.createFile(root.resolve("dev/spidev0.0"));
        kernel = new FakeKernel(root);
        kernel.ioctl = (path, request, arg) -> {
            if (request == WR_MODE || request == WR_BITS_PER_WORD) {
                settings.add(Long.toHexString(request) + "=" + (arg.getByte(0) & 0xFF));
                return 0;
            }
            if (request == WR_MAX_SPEED_HZ) {
                settings.add(Long.toHexString(request) + "=" + arg.getInt(0));
                return 0;
            }
            assertEquals(MESSAGE_1, request, "SPI_IOC_MESSAGE(1)");
            int length = arg.getInt(16);
            byte[] tx = new Pointer(arg.getLong(0)).getByteArray(0, length);
            byte[] rx = new byte[length];
            for (int i = 0; i < length; i++) rx[i] = (byte) ~tx[i];
            new Pointer(arg.getLong(8)).write(0, rx, 0, length);
            transfers.add(new Transfer(tx, length, arg.getInt(20), arg.getShort(24), arg.getByte(26), arg.getByte(27), arg.getByte(28),
                    arg.getByte(29), arg.getByte(30), arg.getByte(31)));
            return length;
        };
        buses = new KernelBuses(root, kernel, 0);
    }

    @Test
    void openSetsMode0EightBitsAndTheDefaultSpeed() {
        try (SpiTransfers spi = buses.openSpi(SPI)) {
            assertEquals(List.of("40016b01=0", "40016b03=8", "40046b04=1000000"), settings);
        }
        assertEquals(List.of("open dev/spidev0.0", "ioctl dev/spidev0.0 0x40016b01", "ioctl dev/spidev0.0 0x40016b03",
                "ioctl dev/spidev0.0 0x40046b04", "close dev/spidev0.0"), kernel.calls);
    }

    @Test
    void configureWritesOnlyTheSettingsThatChange() {
        try (SpiTransfers spi = buses.openSpi(SPI)) {
            settings.clear();
            spi.configure(3, 8, 1_000_000);
            spi.configure(3, 16, 8_000_000);
            spi.configure(3, 16, 8_000_000);
            assertEquals(List.of("40016b01=3", "40016b03=16", "40046b04=8000000"), settings);
        }
    }

    @Test
    void aTransferIsOneSpiIocMessageWithTheDevicesSettings() {
        try (SpiTransfers spi = buses.openSpi(SPI)) {
            spi.configure(1, 8, 500_000);
            byte[] in = new byte[3];
            spi.transfer(new byte[] {1, 2, 3}, in);

            assertArrayEquals(new byte[] {~1, ~2, ~3}, in);
            assertEquals(1, transfers.size());
            Transfer t = transfers.get(0);
            assertArrayEquals(new byte[] {1, 2, 3}, t.tx());
            assertEquals(3, t.length());
            assertEquals(500_000, t.speedHz());
            assertEquals(8, t.bitsPerWord());
            assertEquals(List.of(0, 0, 0, 0, 0, 0), List.of(t.delayUsecs(), t.csChange(), t.txNbits(), t.rxNbits(), t.wordDelayUsecs(),
                    t.pad()), "no delay, no chip-select change, single-wire");
        }
    }

    @Test
    void aLongerTransferGrowsTheBuffersAndCarriesEveryByte() {
        byte[] out = new byte[1000];
        for (int i = 0; i < out.length; i++) out[i] = (byte) (3 * i);
        byte[] in = new byte[1000];
        try (SpiTransfers spi = buses.openSpi(SPI)) {
            spi.transfer(new byte[] {1}, new byte[1]);
            spi.transfer(out, in);
        }
        assertArrayEquals(out, transfers.get(1).tx());
        for (int i = 0; i < out.length; i++) assertEquals((byte) ~out[i], in[i], "byte " + i);
    }

    @Test
    void aTransferLongerThanSpidevsBufferIsRefusedNamingTheParameter() throws IOException {
        Files.createDirectories(root.resolve("sys/module/spidev/parameters"));
        Files.writeString(root.resolve("sys/module/spidev/parameters/bufsiz"), "128\n");
        try (SpiTransfers spi = buses.openSpi(SPI)) {
            spi.transfer(new byte[128], new byte[128]);
            HalException e = assertThrows(HalException.class, () -> spi.transfer(new byte[129], new byte[129]));
            assertEquals("SPI device spi0.0 (" + root.resolve("dev/spidev0.0") + "): a transfer of 129 bytes is longer than spidev's"
                    + " buffer, 128 bytes (the kernel module's parameter bufsiz): split it, or raise the limit with spidev.bufsiz=N"
                    + " on the kernel command line (/boot/firmware/cmdline.txt) and reboot", e.getMessage());
        }
        assertEquals(1, transfers.size());
    }

    @Test
    void withoutTheParameterFileTheLimitIsSpidevsDefault4096() {
        try (SpiTransfers spi = buses.openSpi(SPI)) {
            spi.transfer(new byte[4096], new byte[4096]);
            assertThrows(HalException.class, () -> spi.transfer(new byte[4097], new byte[4097]));
        }
    }

    @Test
    void anUnreadableBufferSizeIsAnError() throws IOException {
        Files.createDirectories(root.resolve("sys/module/spidev/parameters"));
        Files.writeString(root.resolve("sys/module/spidev/parameters/bufsiz"), "lots\n");
        HalException e = assertThrows(HalException.class, () -> buses.openSpi(SPI));
        assertEquals("SPI device spi0.0: " + root.resolve("sys/module/spidev/parameters/bufsiz") + " reads 'lots', not spidev's"
                + " buffer size in bytes", e.getMessage());
    }

    @Test
    void wordsWiderThanAByteTakeAWholeNumberOfWords() {
        try (SpiTransfers spi = buses.openSpi(SPI)) {
            spi.configure(0, 12, 1_000_000);
            HalException e = assertThrows(HalException.class, () -> spi.transfer(new byte[3], new byte[3]));
            assertTrue(e.getMessage().endsWith(": at 12 bits per word a word takes 2 bytes, so a transfer is a whole number of them;"
                    + " 3 bytes is not"), e.getMessage());
            spi.transfer(new byte[4], new byte[4]);
            assertEquals(12, transfers.get(0).bitsPerWord());
        }
    }

    @Test
    void aShortTransferIsAnError() {
        try (SpiTransfers spi = buses.openSpi(SPI)) {
            kernel.ioctl = (path, request, arg) -> 2;
            HalException e = assertThrows(HalException.class, () -> spi.transfer(new byte[3], new byte[3]));
            assertTrue(e.getMessage().endsWith(": the kernel transferred 2 of 3 bytes (SPI_IOC_MESSAGE)"), e.getMessage());
        }
    }

    @Test
    void aRefusedSettingNamesItAndOpenLeavesNoFileOpen() {
        kernel.ioctl = (path, request, arg) -> {
            if (request == WR_MAX_SPEED_HZ) throw FakeKernel.error(Errno.EINVAL, "Invalid argument");
            return 0;
        };
        HalException e = assertThrows(HalException.class, () -> buses.openSpi(SPI));
        assertEquals("SPI device spi0.0 (" + root.resolve("dev/spidev0.0") + "): the kernel refused a clock of 1000000 Hz (EINVAL:"
                + " Invalid argument): the SPI controller cannot do it", e.getMessage());
        assertEquals(0, kernel.openFiles());
    }

    @Test
    void aRefusedModeSaysWhichClockPolarityAndPhase() {
        try (SpiTransfers spi = buses.openSpi(SPI)) {
            kernel.ioctl = (path, request, arg) -> {
                throw FakeKernel.error(Errno.EINVAL, "Invalid argument");
            };
            HalException e = assertThrows(HalException.class, () -> spi.configure(2, 8, 1_000_000));
            assertTrue(e.getMessage().endsWith(": the kernel refused clock mode 2 (CPOL 1, CPHA 0) (EINVAL: Invalid argument): the SPI"
                    + " controller cannot do it"), e.getMessage());
        }
    }

    @Test
    void aRefusedSettingLeavesTheDeviceAsItWasTheModeTakenBeforeItGoesBack() {
        try (SpiTransfers spi = buses.openSpi(SPI)) {
            settings.clear();
            FakeKernel.IoctlHandler accepting = kernel.ioctl;
            kernel.ioctl = (path, request, arg) -> {
                if (request == WR_BITS_PER_WORD && arg.getByte(0) == 16) throw FakeKernel.error(Errno.EINVAL, "Invalid argument");
                return accepting.ioctl(path, request, arg);
            };
            assertThrows(HalException.class, () -> spi.configure(3, 16, 1_000_000));
            assertEquals(List.of("40016b01=3", "40016b01=0"), settings, "mode 3 taken, the word size refused, mode 0 again");
            spi.configure(3, 8, 1_000_000);
            assertEquals("40016b01=3", settings.get(settings.size() - 1), "the device knows its mode is 0, so mode 3 is written again");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "90  | Message too long | (EMSGSIZE: Message too long): longer than spidev's buffer (the kernel module's parameter bufsiz); split it, or raise the limit with spidev.bufsiz=N on the kernel command line and reboot",
        "22  | Invalid argument | (EINVAL: Invalid argument): the SPI controller refused it (a length, speed or word size it cannot do)",
        "108 | Cannot send after transport endpoint shutdown | (ESHUTDOWN: Cannot send after transport endpoint shutdown): the SPI controller is gone (its driver was unbound); open the device again once it is back",
        "5   | Input/output error | (EIO: Input/output error)",
    })
    void eachTransferErrorSaysWhatTheKernelSaid(int errno, String text, String expected) {
        try (SpiTransfers spi = buses.openSpi(SPI)) {
            kernel.ioctl = (path, request, arg) -> {
                throw FakeKernel.error(errno, text);
            };
            HalException e = assertThrows(HalException.class, () -> spi.transfer(new byte[2], new byte[2]));
            assertEquals("SPI device spi0.0 (" + root.resolve("dev/spidev0.0") + "): the transfer of 2 bytes failed " + expected,
                    e.getMessage());
            assertEquals(errno, ((LastErrorException) e.getCause()).getErrorCode());
        }
    }

    @Test
    void aMissingNodeMeansTheBusIsNotEnabled() throws IOException {
        Files.delete(root.resolve("dev/spidev0.0"));
        HalException e = assertThrows(HalException.class, () -> buses.openSpi(SPI));
        assertEquals("SPI device spi0.0: cannot open " + root.resolve("dev/spidev0.0") + " (ENOENT: No such file or directory): the"
                + " SPI bus is not enabled. Add 'dtparam=spi=on' to /boot/firmware/config.txt (/boot/config.txt before Raspberry Pi"
                + " OS Bookworm) and reboot; the node also needs the kernel module spidev (the pirt-runtime package loads it at"
                + " boot; by hand: 'sudo modprobe spidev')", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"13, EACCES", "1, EPERM"})
    void noPermissionNamesTheGroupToJoin(int errno, String name) {
        kernel.openErrors.put("dev/spidev0.0", errno);
        HalException e = assertThrows(HalException.class, () -> buses.openSpi(SPI));
        assertEquals("SPI device spi0.0: cannot open " + root.resolve("dev/spidev0.0") + " (" + name + ": injected): no permission."
                + " The user must be in group spi ('sudo usermod -aG spi $USER', then log in again; the pirt-runtime package puts"
                + " its user pirt in it); in a systemd unit with DevicePolicy=, the unit also needs DeviceAllow=char-spi rw",
                e.getMessage());
    }

    @Test
    void aClosedDeviceRefusesTransfersAndSettings() {
        SpiTransfers spi = buses.openSpi(SPI);
        spi.close();
        spi.close();
        assertThrows(HalException.class, () -> spi.transfer(new byte[1], new byte[1]));
        HalException e = assertThrows(HalException.class, () -> spi.configure(0, 8, 1000));
        assertEquals("SPI device spi0.0 (" + root.resolve("dev/spidev0.0") + ") was closed", e.getMessage());
        assertEquals(1, kernel.calls.stream().filter(c -> c.startsWith("close")).count());
    }

    @Test
    void aSteadyStateTransferAllocatesNothing() {
        byte[] out = {1, 2, 3, 4};
        byte[] in = new byte[4];
        try (SpiTransfers spi = new KernelBuses(root, new QuietKernel(), 0).openSpi(SPI)) {
            int calls = 10_000;
            long allocated = QuietKernel.allocatedBytes(calls, () -> spi.transfer(out, in));
            assertTrue(allocated < calls, allocated + " bytes allocated in " + calls + " transfers");
        }
    }
}
