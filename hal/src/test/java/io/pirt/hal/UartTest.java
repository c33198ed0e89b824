package io.pirt.hal;

import io.pirt.virtualboard.BlockedIn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.virtualboard.PseudoTerminal;
import io.pirt.threading.ThreadInterruptedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The UART through a real pseudo-terminal pair: the Uart opens the terminal with
 * jSerialComm, the test plays the other end on the master side.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UartTest {
    private static final long BOUND_MS = BlockedIn.BOUND_MS;
    private static final BoardProfiles PROFILES = BoardProfiles.builtIn();

    private PseudoTerminal pty;
    private Uart uart;

    @BeforeEach
    void openPair() {
        pty = PseudoTerminal.open();
        uart = Uart.open(pty.slavePath(), UartConfig.DEFAULT);
    }

    @AfterEach
    void closePair() {
        uart.close();
        pty.close();
    }

    @Test
    void everyByteValueCrossesBothWaysUnchanged() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) (255 - i);

        uart.write(all, 0, all.length);
        assertArrayEquals(all, readFully(pty::read, all.length));

        pty.write(all, 0, all.length);
        assertArrayEquals(all, readFully(uart::read, all.length));
    }

    @Test
    void writeSendsTheGivenSliceOnly() {
        byte[] buf = "xxHELLOxx".getBytes(StandardCharsets.US_ASCII);
        uart.write(buf, 2, 5);
        assertArrayEquals("HELLO".getBytes(StandardCharsets.US_ASCII), readFully(pty::read, 5));
        assertEquals(0, pty.read(new byte[1], 0, 1, 100), "nothing more was sent");
    }

    @Test
    void readReturnsZeroOnceTheTimeoutHasPassedAndNotBefore() {
        long startNanos = System.nanoTime();
        assertEquals(0, uart.read(new byte[16], 0, 16, 250));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        assertTrue(elapsedMs >= 250, "returned after " + elapsedMs + " ms, before the 250 ms timeout");
        assertTrue(elapsedMs < 250 + BOUND_MS, "returned only after " + elapsedMs + " ms");
        assertEquals(0, uart.read(new byte[16], 0, 16, 0), "a zero timeout does not wait");
    }

    @Test
    void readReturnsWhatHasArrivedWithoutWaitingForTheRest() {
        pty.write(new byte[] {1, 2, 3}, 0, 3);
        byte[] buf = new byte[100];
        long startNanos = System.nanoTime();
        int n = uart.read(buf, 0, buf.length, 10 * BOUND_MS);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        assertTrue(n >= 1 && n <= 3, "read " + n);
        assertTrue(elapsedMs < BOUND_MS, "waited " + elapsedMs + " ms although bytes had arrived");
        while (n < 3) n += uart.read(buf, n, buf.length - n, BOUND_MS);
        assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(buf, 3));
    }

    @Test
    void streamsAreViewsOfTheUart() throws IOException {
        uart.outputStream().write("AT\r".getBytes(StandardCharsets.US_ASCII));
        uart.outputStream().write(0xfe);
        assertArrayEquals(new byte[] {'A', 'T', '\r', (byte) 0xfe}, readFully(pty::read, 4));

        pty.write(new byte[] {(byte) 0x81, 'O', 'K'}, 0, 3);
        InputStream in = uart.inputStream();
        assertEquals(0x81, in.read());
        byte[] rest = new byte[2];
        int n = 0;
        while (n < 2) n += in.read(rest, n, 2 - n);
        assertArrayEquals(new byte[] {'O', 'K'}, rest);
        assertEquals(0, in.available());

        in.close(); // closes the Uart
        assertTrue(uart.isClosed());
        assertEquals(-1, in.read());
        assertThrows(IOException.class, () -> uart.outputStream().write(1));
    }

    @Test
    void closeMakesABlockedReadReturnMinusOne() throws Exception {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> result.complete(uart.read(new byte[8], 0, 8, -1)), "uart-reader");
        reader.start();
        BlockedIn.await(reader, Uart.class.getName(), "awaitData");
        uart.close();
        assertEquals(-1, result.get(BOUND_MS, TimeUnit.MILLISECONDS));
        assertEquals(-1, uart.read(new byte[8], 0, 8, 1000), "reads after close return -1 at once");
        assertThrows(HalException.class, () -> uart.write(new byte[1], 0, 1));
    }

    @Test
    void closeRacingAReaderEndsItEveryTime() throws Exception {
        for (int i = 0; i < 20; i++) {
            uart.close();
            uart = Uart.open(pty.slavePath(), UartConfig.DEFAULT);
            Uart u = uart;
            CompletableFuture<Integer> read = new CompletableFuture<>();
            Thread reader = new Thread(() -> read.complete(u.read(new byte[8], 0, 8, -1)), "uart-reader-" + i);
            reader.start();
            u.close(); // before, while or after it starts waiting
            assertEquals(-1, read.get(BOUND_MS, TimeUnit.MILLISECONDS), "round " + i);
        }
    }

    @Test
    void anInterruptedReaderGetsThreadInterruptedException() throws Exception {
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        CompletableFuture<Throwable> streamResult = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                uart.read(new byte[8], 0, 8, 60_000);
                result.complete(null);
            } catch (Throwable t) {
                result.complete(t);
            }
            try {
                uart.inputStream().read(); // the interrupt status is still set
                streamResult.complete(null);
            } catch (Throwable t) {
                streamResult.complete(t);
            }
        }, "uart-reader");
        reader.start();
        BlockedIn.await(reader, Uart.class.getName(), "awaitData");
        reader.interrupt();
        assertTrue(result.get(BOUND_MS, TimeUnit.MILLISECONDS) instanceof ThreadInterruptedException);
        assertTrue(streamResult.get(BOUND_MS, TimeUnit.MILLISECONDS) instanceof InterruptedIOException);
    }

    @Test
    void aHangUpIsReportedOnceTheBytesReceivedBeforeItAreRead() {
        pty.write(new byte[] {42}, 0, 1);
        awaitAvailable(uart, 1);
        pty.close(); // the terminal hangs up: the receiver's next read fails
        byte[] buf = new byte[1];
        assertEquals(1, uart.read(buf, 0, 1, BOUND_MS));
        assertEquals(42, buf[0]);
        HalException e = assertThrows(HalException.class, () -> uart.read(buf, 0, 1, BOUND_MS));
        assertTrue(e.getMessage().contains("reading " + uart.device()) && e.getMessage().contains("open it again"),
                e.getMessage());
    }

    @Test
    void anotherConfigurationOpensAndCarriesAsciiBytes() {
        uart.close();
        UartConfig config = UartConfig.DEFAULT.withBaud(9600).withDataBits(7).withParity(UartConfig.Parity.EVEN)
                .withStopBits(UartConfig.StopBits.TWO);
        uart = Uart.open(pty.slavePath(), config);
        assertEquals(config, uart.config());
        uart.write("ping".getBytes(StandardCharsets.US_ASCII), 0, 4);
        assertArrayEquals("ping".getBytes(StandardCharsets.US_ASCII), readFully(pty::read, 4));
    }

    @Test
    void theSameDeviceTwiceInThisApplicationIsRefused() {
        HalException e = assertThrows(HalException.class, () -> Uart.open(pty.slavePath(), UartConfig.DEFAULT));
        assertTrue(e.getMessage().contains("already open in this application"), e.getMessage());
        uart.close();
        Uart.open(pty.slavePath(), UartConfig.DEFAULT).close(); // free again once closed
    }

    @Test
    void aDeviceLockedByAnotherProgramIsReportedInUse() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/flock")), "needs flock(1) from util-linux");
        uart.close();
        // flock(1) takes the same kind of lock jSerialComm takes (flock(2), exclusive) and holds it.
        Process holder = new ProcessBuilder("/usr/bin/flock", "--exclusive", pty.slavePath().toString(),
                "sh", "-c", "echo locked; exec sleep 60").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return e.toString();
                }
            });
            assertEquals("locked", line.get(BOUND_MS, TimeUnit.MILLISECONDS));
            HalException e = assertThrows(HalException.class, () -> Uart.open(pty.slavePath(), UartConfig.DEFAULT));
            assertTrue(e.getMessage().contains("in use by another program") && e.getMessage().contains("fuser"),
                    e.getMessage());
        } finally {
            // flock(1) runs the command in a child that inherits the locked descriptor: end both
            List<ProcessHandle> children = holder.descendants().toList();
            children.forEach(ProcessHandle::destroy);
            holder.destroy();
            assertTrue(holder.waitFor(BOUND_MS, TimeUnit.MILLISECONDS));
            for (ProcessHandle child : children) child.onExit().get(BOUND_MS, TimeUnit.MILLISECONDS);
        }
        uart = Uart.open(pty.slavePath(), UartConfig.DEFAULT); // free once the other program has gone
    }

    @Test
    void aMissingDeviceIsReportedWithHowToEnableTheUart() {
        HalException e = assertThrows(HalException.class, () -> Uart.open(Path.of("/dev/ttyPIRT9"), UartConfig.DEFAULT));
        assertTrue(e.getMessage().startsWith("/dev/ttyPIRT9: no such device /dev/ttyPIRT9"), e.getMessage());
        assertTrue(e.getMessage().contains("enable_uart=1") && e.getMessage().contains("raspi-config"), e.getMessage());
    }

    @Test
    void onAPi5TheHeaderUartsHintIsDtparamUart0NotEnableUart() {
        // /dev/ttyAMA0 does not exist on this machine, as on a Pi 5 without dtparam=uart0=on.
        UartDevice device = UartDevice.resolve(PROFILES.get("rpi-5"), "SERIAL0", name -> null);
        HalException e = assertThrows(HalException.class, () -> Uart.open(device, UartConfig.DEFAULT));
        assertTrue(e.getMessage().startsWith("SERIAL0 (/dev/ttyAMA0): no such device /dev/ttyAMA0"), e.getMessage());
        assertTrue(e.getMessage().contains("The board profile rpi-5 says SERIAL0 is enabled by the line dtparam=uart0=on in config.txt"),
                e.getMessage());
        assertTrue(e.getMessage().contains("enable_uart=1 does not enable this one"), e.getMessage());
    }

    @Test
    void onAPi4ThePrimaryUartsHintIsEnableUart() {
        UartDevice device = UartDevice.resolve(PROFILES.get("rpi-4b"), "SERIAL0", Map.of("pirt.serial.SERIAL0", "/dev/ttyPIRT8")::get);
        HalException e = assertThrows(HalException.class, () -> Uart.open(device, UartConfig.DEFAULT));
        assertTrue(e.getMessage().contains("The board profile rpi-4b says SERIAL0 is enabled by the line enable_uart=1 in config.txt")
                && e.getMessage().contains("raspi-config"), e.getMessage());
    }

    @Test
    void aMissingPseudoTerminalIsReportedAsGone() {
        Path gone = Path.of("/dev/pts/987654");
        UartDevice device = UartDevice.resolve(PROFILES.get("virtual"), "SERIAL0", Map.of("pirt.serial.SERIAL0", gone.toString())::get);
        HalException e = assertThrows(HalException.class, () -> Uart.open(device, UartConfig.DEFAULT));
        assertTrue(e.getMessage().startsWith("SERIAL0 (/dev/pts/987654): no such device"), e.getMessage());
        assertTrue(e.getMessage().contains("pseudo-terminal is gone"), e.getMessage());
    }

    @Test
    void serial0OfTheVirtualBoardIsTheTerminalItsPropertyNames() {
        uart.close();
        BoardProfile virtual = PROFILES.get("virtual");
        UartDevice device = UartDevice.resolve(virtual, "SERIAL0", Map.of("pirt.serial.SERIAL0", pty.slavePath().toString())::get);
        assertEquals(pty.slavePath(), device.path());
        uart = Uart.open(device, UartConfig.DEFAULT);
        assertEquals("SERIAL0", uart.name());
        uart.write(new byte[] {7}, 0, 1);
        assertArrayEquals(new byte[] {7}, readFully(pty::read, 1));
    }

    @Test
    void aPseudoTerminalPortWithoutItsPropertySaysHowToSetIt() {
        BoardProfile virtual = PROFILES.get("virtual");
        HalException e = assertThrows(HalException.class, () -> UartDevice.resolve(virtual, "SERIAL0", Map.<String, String>of()::get));
        assertTrue(e.getMessage().contains("-Dpirt.serial.SERIAL0=/dev/pts/N") && e.getMessage().contains("pty:SERIAL0"),
                e.getMessage());
    }

    @Test
    void aRealBoardsSerial0IsItsProfileDeviceUnlessThePropertyIsSet() {
        BoardProfile pi4 = PROFILES.get("rpi-4b");
        UartDevice device = UartDevice.resolve(pi4, "SERIAL0", Map.<String, String>of()::get);
        assertEquals(Path.of("/dev/serial0"), device.path());
        assertEquals("SERIAL0 (/dev/serial0)", device.describe());
        UartDevice usb = UartDevice.resolve(pi4, "SERIAL0", Map.of("pirt.serial.SERIAL0", "/dev/ttyUSB0")::get);
        assertEquals(Path.of("/dev/ttyUSB0"), usb.path());
        HalException relative = assertThrows(HalException.class,
                () -> UartDevice.resolve(pi4, "SERIAL0", Map.of("pirt.serial.SERIAL0", "ttyUSB0")::get));
        assertTrue(relative.getMessage().contains("not an absolute device path"), relative.getMessage());
    }

    @Test
    void anUnknownPortNamesThePortsTheBoardHas() {
        HalException e = assertThrows(HalException.class,
                () -> Uart.open(PROFILES.get("rpi-4b"), "SERIAL7", UartConfig.DEFAULT));
        assertEquals("board rpi-4b has no serial port 'SERIAL7'; its serial ports: SERIAL0", e.getMessage());
    }

    @Test
    void thePermissionMessageNamesTheGroupAndHowToJoinIt() {
        // As root (CI, this machine) no device is forbidden, so the message is checked directly.
        String m = UartDevice.permissionMessage("SERIAL0 (/dev/serial0)", Path.of("/dev/serial0"), "dialout", "rw-rw----", "pi");
        assertEquals("SERIAL0 (/dev/serial0): permission denied on /dev/serial0 (group dialout, mode rw-rw----): user pi may"
                + " not read and write it. Add the user to group dialout: sudo usermod -aG dialout pi, then log out and in"
                + " again (or reboot) so the new group applies; id pi lists the user's groups.", m);
        String rootOnly = UartDevice.permissionMessage("SERIAL1", Path.of("/dev/ttyS1"), "root", null, "pi");
        assertTrue(rootOnly.contains("(group root)") && rootOnly.contains("udev rule"), rootOnly);
    }

    @Test
    void theDeviceGroupIsReadFromTheFileSystem() throws IOException {
        Object group = Files.getAttribute(pty.slavePath(), "posix:group");
        assertEquals(group.toString(), UartDevice.ownerGroup(pty.slavePath()));
    }

    /** Returns once {@code uart} holds {@code n} received bytes; a light poll, bounded. */
    private static void awaitAvailable(Uart uart, int n) {
        long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        while (uart.available() < n) {
            assertTrue(System.nanoTime() - deadlineNanos < 0, "the Uart did not receive " + n + " bytes within " + BOUND_MS + " ms");
            LockSupport.parkNanos(100_000);
        }
    }

    /** Reads exactly {@code n} bytes with bounded waits. */
    private static byte[] readFully(Reader reader, int n) {
        byte[] buf = new byte[n];
        int got = 0;
        while (got < n) {
            int r = reader.read(buf, got, n - got, BOUND_MS);
            assertTrue(r > 0, "read returned " + r + " after " + got + " of " + n + " bytes");
            got += r;
        }
        return buf;
    }

    @FunctionalInterface
    private interface Reader {
        int read(byte[] buf, int off, int len, long timeoutMs);
    }
}
