package io.pirt.hal.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.pirt.boards.I2cBusSpec;
import io.pirt.hal.Buses.I2cTransfers;
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
 * The I2C backend against a fake kernel at the JNA boundary: the request numbers, the structs
 * as the kernel reads them (layout as include/uapi/linux/i2c.h gives it, not as the backend's
 * constants say), the timeout, and every error's message.
 */
class I2cDevTest {
    /** struct i2c_msg as a C compiler lays it out: buf at 8; 16 bytes on LP64, 12 on 32-bit arm. */
    private static final int MSG_BYTES = Native.POINTER_SIZE == 8 ? 16 : 12;
    private static final I2cBusSpec BUS = new I2cBusSpec("i2c-1", "/dev/i2c-1", List.of("D2", "D3"), Optional.of("dtparam=i2c_arm=on"));

    /** One struct i2c_msg as the kernel got it; data is what a write carried. */
    record Message(int address, int flags, int length, byte[] data) {
    }

    @TempDir
    Path root;
    private FakeKernel kernel;
    private KernelBuses buses;
    /** The messages of each I2C_RDWR, in order. */
    private final List<List<Message>> transactions = new ArrayList<>();
    /** What a read message gets. */
    private byte[] reply = {0x12, 0x34};

    @BeforeEach
    void bus() throws IOException {
        Files.createDirectories(root.resolve("dev"));
        Files.createFile(root.resolve("dev/i2c-1"));
        kernel = new FakeKernel(root);
        kernel.ioctl = (path, request, arg) -> {
            assertEquals(0x0707, request, "I2C_RDWR");
            Pointer msgs = arg.getPointer(0);
            int count = arg.getInt(Native.POINTER_SIZE);
            List<Message> messages = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Pointer msg = msgs.share((long) i * MSG_BYTES);
                int flags = msg.getShort(2) & 0xFFFF;
                int length = msg.getShort(4) & 0xFFFF;
                Pointer buf = msg.getPointer(8);
                byte[] data = null;
                if ((flags & 1) != 0) {
                    buf.write(0, reply, 0, length);
                } else {
                    data = buf.getByteArray(0, length);
                }
                messages.add(new Message(msg.getShort(0) & 0xFFFF, flags, length, data));
            }
            transactions.add(messages);
            return count;
        };
        buses = new KernelBuses(root, kernel, 0);
    }

    @Test
    void writeThenReadIsOneI2cRdwrWithAWriteAndARead() {
        try (I2cTransfers bus = buses.openI2c(BUS)) {
            byte[] in = new byte[2];
            bus.transfer(0x48, new byte[] {0x00}, in, 1000);

            assertArrayEquals(new byte[] {0x12, 0x34}, in);
            assertEquals(1, transactions.size());
            List<Message> messages = transactions.get(0);
            assertEquals(2, messages.size());
            assertEquals(0x48, messages.get(0).address());
            assertEquals(0, messages.get(0).flags(), "a write");
            assertArrayEquals(new byte[] {0x00}, messages.get(0).data());
            assertEquals(0x48, messages.get(1).address());
            assertEquals(1, messages.get(1).flags(), "I2C_M_RD");
            assertEquals(2, messages.get(1).length());
        }
        assertEquals(List.of("open dev/i2c-1", "ioctl dev/i2c-1 0x702 100", "ioctl dev/i2c-1 0x707", "close dev/i2c-1"), kernel.calls);
    }

    @Test
    void aWriteAloneAndAReadAloneAreOneMessageEach() {
        try (I2cTransfers bus = buses.openI2c(BUS)) {
            bus.transfer(0x3c, new byte[] {1, 2, 3}, new byte[0], 1000);
            byte[] in = new byte[2];
            bus.transfer(0x3c, new byte[0], in, 1000);

            assertEquals(2, transactions.size());
            Message write = transactions.get(0).get(0);
            assertEquals(1, transactions.get(0).size());
            assertEquals(0x3c, write.address());
            assertEquals(0, write.flags());
            assertArrayEquals(new byte[] {1, 2, 3}, write.data());
            Message read = transactions.get(1).get(0);
            assertEquals(1, transactions.get(1).size());
            assertEquals(1, read.flags());
            assertEquals(2, read.length());
            assertArrayEquals(reply, in);
        }
    }

    @Test
    void aLargerTransactionGrowsTheBufferAndCarriesEveryByte() {
        byte[] out = new byte[300];
        for (int i = 0; i < out.length; i++) out[i] = (byte) i;
        reply = new byte[500];
        for (int i = 0; i < reply.length; i++) reply[i] = (byte) (7 * i);
        byte[] in = new byte[500];
        try (I2cTransfers bus = buses.openI2c(BUS)) {
            bus.transfer(0x50, new byte[] {9}, new byte[1], 1000); // the buffer as opened
            bus.transfer(0x50, out, in, 1000);
        }
        assertArrayEquals(out, transactions.get(1).get(0).data());
        assertEquals(500, transactions.get(1).get(1).length());
        assertArrayEquals(reply, in);
    }

    @Test
    void aMessageOver8192BytesIsRefusedBeforeTheKernel() {
        reply = new byte[8192];
        try (I2cTransfers bus = buses.openI2c(BUS)) {
            HalException e = assertThrows(HalException.class, () -> bus.transfer(0x50, new byte[8193], new byte[0], 1000));
            assertEquals("I2C bus i2c-1 (" + root.resolve("dev/i2c-1") + "), device 0x50: an I2C message is at most 8192 bytes (the"
                    + " kernel's i2c-dev limit), not 8193; split the transfer", e.getMessage());
            bus.transfer(0x50, new byte[8192], new byte[8192], 1000);
        }
        assertEquals(1, transactions.size());
    }

    @Test
    void theTimeoutIsSetInTensOfMillisecondsRoundedUpOnlyWhenItChanges() {
        try (I2cTransfers bus = buses.openI2c(BUS)) {
            kernel.takeCalls();
            bus.transfer(0x48, new byte[] {1}, new byte[0], 1000);
            bus.transfer(0x48, new byte[] {1}, new byte[0], 1000);
            bus.transfer(0x48, new byte[] {1}, new byte[0], 15);
            bus.transfer(0x48, new byte[] {1}, new byte[0], 1);
            bus.transfer(0x48, new byte[] {1}, new byte[0], 10);
        }
        assertEquals(List.of("ioctl dev/i2c-1 0x702 100", "ioctl dev/i2c-1 0x707", "ioctl dev/i2c-1 0x707",
                "ioctl dev/i2c-1 0x702 2", "ioctl dev/i2c-1 0x707", "ioctl dev/i2c-1 0x702 1", "ioctl dev/i2c-1 0x707",
                "ioctl dev/i2c-1 0x707", "close dev/i2c-1"), kernel.calls);
    }

    @Test
    void handlesOnOneBusShareTheAdapterTimeout() {
        try (I2cTransfers first = buses.openI2c(BUS); I2cTransfers second = buses.openI2c(BUS)) {
            kernel.takeCalls();
            first.transfer(0x48, new byte[] {1}, new byte[0], 1000);
            second.transfer(0x49, new byte[] {1}, new byte[0], 1000); // the adapter has 1000 ms already
            second.transfer(0x49, new byte[] {1}, new byte[0], 50);
            first.transfer(0x48, new byte[] {1}, new byte[0], 1000); // the adapter has 50 ms now
            List<String> timeouts = kernel.calls.stream().filter(c -> c.contains("0x702")).toList();
            assertEquals(List.of("ioctl dev/i2c-1 0x702 100", "ioctl dev/i2c-1 0x702 5", "ioctl dev/i2c-1 0x702 100"), timeouts);
        }
    }

    @Test
    void aTransactionOnAClosedHandleFailsAndCloseClosesTheFileOnce() {
        I2cTransfers bus = buses.openI2c(BUS);
        bus.close();
        bus.close();
        HalException e = assertThrows(HalException.class, () -> bus.transfer(0x48, new byte[] {1}, new byte[0], 1000));
        assertEquals("I2C bus i2c-1 (" + root.resolve("dev/i2c-1") + ") was closed", e.getMessage());
        assertEquals(List.of("open dev/i2c-1", "close dev/i2c-1"), kernel.calls);
        assertEquals(0, kernel.openFiles());
    }

    @Test
    void aPartTransferredTransactionIsAnError() {
        kernel.ioctl = (path, request, arg) -> 1;
        try (I2cTransfers bus = buses.openI2c(BUS)) {
            HalException e = assertThrows(HalException.class, () -> bus.transfer(0x48, new byte[] {1}, new byte[2], 1000));
            assertTrue(e.getMessage().endsWith("device 0x48: the kernel transferred 1 of the transaction's 2 messages (I2C_RDWR);"
                    + " the device may have stopped answering part-way"), e.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "6   | No such device or address        | no device answered at that address (ENXIO: No such device or address): check the wiring (SDA to SDA, SCL to SCL, a common ground), the device's power and its address (a module's jumpers may change it); 'i2cdetect -y 1' lists the addresses that answer",
        "121 | Remote I/O error                 | no device answered at that address (EREMOTEIO: Remote I/O error): check the wiring",
        "110 | Connection timed out             | the bus timed out after 250 ms (ETIMEDOUT: Connection timed out): a device may be holding SDA or SCL low (power-cycle it), or the bus lacks its pull-up resistors",
        "11  | Resource temporarily unavailable | the bus was busy or arbitration was lost (EAGAIN: Resource temporarily unavailable): another master drives the bus",
        "95  | Operation not supported          | the bus's adapter cannot do plain I2C transfers (I2C_RDWR), only SMBus (EOPNOTSUPP: Operation not supported)",
        "22  | Invalid argument                 | the kernel refused the transaction as invalid (EINVAL: Invalid argument): a length or address the adapter cannot do",
        "71  | Protocol error                   | the transaction failed (errno 71: Protocol error)",
    })
    void eachTransferErrorSaysWhatTheKernelSaidAndWhatToCheck(int errno, String text, String expected) {
        kernel.ioctl = (path, request, arg) -> {
            throw FakeKernel.error(errno, text);
        };
        try (I2cTransfers bus = buses.openI2c(BUS)) {
            HalException e = assertThrows(HalException.class, () -> bus.transfer(0x48, new byte[] {0}, new byte[1], 250));
            String where = "I2C bus i2c-1 (" + root.resolve("dev/i2c-1") + "), device 0x48: ";
            assertTrue(e.getMessage().startsWith(where + expected), e.getMessage());
            assertEquals(errno, ((com.sun.jna.LastErrorException) e.getCause()).getErrorCode());
        }
    }

    @Test
    void aMissingNodeMeansTheBusIsNotEnabled() throws IOException {
        Files.delete(root.resolve("dev/i2c-1"));
        HalException e = assertThrows(HalException.class, () -> buses.openI2c(BUS));
        assertEquals("I2C bus i2c-1: cannot open " + root.resolve("dev/i2c-1") + " (ENOENT: No such file or directory): the bus is"
                + " not enabled. Add 'dtparam=i2c_arm=on' to /boot/firmware/config.txt (/boot/config.txt before Raspberry Pi OS"
                + " Bookworm) and reboot; the node also needs the kernel module i2c-dev (the pirt-runtime package loads it at"
                + " boot; by hand: 'sudo modprobe i2c-dev')", e.getMessage());
    }

    @Test
    void aBusTheProfileGivesNoConfigLineForSaysToEnableItInTheDeviceTree() throws IOException {
        Files.delete(root.resolve("dev/i2c-1"));
        I2cBusSpec custom = new I2cBusSpec("i2c-3", "/dev/i2c-3", List.of("D4", "D5"), Optional.empty());
        HalException e = assertThrows(HalException.class, () -> buses.openI2c(custom));
        assertTrue(e.getMessage().contains("the bus is not enabled. Enable the I2C bus in the device tree (the board profile names"
                + " no config.txt line for it) and reboot;"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"13, EACCES: injected", "1, EPERM: injected"})
    void noPermissionNamesTheGroupToJoin(int errno, String said) {
        kernel.openErrors.put("dev/i2c-1", errno);
        HalException e = assertThrows(HalException.class, () -> buses.openI2c(BUS));
        assertEquals("I2C bus i2c-1: cannot open " + root.resolve("dev/i2c-1") + " (" + said + "): no permission. The user must be"
                + " in group i2c ('sudo usermod -aG i2c $USER', then log in again; the pirt-runtime package puts its user pirt in"
                + " it); in a systemd unit with DevicePolicy=, the unit also needs DeviceAllow=char-i2c rw", e.getMessage());
    }

    @Test
    void anotherOpenErrorSaysWhatTheKernelSaid() {
        kernel.openErrors.put("dev/i2c-1", Errno.ENODEV);
        HalException e = assertThrows(HalException.class, () -> buses.openI2c(BUS));
        assertEquals("I2C bus i2c-1: cannot open " + root.resolve("dev/i2c-1") + " (ENODEV: injected)", e.getMessage());
    }

    @Test
    void aSteadyStateTransactionAllocatesNothing() {
        byte[] register = {0x00};
        byte[] in = new byte[2];
        try (I2cTransfers bus = new KernelBuses(root, new QuietKernel(), 0).openI2c(BUS)) {
            int calls = 10_000;
            long allocated = QuietKernel.allocatedBytes(calls, () -> bus.transfer(0x48, register, in, 1000));
            // One allocation of the smallest object (16 bytes) per call would be 160 000 bytes.
            assertTrue(allocated < calls, allocated + " bytes allocated in " + calls + " transactions");
        }
    }
}
