package io.pirt.tools.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.virtualboard.CableFaults;
import io.pirt.tools.Pirt;
import io.pirt.tools.Pirt.Run;
import io.pirt.tools.bench.LoopbackBoard;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code pirt console}: typed lines reach the board's shell, its output streams back and into the log, Ctrl-] leaves. */
@Timeout(60)
class ConsoleCommandTest {
    @TempDir
    Path dir;

    @Test
    void typedLinesReachTheShellAndItsOutputIsShownAndLogged() throws Exception {
        InputStream keyboard = System.in;
        try (LoopbackBoard board = new LoopbackBoard(dir, 0, CableFaults.NONE, null, (n, f, s) -> { });
             PipedOutputStream typing = new PipedOutputStream();
             PipedInputStream in = new PipedInputStream(typing)) {
            board.onTypedLine(line -> {
                try {
                    board.print("\r\u001b[Kpirt> " + line + "\nyou typed " + line + "\n");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            System.setIn(in);
            Path log = dir.resolve("console.log");
            CompletableFuture<Run> run = CompletableFuture.supplyAsync(
                    () -> Pirt.run("console", "--port", board.port().toString(), "--log", log.toString()));
            typing.write("hello board\n".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(Files.exists(log) && Files.readString(log).contains("you typed hello board"))) {
                assertTrue(System.nanoTime() < deadline, "the board's answer did not reach the log");
                LockSupport.parkNanos(20_000_000);
            }
            typing.write("\u001d\n".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            Run r = run.get(20, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.out().contains("pirt> hello board\nyou typed hello board\n"), r.out());
            assertTrue(r.err().contains("left the console"), r.err());
            assertEquals("pirt> hello board\nyou typed hello board\n", Files.readString(log));
        } finally {
            System.setIn(keyboard);
        }
    }

    @Test
    void ctrlRightBracketInTheMiddleOfALineLeavesAtOnceAndThatLineIsNotSent() throws Exception {
        InputStream keyboard = System.in;
        try (LoopbackBoard board = new LoopbackBoard(dir, 0, CableFaults.NONE, null, (n, f, s) -> { });
             PipedOutputStream typing = new PipedOutputStream();
             PipedInputStream in = new PipedInputStream(typing)) {
            java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
            board.onTypedLine(lines::add);
            System.setIn(in);
            CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> Pirt.run("console", "--port", board.port().toString()));
            typing.write("first\n".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            assertEquals("first", lines.poll(20, TimeUnit.SECONDS));
            // no line end after Ctrl-], and the input stays open: leaving must not wait for either
            typing.write("half a line\u001d".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            Run r = run.get(20, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.err().contains("left the console"), r.err());
            assertEquals(null, lines.poll(300, TimeUnit.MILLISECONDS), "the half line was not sent");
        } finally {
            System.setIn(keyboard);
        }
    }
}
