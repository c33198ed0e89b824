package io.pirt.tools.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The terminal keyboard of {@code pirt console} on a JLine terminal fed by a pipe, as a
 * person's keystrokes would reach it in raw mode: a line is edited locally before it is
 * sent, history brings it back, and Ctrl-] leaves at once in the middle of a line.
 */
@Timeout(30)
class TerminalKeyboardTest {
    private static Terminal terminal(PipedInputStream keys, OutputStream screen) throws Exception {
        return TerminalBuilder.builder().system(false).streams(keys, screen).type("xterm").size(new org.jline.terminal.Size(80, 24))
                .build();
    }

    private static String readAsync(TerminalKeyboard k) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return k.readLine();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void linesAreEditedLocallyHistoryRecallsThemAndCtrlRightBracketLeavesMidLine() throws Exception {
        try (PipedOutputStream typing = new PipedOutputStream(); PipedInputStream keys = new PipedInputStream(typing)) {
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            try (TerminalKeyboard k = new TerminalKeyboard(terminal(keys, screen), null)) {
                typing.write("pz\u007fs\r".getBytes(StandardCharsets.US_ASCII)); // Backspace fixes a typo before it is sent
                typing.flush();
                assertEquals("ps", readAsync(k));
                typing.write("\u001bOA\r".getBytes(StandardCharsets.US_ASCII)); // Up (keypad mode, as xterm sends it): the last line again
                typing.flush();
                assertEquals("ps", readAsync(k));
                typing.write("log 5\u001d".getBytes(StandardCharsets.US_ASCII)); // Ctrl-] with no Enter after it
                typing.flush();
                assertNull(readAsync(k), "Ctrl-] left at once; the half line is not returned");
            }
        }
    }
}
