package io.pirt.virtualboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pseudo-terminal pairs: a real terminal device, raw bytes both ways, timeouts, and close
 * waking blocked calls. The terminal side is read with plain file streams (blocking native
 * reads that JUnit cannot interrupt), so every test runs in a thread of its own under its
 * timeout.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PseudoTerminalTest {
    private static final long BOUND_MS = BlockedIn.BOUND_MS;

    @Test
    void theTerminalIsACharacterDeviceUnderDevPtsUntilClosed() throws IOException {
        PseudoTerminal pty = PseudoTerminal.open();
        try {
            assertTrue(pty.slavePath().startsWith("/dev/pts/"), pty.slavePath().toString());
            assertTrue(Files.exists(pty.slavePath()));
            assertFalse(Files.isRegularFile(pty.slavePath()), "a device, not a file");
            assertFalse(pty.isClosed());
        } finally {
            pty.close();
        }
        assertTrue(pty.isClosed());
        pty.close(); // idempotent
    }

    @Test
    void twoTerminalsHaveTwoPaths() {
        try (PseudoTerminal a = PseudoTerminal.open(); PseudoTerminal b = PseudoTerminal.open()) {
            assertNotEquals(a.slavePath(), b.slavePath());
        }
    }

    @Test
    void everyByteValueCrossesBothWaysUnchanged() throws IOException {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) i;
        try (PseudoTerminal pty = PseudoTerminal.open();
             FileInputStream terminalIn = new FileInputStream(pty.slavePath().toFile());
             FileOutputStream terminalOut = new FileOutputStream(pty.slavePath().toFile())) {
            // master -> terminal: no echo, no CR/LF or control-character processing
            pty.write(all, 0, all.length);
            assertArrayEquals(all, terminalIn.readNBytes(all.length));

            // terminal -> master
            terminalOut.write(all);
            byte[] got = new byte[all.length];
            int n = 0;
            while (n < got.length) {
                int r = pty.read(got, n, got.length - n, BOUND_MS);
                assertTrue(r > 0, "read returned " + r + " after " + n + " bytes");
                n += r;
            }
            assertArrayEquals(all, got);
            assertEquals(0, pty.read(got, 0, 1, 0), "nothing echoed back to the master");
        }
    }

    @Test
    void readReturnsZeroOnceTheTimeoutHasPassedAndNotBefore() {
        try (PseudoTerminal pty = PseudoTerminal.open()) {
            long startNanos = System.nanoTime();
            assertEquals(0, pty.read(new byte[8], 0, 8, 300));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            assertTrue(elapsedMs >= 300, "returned after " + elapsedMs + " ms, before the 300 ms timeout");
            assertTrue(elapsedMs < 300 + BOUND_MS, "returned only after " + elapsedMs + " ms");
            assertEquals(0, pty.read(new byte[8], 0, 8, 0), "a zero timeout does not wait");
        }
    }

    @Test
    void closeMakesABlockedReadReturnMinusOne() throws Exception {
        PseudoTerminal pty = PseudoTerminal.open();
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> result.complete(pty.read(new byte[8], 0, 8, -1)), "pty-reader");
        reader.start();
        BlockedIn.await(reader, PseudoTerminal.class.getName() + "$Direction", "await");
        pty.close();
        assertEquals(-1, result.get(BOUND_MS, TimeUnit.MILLISECONDS));
        assertEquals(-1, pty.read(new byte[8], 0, 8, -1), "reads after close return -1 at once");
    }

    @Test
    void closeMakesABlockedWriteThrow() throws Exception {
        PseudoTerminal pty = PseudoTerminal.open();
        // Nobody reads the terminal: the master's writes block once its queues are full.
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread writer = new Thread(() -> {
            try {
                byte[] chunk = new byte[4096];
                while (true) pty.write(chunk, 0, chunk.length);
            } catch (Throwable t) {
                result.complete(t);
            }
        }, "pty-writer");
        writer.start();
        BlockedIn.await(writer, PseudoTerminal.class.getName() + "$Direction", "await");
        pty.close();
        Throwable t = result.get(BOUND_MS, TimeUnit.MILLISECONDS);
        assertTrue(t instanceof PseudoTerminalException && t.getMessage().contains("is closed"), String.valueOf(t));
    }

    @Test
    void closeRacingAReaderAndAWriterEndsBothEveryTime() throws Exception {
        for (int i = 0; i < 50; i++) {
            PseudoTerminal pty = PseudoTerminal.open();
            CompletableFuture<Integer> read = new CompletableFuture<>();
            CompletableFuture<Throwable> write = new CompletableFuture<>();
            Thread reader = new Thread(() -> read.complete(pty.read(new byte[8], 0, 8, -1)), "pty-reader-" + i);
            Thread writer = new Thread(() -> {
                try {
                    byte[] chunk = new byte[4096];
                    while (true) pty.write(chunk, 0, chunk.length);
                } catch (Throwable t) {
                    write.complete(t);
                }
            }, "pty-writer-" + i);
            reader.start();
            writer.start();
            pty.close(); // before, while or after they start waiting
            assertEquals(-1, read.get(BOUND_MS, TimeUnit.MILLISECONDS), "round " + i);
            assertTrue(write.get(BOUND_MS, TimeUnit.MILLISECONDS) instanceof PseudoTerminalException, "round " + i);
        }
    }

    @Test
    void streamsAreViewsOfTheMasterSide() throws IOException {
        try (PseudoTerminal pty = PseudoTerminal.open();
             FileInputStream terminalIn = new FileInputStream(pty.slavePath().toFile());
             FileOutputStream terminalOut = new FileOutputStream(pty.slavePath().toFile())) {
            pty.outputStream().write("hello\r\n".getBytes(StandardCharsets.US_ASCII));
            pty.outputStream().write(0xff);
            assertArrayEquals("hello\r\n\u00ff".getBytes(StandardCharsets.ISO_8859_1), terminalIn.readNBytes(8));

            terminalOut.write(new byte[] {(byte) 0x80, 'o', 'k'});
            InputStream in = pty.inputStream();
            assertEquals(0x80, in.read());
            byte[] rest = new byte[2];
            int n = 0;
            while (n < 2) n += in.read(rest, n, 2 - n);
            assertArrayEquals(new byte[] {'o', 'k'}, rest);

            in.close(); // closes the terminal
            assertTrue(pty.isClosed());
            assertEquals(-1, in.read());
            assertThrows(IOException.class, () -> pty.outputStream().write(1));
        }
    }

    @Test
    void theTerminalSideReadsEofOrEioAfterClose() throws IOException {
        PseudoTerminal pty = PseudoTerminal.open();
        try (FileInputStream terminalIn = new FileInputStream(pty.slavePath().toFile())) {
            pty.close();
            // Linux reports the hang-up as EIO (an IOException) or as end of file.
            try {
                assertEquals(-1, terminalIn.read());
            } catch (IOException expected) {
                assertTrue(expected.getMessage().contains("Input/output error"), expected.getMessage());
            }
        }
    }
}
