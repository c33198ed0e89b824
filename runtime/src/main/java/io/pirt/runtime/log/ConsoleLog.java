package io.pirt.runtime.log;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
 *
 * <p>A ring file damaged on disk (a write torn by a power cut ends in half a UTF-8
 * character) never stops the log from opening: bytes that are not UTF-8 are read as
 * U+FFFD, a file that cannot be read at all is left out of {@link #recent}, and either is
 * said in the log itself ({@code [pirt] the log file ... held damaged bytes ...}).
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the console log's directory " + dir + ": " + e.getMessage()
                    + "; check that the state directory is writable", e);
        }
        List<String> damage = new ArrayList<>();
        loadRecent(dir.resolve("console.log.1"), damage);
        boolean endsMidLine = loadRecent(file, damage);
        try {
            fileBytes = Files.exists(file) ? Files.size(file) : 0;
            writer = open();
            if (endsMidLine) { // a torn last line stays apart from the next one
                writer.write('\n');
                writer.flush();
                fileBytes++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the console log " + file + " for writing: " + e.getMessage()
                    + "; check that the state directory is writable and the disk not full", e);
        }
        damage.forEach(this::runtime);
    }

    /**
     * Reads {@code p}'s lines into {@link #recent}, leniently: damage is described in
     * {@code damage}, never thrown.
     *
     * @return whether the file ends in the middle of a line (no newline at its end)
     */
    private boolean loadRecent(Path p, List<String> damage) {
        byte[] bytes;
        try {
            if (!Files.exists(p)) return false;
            bytes = Files.readAllBytes(p);
        } catch (IOException e) {
            damage.add("the log file " + p + " cannot be read (" + e.getMessage() + "); `log` leaves out what it held");
            return false;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            text = new String(bytes, StandardCharsets.UTF_8); // replaces what is not UTF-8 with U+FFFD
            damage.add("the log file " + p + " held damaged bytes (not UTF-8; a write torn by a power cut or a failing "
                    + "SD card) from byte " + firstBadByte(bytes) + " on; `log` shows them as \uFFFD and the log goes on");
        }
        text.lines().forEach(this::remember);
        return bytes.length > 0 && bytes[bytes.length - 1] != '\n';
    }

    /** Offset of the first byte of {@code bytes} that is not well-formed UTF-8. */
    private static long firstBadByte(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in, out, true);
        return in.position();
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
