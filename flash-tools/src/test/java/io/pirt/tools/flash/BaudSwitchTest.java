package io.pirt.tools.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.wire.Response;
import io.pirt.wire.message.BoardInfo;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.Refusal;
import io.pirt.virtualboard.CableFaults;
import io.pirt.tools.Pirt;
import io.pirt.tools.Pirt.Run;
import io.pirt.tools.bench.LoopbackBoard;
import io.pirt.tools.board.SerialLink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pirt flash --flash-baud} on a cable that behaves like a UART at 115200 baud (each
 * end's rate honoured, garbage when they differ): a switch that works and is undone when the
 * tool leaves, a cable that cannot carry the rate (both ends fall back by themselves), a rate
 * the board refuses, and a port with no rate (a USB gadget port).
 */
@Timeout(60)
class BaudSwitchTest {
    private static final Pattern SENT = Pattern.compile("sent \\d+ bytes in ([0-9.]+) s");

    @TempDir
    Path dir;

    private Path file(int bytes) throws IOException {
        byte[] b = new byte[bytes];
        new Random(11).nextBytes(b);
        return Files.write(dir.resolve("app.pirt"), b);
    }

    private LoopbackBoard board(boolean uart, AtomicReference<Path> stored) throws Exception {
        return new LoopbackBoard(dir.resolve("board"), 115_200, CableFaults.NONE,
                (session, command, argument) -> command.equals("install-wait") ? Response.ok(Messages.encode(InstallVerdict.committed("demo", "1.0.0")))
                        : Response.ok(Messages.encode(new BoardInfo("virtual", "pirt virtual board", "0.1.0", 25, "NONE", "asked for",
                                new BoardInfo.AppStatus("RUNNING", "running demo"), null, 1_000, null, null))),
                (name, file, sha) -> stored.set(Files.copy(file, dir.resolve("stored-" + name))), uart);
    }

    private static double transferSeconds(Run run) {
        Matcher m = SENT.matcher(run.err());
        assertTrue(m.find(), run.toString());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aSwitchTo921600CarriesTheTransferAndTheBoardIsBackAt115200Afterwards() throws Exception {
        AtomicReference<Path> stored = new AtomicReference<>();
        Path bundle = file(120_000); // 10.6 s at 115200, 1.3 s at 921600
        try (LoopbackBoard b = board(true, stored)) {
            Run run = Pirt.run("flash", "--port", b.port().toString(), "--baud", "115200", "--flash-baud", "921600",
                    "--progress", "none", "--no-compress", bundle.toString());
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.err().contains("pirt: switched to 921600 baud"), run.err());
            assertTrue(transferSeconds(run) < 5, "the transfer ran at 921600: " + run.err());

            // The tool's session ended, so the board went back to 115200: a new session there works...
            Run info = Pirt.run("info", "--port", b.port().toString(), "--baud", "115200");
            assertEquals(0, info.exitCode(), info.toString());
            // ...and so does a person typing at 115200, without the protocol.
            BlockingQueue<String> typed = new ArrayBlockingQueue<>(8);
            b.onTypedLine(typed::add);
            try (SerialLink person = SerialLink.open(b.port().toString(), 115_200)) {
                person.out().write("status\r".getBytes(StandardCharsets.US_ASCII));
                person.out().flush();
                assertEquals("status", typed.poll(5, TimeUnit.SECONDS));
            }
        }
        assertEquals(-1, Files.mismatch(bundle, stored.get()));
    }

    @Test
    void aCableThatCannotCarryTheRateFallsBackAndTheFlashSucceedsAtTheOldRate() throws Exception {
        AtomicReference<Path> stored = new AtomicReference<>();
        Path bundle = file(20_000);
        try (LoopbackBoard b = board(true, stored)) {
            b.cable().maxBaud(230_400);
            Run run = Pirt.run("flash", "--port", b.port().toString(), "--baud", "115200", "--flash-baud", "921600",
                    "--progress", "none", bundle.toString());
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.err().contains("no answer at 921600 baud"), run.err());
            assertTrue(run.err().contains("both ends went back to 115200 baud"), run.err());
            assertEquals("committed demo 1.0.0\n", run.out());
            Run info = Pirt.run("info", "--port", b.port().toString(), "--baud", "115200");
            assertEquals(0, info.exitCode(), "the board is at 115200 again: " + info);
        }
        assertEquals(-1, Files.mismatch(bundle, stored.get()));
    }

    @Test
    void aRateTheBoardDoesNotTakeIsRefusedAndTheFlashGoesOnAtTheOldRate() throws Exception {
        AtomicReference<Path> stored = new AtomicReference<>();
        Path bundle = file(5_000);
        try (LoopbackBoard b = board(true, stored)) {
            Run run = Pirt.run("flash", "--port", b.port().toString(), "--baud", "115200", "--flash-baud", "123456",
                    "--progress", "none", bundle.toString());
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.err().contains("the board refused 123456 baud (123456 baud is not a rate this board's UART takes"),
                    run.err());
            assertTrue(run.err().contains("staying at 115200 baud"), run.err());
        }
        assertEquals(-1, Files.mismatch(bundle, stored.get()));
    }

    @Test
    void aPortWithoutARateIsNotAskedAndTheFlashGoesOn() throws Exception {
        AtomicReference<Path> stored = new AtomicReference<>();
        Path bundle = file(5_000);
        try (LoopbackBoard b = board(false, stored)) {
            Run run = Pirt.run("flash", "--port", b.port().toString(), "--baud", "115200", "--flash-baud", "921600",
                    "--progress", "none", bundle.toString());
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.err().contains("the board's console has no baud rate to switch"), run.err());
        }
        assertEquals(-1, Files.mismatch(bundle, stored.get()));
    }
}
