package io.pirt.runtime.log;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Everything the console shows, in one stream: the application's standard output and error
 * and the runtime's own messages, each line marked with its source ({@code [app]},
 * {@code [app!]}, {@code [pirt]}).
 *
 * <p>Every line goes to the ring file at once ({@code log/console.log}, rotated to
 * {@code console.log.1} past {@link #RING_FILE_BYTES}), so {@code log} can show what
 * happened before anyone connected, even across restarts; and into a bounded queue for the
 * console, which may be slow (a UART) or gone (cable out). When that queue is full a line is
 * dropped from the console only and counted; the console then prints
 * "[pirt] N lines dropped" before the next line. Producers never block. Thread-safe.
 */
public final class ConsoleLog {
    /** Where a line came from. */
    public enum Source {
        APP_OUT("app"), APP_ERR("app!"), RUNTIME("pirt");

        final String tag;

        Source(String tag) {
            this.tag = tag;
        }
    }

    public static final long RING_FILE_BYTES = 256 * 1024;
    private static final int RECENT_LINES = 500;

    private final Path file;
    private final BlockingQueue<String> toConsole;
    /** Lines the console queue refused since the console last took one. Guarded by this. */
    private long dropped;
    /** Guarded by this. */
    private BufferedWriter writer;
    private long fileBytes;
    /** The last lines, for `log`. Guarded by this. */
    private final ArrayDeque<String> recent = new ArrayDeque<>();

    /**
     * A log whose ring file is {@code dir/console.log}, with a console queue of {@code consoleLines}.
     *
     * @throws UncheckedIOException if the directory cannot be made or the file opened
     */
    public ConsoleLog(Path dir, int consoleLines) {
        this.file = dir.resolve("console.log");
        this.toConsole = new ArrayBlockingQueue<>(consoleLines);
        try {
            Files.createDirectories(dir);
            loadRecent(dir.resolve("console.log.1"));
            loadRecent(file);
            fileBytes = Files.exists(file) ? Files.size(file) : 0;
            writer = open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the console log in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void loadRecent(Path p) throws IOException {
        if (!Files.exists(p)) return;
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) remember(line);
    }

    private BufferedWriter open() throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Logs one line from {@code source}; never blocks. */
    public void log(Source source, String text) {
        String line = "[" + source.tag + "] " + text;
        synchronized (this) {
            remember(line);
            writeToRing(line);
            if (!toConsole.offer(line)) dropped++;
        }
    }

    /** Logs a runtime message. */
    public void runtime(String text) {
        log(Source.RUNTIME, text);
    }

    private void remember(String line) {
        if (recent.size() == RECENT_LINES) recent.removeFirst();
        recent.addLast(line);
    }

    private void writeToRing(String line) {
        if (writer == null) return;
        try {
            writer.write(line);
            writer.write('\n');
            writer.flush();
            fileBytes += line.length() + 1;
            if (fileBytes > RING_FILE_BYTES) {
                writer.close();
                Files.move(file, file.resolveSibling("console.log.1"), StandardCopyOption.REPLACE_EXISTING);
                writer = open();
                fileBytes = 0;
            }
        } catch (IOException e) {
            // The console still gets the line; the ring file is what failed, so say it there once.
            writer = null;
            toConsole.offer("[pirt] the log file " + file + " cannot be written (" + e.getMessage() + "); `log` will miss lines from now on");
        }
    }

    /** The last {@code n} lines (at most 500), oldest first. */
    public synchronized List<String> recent(int n) {
        List<String> all = new ArrayList<>(recent);
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    /**
     * The next line for the console, waiting at most {@code timeoutMs}; null if none came.
     * Preceded, after an overflow, by a line saying how many were dropped.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public String takeForConsole(long timeoutMs) throws InterruptedException {
        synchronized (this) {
            if (dropped > 0) {
                String notice = "[pirt] " + dropped + " lines dropped (the console could not keep up; `log` has them)";
                dropped = 0;
                return notice;
            }
        }
        return toConsole.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Closes the ring file. */
    public synchronized void close() {
        if (writer == null) return;
        try {
            writer.close();
        } catch (IOException e) {
            System.err.println("pirt: closing " + file + ": " + e.getMessage());
        }
        writer = null;
    }
}
