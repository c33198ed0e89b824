package io.pirt.runtime.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleLogResilienceTest {
    @TempDir
    Path dir;

    @Test
    void aFloodOfApplicationLinesLeavesTheRuntimesLinesVisible() {
        ConsoleLog log = new ConsoleLog(dir, 10);
        try {
            log.runtime("rolled back to bundle abc: the trial failed (no heartbeat)");
            for (int i = 0; i < 5 * ConsoleLog.RECENT_LINES; i++) log.log(ConsoleLog.Source.APP_OUT, "chatter " + i);
            log.runtime("application started");

            List<String> recent = log.recent(ConsoleLog.RECENT_LINES + ConsoleLog.RECENT_RUNTIME_LINES);
            assertTrue(recent.contains("[pirt] rolled back to bundle abc: the trial failed (no heartbeat)"), recent.subList(0, 3).toString());
            assertEquals("[pirt] rolled back to bundle abc: the trial failed (no heartbeat)", recent.get(0), "merged in order: oldest first");
            assertEquals("[app] chatter " + (5 * ConsoleLog.RECENT_LINES - ConsoleLog.RECENT_LINES), recent.get(1));
            assertEquals("[pirt] application started", recent.get(recent.size() - 1));
            assertEquals(List.of("[app] chatter " + (5 * ConsoleLog.RECENT_LINES - 1), "[pirt] application started"), log.recent(2));
        } finally {
            log.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFailingWriteIsSaidOnceAndTheFileIsWrittenAgainWhenTheDiskRecovers() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        ConsoleLog.RingFiles flaky = new ConsoleLog.RingFiles() {
            @Override
            public Writer append(Path file) throws IOException {
                if (failing.get()) throw new IOException("Input/output error (injected)");
                return new FilterWriter(ConsoleLog.DISK.append(file)) {
                    @Override
                    public void write(String s, int off, int len) throws IOException {
                        if (failing.get()) throw new IOException("No space left on device (injected)");
                        super.write(s, off, len);
                        written.add(s.substring(off, off + len));
                    }
                };
            }

            @Override
            public void rotate(Path file, Path previous) throws IOException {
                ConsoleLog.DISK.rotate(file, previous);
            }
        };
        ConsoleLog log = new ConsoleLog(dir, 1000, flaky, 0);
        log.log(ConsoleLog.Source.APP_OUT, "before");
        awaitWritten("[app] before");
        failing.set(true);
        for (int i = 0; i < 5; i++) log.log(ConsoleLog.Source.APP_OUT, "while failing " + i);
        awaitOnConsole(log, "cannot be written");
        failing.set(false);
        log.log(ConsoleLog.Source.APP_OUT, "after");
        awaitWritten("[app] after");
        // logged after the first line written again (a late "while failing" line or "after"); once on the
        // console it is queued for the file ahead of close()
        awaitOnConsole(log, "is written again");
        log.close();

        List<String> recent = log.recent(100);
        assertEquals(1, recent.stream().filter(l -> l.contains("cannot be written")).count(), "said once: " + recent);
        String failure = recent.stream().filter(l -> l.contains("cannot be written")).findFirst().orElseThrow();
        assertTrue(failure.contains("No space left on device (injected)") && failure.contains("tries again"), failure);
        List<String> onDisk = Files.readAllLines(dir.resolve("console.log"), StandardCharsets.UTF_8);
        assertTrue(onDisk.stream().anyMatch(l -> l.contains("is written again; it misses")), onDisk.toString());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFileThatCannotBeOpenedAtStartIsSaidAndWrittenOnceTheDiskAllows() throws Exception {
        AtomicBoolean readOnly = new AtomicBoolean(true);
        ConsoleLog.RingFiles disk = new ConsoleLog.RingFiles() {
            @Override
            public Writer append(Path file) throws IOException {
                if (readOnly.get()) throw new IOException("Read-only file system (injected)");
                return new FilterWriter(ConsoleLog.DISK.append(file)) {
                    @Override
                    public void write(String s, int off, int len) throws IOException {
                        super.write(s, off, len);
                        written.add(s.substring(off, off + len));
                    }
                };
            }

            @Override
            public void rotate(Path file, Path previous) throws IOException {
                ConsoleLog.DISK.rotate(file, previous);
            }
        };
        ConsoleLog log = new ConsoleLog(dir, 1000, disk, 0); // a read-only state directory: the runtime still starts
        try {
            awaitOnConsole(log, "cannot be written (java.io.IOException: Read-only file system (injected))");
            log.log(ConsoleLog.Source.APP_OUT, "while read-only");
            assertTrue(log.recent(10).contains("[app] while read-only"), "`log` has the lines: " + log.recent(10));
            readOnly.set(false);
            log.log(ConsoleLog.Source.APP_OUT, "writable again");
            awaitWritten("[app] writable again");
            awaitOnConsole(log, "is written again");
        } finally {
            log.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aStalledDiskNeverBlocksTheApplicationsOutputAndDroppedLinesAreCounted() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean stall = new AtomicBoolean();
        ConsoleLog.RingFiles stalling = new ConsoleLog.RingFiles() {
            @Override
            public Writer append(Path file) throws IOException {
                return new FilterWriter(ConsoleLog.DISK.append(file)) {
                    @Override
                    public void write(String s, int off, int len) throws IOException {
                        if (stall.get()) {
                            stalled.countDown();
                            try {
                                if (!release.await(15, TimeUnit.SECONDS)) throw new IOException("test: never released");
                            } catch (InterruptedException e) {
                                throw new IOException("test: interrupted", e);
                            }
                        }
                        super.write(s, off, len);
                        written.add(s.substring(off, off + len));
                    }
                };
            }

            @Override
            public void rotate(Path file, Path previous) throws IOException {
                ConsoleLog.DISK.rotate(file, previous);
            }
        };
        ConsoleLog log = new ConsoleLog(dir, 10, stalling, 0);
        stall.set(true);
        log.log(ConsoleLog.Source.APP_OUT, "the card stalls here");
        assertTrue(stalled.await(10, TimeUnit.SECONDS), "the writer never reached the disk");

        int lines = 3 * ConsoleLog.FILE_QUEUE_LINES;
        Thread app = new Thread(() -> {
            for (int i = 0; i < lines; i++) log.log(ConsoleLog.Source.APP_OUT, "line " + i);
        }, "test-app-output");
        app.start();
        app.join(10_000);
        assertTrue(!app.isAlive(), "the application's output blocked behind a stalled disk");
        assertEquals("[app] line " + (lines - 1), log.recent(1).get(0));

        stall.set(false);
        release.countDown();
        String notice = awaitWritten("lines not written to the log file");
        long dropped = Long.parseLong(notice.substring("[pirt] ".length(), notice.indexOf(' ', "[pirt] ".length())));
        assertTrue(dropped >= lines - ConsoleLog.FILE_QUEUE_LINES, notice);
        log.close();
        List<String> onDisk = Files.readAllLines(dir.resolve("console.log"), StandardCharsets.UTF_8);
        assertTrue(onDisk.contains(notice) && onDisk.contains("[app] line 0"), "the file after the stall: " + onDisk.subList(0, 3));
    }

    /** What the ring file was given, string by string, as the writer thread wrote it. */
    private final BlockingQueue<String> written = new LinkedBlockingQueue<>();

    /** Waits until a string containing {@code line} was written; returns it. */
    private String awaitWritten(String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String s; ; ) {
            s = written.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertTrue(s != null, "'" + line + "' not written within 30 s");
            if (s.contains(line)) return s;
        }
    }

    private static void awaitOnConsole(ConsoleLog log, String part) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String s; (s = log.takeForConsole(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))) == null
                || !s.contains(part); ) {
            assertTrue(System.nanoTime() < deadline, "no line with '" + part + "' on the console within 30 s: " + log.recent(100));
        }
    }
}
