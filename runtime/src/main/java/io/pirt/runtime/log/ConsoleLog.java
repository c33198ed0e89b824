package io.pirt.runtime.log;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the console shows, in one stream: the application's standard output and error
 * and the runtime's own messages, each line marked with its source ({@code [app]},
 * {@code [app!]}, {@code [pirt]}).
 *
 * <p>Every line goes to the ring file ({@code log/console.log}, rotated to
 * {@code console.log.1} past {@link #RING_FILE_BYTES}) through a writer thread of its own,
 * so {@code log} can show what happened before anyone connected, even across restarts; and
 * into a bounded queue for the console, which may be slow (a UART) or gone (cable out). When
 * that queue is full a line is dropped from the console only and counted; the console then
 * prints "[pirt] N lines dropped" before the next line. When the writer's queue is full, a
 * line waits for room at most {@value #FILE_QUEUE_WAIT_MS} ms: a healthy disk that is only
 * slower than a burst of output slows the burst down and loses nothing. A line that waited
 * in vain marks the disk stalled (an SD card that hangs): from then on lines that find the
 * queue full are dropped from the file only, without waiting, and counted, until the writer
 * has emptied its queue; the file then says how many it misses. A file that cannot be
 * written is tried again on a later line, after a back-off; the log says once that it
 * failed and once that it works again. Producers never wait for the disk itself, and for
 * its queue at most {@value #FILE_QUEUE_WAIT_MS} ms once per stall. Thread-safe.
 *
 * <p>{@link #recent} keeps the runtime's own lines in a ring of their own
 * ({@value #RECENT_RUNTIME_LINES} lines) beside the application's ({@value #RECENT_LINES}
 * lines), so an application that floods its output never rotates away why the runtime
 * restarted it or rolled back; the two rings are merged in the order the lines were logged.
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
    /** The application's lines kept for {@code log}. */
    static final int RECENT_LINES = 500;
    /** The runtime's own lines kept for {@code log}, apart from the application's. */
    static final int RECENT_RUNTIME_LINES = 200;
    /** Lines waiting for the writer thread; beyond this the file misses lines (counted). */
    static final int FILE_QUEUE_LINES = 1_000;
    /** How long a line waits for room in the writer's queue before the disk counts as stalled. */
    static final long FILE_QUEUE_WAIT_MS = 500;
    private static final long FIRST_RETRY_MS = 1_000;
    private static final long MAX_RETRY_MS = 60_000;
    private static final long CLOSE_WAIT_MS = 2_000;
    private static final String RUNTIME_PREFIX = "[" + Source.RUNTIME.tag + "] ";

    /**
     * How the ring file is opened and rotated; a seam so tests can make the disk fail or
     * stall. The real one is {@link #DISK}.
     */
    interface RingFiles {
        Writer append(Path file) throws IOException;

        void rotate(Path file, Path previous) throws IOException;
    }

    static final RingFiles DISK = new RingFiles() {
        @Override
        public Writer append(Path file) throws IOException {
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }

        @Override
        public void rotate(Path file, Path previous) throws IOException {
            Files.move(file, previous, StandardCopyOption.REPLACE_EXISTING);
        }
    };

    /** One remembered line and its place in the order of logging. */
    private record Entry(long seq, String line) {
    }

    private final Path file;
    private final BlockingQueue<String> toConsole;
    /** Lines the console queue refused since the console last took one. Guarded by this. */
    private long dropped;
    /** Lines the writer's queue refused since the writer last caught up. */
    private final AtomicLong droppedFromFile = new AtomicLong();
    /**
     * Held while a line is remembered, queued for the file and then for the console, so the
     * file has the lines in the order {@link #recent} has them and a line the console shows is
     * already queued for the file (a close() after seeing it writes it); a line waiting for room in the writer's queue holds
     * it (at most {@value #FILE_QUEUE_WAIT_MS} ms), which is the back-pressure on producers.
     * Taken before {@code this}, never after.
     */
    private final Object fileOrder = new Object();
    /**
     * Set when a line waited in vain for room in the writer's queue; cleared by the writer
     * when its queue is empty. While set, lines never wait for the queue.
     */
    private volatile boolean fileStalled;
    /** Order of the next line remembered. Guarded by this. */
    private long nextSeq;
    /** The application's last lines, for `log`. Guarded by this. */
    private final ArrayDeque<Entry> recentApp = new ArrayDeque<>();
    /** The runtime's last lines, for `log`. Guarded by this. */
    private final ArrayDeque<Entry> recentRuntime = new ArrayDeque<>();
    private final BlockingQueue<String> toFile = new ArrayBlockingQueue<>(FILE_QUEUE_LINES);
    private final FileWriterLoop fileWriter;
    private final Thread writerThread;

    /**
     * A log whose ring file is {@code dir/console.log}, with a console queue of {@code consoleLines}.
     * A directory that cannot be made or a file that cannot be opened (a read-only or full state
     * directory) never stops the log: it says so as its first line, keeps the lines for the
     * console and {@code log}, and tries the file again as after a failed write.
     */
    public ConsoleLog(Path dir, int consoleLines) {
        this(dir, consoleLines, DISK, FIRST_RETRY_MS);
    }

    /** As {@link #ConsoleLog(Path, int)}, with the disk and the first retry delay given (tests). */
    ConsoleLog(Path dir, int consoleLines, RingFiles files, long firstRetryMs) {
        this.file = dir.resolve("console.log");
        this.toConsole = new ArrayBlockingQueue<>(consoleLines);
        List<String> damage = new ArrayList<>();
        loadRecent(dir.resolve("console.log.1"), damage);
        boolean endsMidLine = loadRecent(file, damage);
        Writer writer = null;
        long fileBytes = 0;
        IOException openFailure = null;
        try {
            Files.createDirectories(dir);
            fileBytes = Files.exists(file) ? Files.size(file) : 0;
            writer = files.append(file);
            if (endsMidLine) { // a torn last line stays apart from the next one
                writer.write('\n');
                writer.flush();
                fileBytes++;
            }
        } catch (IOException e) {
            openFailure = e;
        }
        fileWriter = new FileWriterLoop(files, writer, fileBytes, firstRetryMs);
        writerThread = new Thread(fileWriter, "pirt-log-writer");
        writerThread.setDaemon(true);
        if (openFailure != null) fileWriter.failed(openFailure, 0); // before the writer starts: it owns that state from then on
        writerThread.start();
        damage.forEach(this::runtime);
    }

    /**
     * Reads {@code p}'s lines into the rings, leniently: damage is described in
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
        synchronized (this) {
            text.lines().forEach(this::remember);
        }
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

    /**
     * Logs one line from {@code source}; never waits for the disk, and for room in the file
     * writer's queue at most {@value #FILE_QUEUE_WAIT_MS} ms (see the class comment).
     */
    public void log(Source source, String text) {
        String line = "[" + source.tag + "] " + text;
        synchronized (fileOrder) {
            synchronized (this) {
                remember(line);
            }
            if (!toFile.offer(line) && !waitForRoom(line)) droppedFromFile.incrementAndGet();
            synchronized (this) { // after the file's queue: a line seen on the console is already queued for the file
                if (!toConsole.offer(line)) dropped++;
            }
        }
    }

    /** Offers {@code line} to the full file queue, waiting unless the disk is stalled; whether it went in. */
    private boolean waitForRoom(String line) {
        if (fileStalled || Thread.currentThread() == writerThread) return false; // the writer never waits for itself
        try {
            if (toFile.offer(line, FILE_QUEUE_WAIT_MS, TimeUnit.MILLISECONDS)) return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller's interrupt stays set for it to see; the line is counted as missed
            return false;
        }
        fileStalled = true;
        return false;
    }

    /** Logs a runtime message. */
    public void runtime(String text) {
        log(Source.RUNTIME, text);
    }

    /** Guarded by this. */
    private void remember(String line) {
        boolean runtime = line.startsWith(RUNTIME_PREFIX);
        ArrayDeque<Entry> ring = runtime ? recentRuntime : recentApp;
        if (ring.size() == (runtime ? RECENT_RUNTIME_LINES : RECENT_LINES)) ring.removeFirst();
        ring.addLast(new Entry(nextSeq++, line));
    }

    /** Lines the writer's queue refused since the last call, zeroed. */
    private long takeDroppedFromFile() {
        return droppedFromFile.getAndSet(0);
    }

    /**
     * The last {@code n} lines, oldest first: the runtime's (at most {@value #RECENT_RUNTIME_LINES})
     * and the application's (at most {@value #RECENT_LINES}) in the order they were logged.
     */
    public synchronized List<String> recent(int n) {
        int take = Math.min(n, recentApp.size() + recentRuntime.size());
        ArrayDeque<String> out = new ArrayDeque<>(take);
        var app = recentApp.descendingIterator();
        var rt = recentRuntime.descendingIterator();
        Entry a = app.hasNext() ? app.next() : null;
        Entry r = rt.hasNext() ? rt.next() : null;
        while (out.size() < take) { // newest first from both tails
            if (r == null || (a != null && a.seq > r.seq)) {
                out.addFirst(a.line);
                a = app.hasNext() ? app.next() : null;
            } else {
                out.addFirst(r.line);
                r = rt.hasNext() ? rt.next() : null;
            }
        }
        return new ArrayList<>(out);
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

    /**
     * Closes the ring file after the writer has written what is queued, waiting at most
     * {@value #CLOSE_WAIT_MS} ms for a stalled disk (then says so on stderr and leaves the
     * daemon writer to the process's end). Closing a closed log does nothing.
     */
    public void close() {
        if (!writerThread.isAlive()) return;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        try {
            boolean stopped = toFile.offer(STOP, CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
            if (stopped) writerThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (writerThread.isAlive()) {
                System.err.println("pirt: the log writer did not finish writing " + file + " within " + CLOSE_WAIT_MS
                        + " ms (the disk is stalled); its last lines may be missing from the file");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("pirt: interrupted while closing " + file + "; its last lines may be missing from the file");
        }
    }

    /** Tells the writer thread to close the file and end; compared by identity. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String STOP = new String("stop");

    /*
     * Implementation notes: the writer thread owns the file (writer, fileBytes, the failure
     * state); no other thread touches them after the constructor hands them over. It flushes
     * when its queue is empty, so a burst is written in few system calls. When a write fails
     * it closes the file, says so once through the log (that line reaches `log` and the
     * console at once, and the file when it works again), counts the lines it cannot write,
     * and opens the file again on the first line after a back-off that doubles from the first
     * retry delay up to MAX_RETRY_MS with each failed attempt; after the first line written
     * again it says how many lines the file misses. No retry without a line: nothing is lost
     * by waiting, and an idle board does not touch a failing card.
     */
    private final class FileWriterLoop implements Runnable {
        private final RingFiles files;
        /** Null while the file is failed. */
        private Writer writer;
        private long fileBytes;
        private final long firstRetryMs;
        private long retryMs;
        /** When the next attempt to open a failed file may happen. */
        private long retryAtNanos;
        /** Lines not written since the file failed; -1 while it works. */
        private long missed = -1;

        FileWriterLoop(RingFiles files, Writer writer, long fileBytes, long firstRetryMs) {
            this.files = files;
            this.writer = writer;
            this.fileBytes = fileBytes;
            this.firstRetryMs = firstRetryMs;
            this.retryMs = firstRetryMs;
        }

        @Override
        public void run() {
            try {
                for (String line = toFile.take(); line != STOP; line = toFile.take()) {
                    long droppedLines = takeDroppedFromFile();
                    if (droppedLines > 0) {
                        write(RUNTIME_PREFIX + droppedLines + " lines not written to the log file (the disk could not keep up; "
                                + "the console and `log` had them)");
                    }
                    write(line);
                    if (toFile.isEmpty()) {
                        flush();
                        fileStalled = false; // caught up: lines may wait for room again
                    }
                }
            } catch (InterruptedException e) {
                System.err.println("pirt: the log writer for " + file + " was interrupted; the file gets no more lines");
            } finally {
                closeFile();
            }
        }

        private void write(String line) {
            if (writer == null && !reopen()) {
                missed++;
                return;
            }
            try {
                writer.write(line);
                writer.write('\n');
                fileBytes += utf8Length(line) + 1;
                if (fileBytes > RING_FILE_BYTES) {
                    writer.close();
                    writer = null;
                    files.rotate(file, file.resolveSibling("console.log.1"));
                    writer = files.append(file);
                    fileBytes = 0;
                }
            } catch (IOException e) {
                failed(e, 1);
                return;
            }
            if (missed >= 0) {
                long n = missed;
                missed = -1;
                retryMs = firstRetryMs;
                runtime("the log file " + file + " is written again; it misses " + n + " lines or more from while it "
                        + "failed (the console and `log` had them)");
            }
        }

        private void flush() {
            if (writer == null) return;
            try {
                writer.flush();
            } catch (IOException e) {
                failed(e, 0); // how many buffered lines were lost is unknown: the notice says "or more"
            }
        }

        /** Opens the failed file again if the back-off has passed; whether it is open. */
        private boolean reopen() {
            if (System.nanoTime() - retryAtNanos < 0) return false;
            try {
                writer = files.append(file);
                fileBytes = Files.exists(file) ? Files.size(file) : 0;
                return true;
            } catch (IOException e) {
                failed(e, 0);
                return false;
            }
        }

        /** Closes the file after {@code e}; says so once a failure begins, and backs off. */
        private void failed(IOException e, long lines) {
            closeAfter(e);
            writer = null;
            if (missed < 0) {
                missed = lines;
                retryMs = firstRetryMs;
                runtime("the log file " + file + " cannot be written (" + e + "); the runtime tries again on a later line, "
                        + "after " + retryMs + " ms at first and at most every " + MAX_RETRY_MS + " ms; check the SD card "
                        + "or free some space");
            } else {
                missed += lines;
                retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
            }
            retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryMs);
        }

        /** Closes the failed writer; a second failure while closing is added to the first, not swallowed. */
        private void closeAfter(IOException first) {
            if (writer == null) return;
            try {
                writer.close();
            } catch (IOException e) {
                first.addSuppressed(e);
            }
        }

        private void closeFile() {
            if (writer == null) return;
            try {
                writer.close();
            } catch (IOException e) {
                System.err.println("pirt: closing " + file + ": " + e.getMessage());
            }
            writer = null;
        }
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) { n += 4; i++; }
            else n += 3;
        }
        return n;
    }
}
