package io.pirt.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.virtualboard.BlockedIn;
import io.pirt.virtualboard.PseudoTerminal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Closing a {@link SerialDevice} under its reader, on a real pseudo-terminal. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SerialDeviceTest {
    private static final long BOUND_MS = BlockedIn.BOUND_MS;

    private PseudoTerminal pty;

    @BeforeEach
    void openTerminal() {
        pty = PseudoTerminal.open();
    }

    @AfterEach
    void closeTerminal() {
        pty.close();
    }

    @Test
    void closeEndsAReadBlockedInThePortAndThenClosesThePort() throws Exception {
        long terminalsOwn = descriptorsOf(pty.slavePath()); // the pseudo-terminal keeps its slave open itself
        SerialDevice device = SerialDevice.open(pty.slavePath().toString(), 115200);
        assertEquals(terminalsOwn + 1, descriptorsOf(pty.slavePath()), "the open port holds one descriptor on the terminal");
        Reader reader = Reader.start(device, "serial-reader");
        BlockedIn.await(reader.thread(), SerialPortInput.class.getName(), "read");

        device.close();

        assertEquals(-1, reader.result().get(BOUND_MS, TimeUnit.MILLISECONDS), "the blocked read ends as end of input");
        assertEquals(-1, device.in().read(new byte[8], 0, 8), "later reads end at once");
        assertEquals(terminalsOwn, descriptorsOf(pty.slavePath()), "the port is closed");
        SerialDevice.open(pty.slavePath().toString(), 115200).close(); // and free for the next owner
    }

    @Test
    void closeRacingAReaderEndsItAndClosesThePortEveryTime() throws Exception {
        long terminalsOwn = descriptorsOf(pty.slavePath());
        for (int i = 0; i < 20; i++) {
            SerialDevice device = SerialDevice.open(pty.slavePath().toString(), 115200);
            Reader reader = Reader.start(device, "serial-reader-" + i);
            device.close(); // before, while or after the reader enters jSerialComm
            assertEquals(-1, reader.result().get(BOUND_MS, TimeUnit.MILLISECONDS), "round " + i);
            assertEquals(terminalsOwn, descriptorsOf(pty.slavePath()), "round " + i);
        }
    }

    @Test
    void bytesWrittenToTheTerminalAreReadFromThePort() throws Exception {
        try (SerialDevice device = SerialDevice.open(pty.slavePath().toString(), 115200)) {
            pty.write(new byte[] {7}, 0, 1);
            assertEquals(7, device.in().read());
        }
    }

    /** A thread that reads once from a device; {@code result} holds what the read returned or threw. */
    private record Reader(Thread thread, CompletableFuture<Object> result) {
        static Reader start(SerialDevice device, String name) {
            CompletableFuture<Object> result = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    result.complete(device.in().read(new byte[8], 0, 8));
                } catch (Throwable t) {
                    result.complete(t);
                }
            }, name);
            thread.start();
            return new Reader(thread, result);
        }
    }

    /** How many of this process's descriptors are open on {@code device}. */
    private static long descriptorsOf(Path device) throws IOException {
        Path target = device.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(target);
                } catch (IOException e) {
                    return false; // the descriptor closed while listing (the listing's own, or another thread's)
                }
            }).count();
        }
    }
}
