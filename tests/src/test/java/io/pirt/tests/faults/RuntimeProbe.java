package io.pirt.tests.faults;

import io.pirt.tools.board.SerialLink;
import io.pirt.tools.client.BoardClient;
import io.pirt.virtualboard.VirtualBoard;
import io.pirt.wire.Response;
import io.pirt.wire.message.BoardInfo;
import io.pirt.wire.message.Messages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test support: looks at a virtual board's runtime from outside — its ring file, its threads
 * (a {@code jcmd Thread.print} of the process), and its console through the tool's client —
 * each with a bound, so a board that hangs fails the test instead of hanging it.
 */
public final class RuntimeProbe {
    /** Frames of a thread that waits for the console port to take bytes. */
    public static final List<String> CONSOLE_WRITE_FRAMES = List.of("com.fazecast.jSerialComm.SerialPort.writeBytes",
            "io.pirt.wire.Link.writeText", "io.pirt.runtime.console.SerialConsole.print",
            "io.pirt.runtime.endpoint.ProtocolEndpoint.consoleOut");

    private RuntimeProbe() {
    }

    /** One thread dump of a process, split into its threads. */
    public record ThreadDump(String text) {
        /** Names of the threads with any of {@code frames} in their stack. */
        public Set<String> threadsIn(List<String> frames) {
            Set<String> names = new LinkedHashSet<>();
            for (String block : text.split("\n\\s*\n")) {
                Matcher m = Pattern.compile("^\"([^\"]+)\"", Pattern.MULTILINE).matcher(block);
                if (!m.find()) continue;
                if (frames.stream().anyMatch(block::contains)) names.add(m.group(1));
            }
            return names;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** A thread dump of process {@code pid}, by the {@code jcmd} of the JDK this test runs on. */
    public static ThreadDump threadDump(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(jcmd + " " + pid + " Thread.print did not end within 30 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IOException(jcmd + " " + pid + " Thread.print failed (" + p.exitValue() + "):\n" + text);
        return new ThreadDump(text);
    }

    /** Takes thread dumps until one satisfies {@code done}, at most {@code timeoutMs}; fails naming {@code what}. */
    public static ThreadDump awaitThreadDump(long pid, long timeoutMs, Predicate<ThreadDump> done, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        ThreadDump last;
        do {
            last = threadDump(pid); // each dump takes a few hundred ms: the pace of this loop
            if (done.test(last)) return last;
        } while (System.nanoTime() - deadline < 0);
        throw new AssertionError("not within " + timeoutMs + " ms: " + what + "; last thread dump:\n" + last);
    }

    /** The ring file's size, both its files. */
    public static long logBytes(Path state) throws IOException {
        long n = 0;
        for (Path f : logFiles(state)) n += Files.size(f);
        return n;
    }

    /** The ring file's text, oldest first (bytes that are not UTF-8 read as U+FFFD). */
    public static String logText(Path state) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Path f : logFiles(state)) {
            try {
                b.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
            } catch (java.nio.file.NoSuchFileException e) {
                // rotated away between the listing and the read: its lines are in the other file
            }
        }
        return b.toString();
    }

    private static List<Path> logFiles(Path state) {
        List<Path> files = new ArrayList<>();
        for (String name : new String[] {"console.log.1", "console.log"}) {
            Path f = state.resolve("log").resolve(name);
            if (Files.exists(f)) files.add(f);
        }
        return files;
    }

    /**
     * Waits until the ring file holds a match of {@code regex} (DOTALL), watching its directory,
     * at most {@code timeoutMs}; returns the match.
     */
    public static String awaitLog(Path state, long timeoutMs, String regex) throws IOException, InterruptedException {
        Pattern p = Pattern.compile(regex, Pattern.DOTALL);
        Path dir = state.resolve("log");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try (WatchService watch = dir.getFileSystem().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            while (true) {
                Matcher m = p.matcher(logText(state));
                if (m.find()) return m.group();
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0) {
                    String text = logText(state);
                    throw new AssertionError("no '" + regex + "' in the ring file within " + timeoutMs + " ms; its end:\n"
                            + text.substring(Math.max(0, text.length() - 4000)));
                }
                WatchKey key = watch.poll(Math.min(leftMs, 1_000), TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
    }

    /**
     * {@code info} through the tool's client on a session of its own: HELLO and answer within
     * {@code timeoutMs} in all.
     *
     * @throws IOException if the board does not answer in time, or answers other than OK
     */
    public static BoardInfo info(VirtualBoard board, long timeoutMs) throws IOException, InterruptedException {
        return Messages.decode(request(board, "info", "", timeoutMs).body(), BoardInfo.class);
    }

    /** The answer to {@code command} as the shell shows it, on a session of its own within {@code timeoutMs}. */
    public static String text(VirtualBoard board, String command, String argument, long timeoutMs)
            throws IOException, InterruptedException {
        Response r = request(board, command, argument, timeoutMs);
        return io.pirt.wire.message.AnswerText.of(Messages.decode(r.body(),
                io.pirt.wire.message.Command.of(command).orElseThrow().answerType(argument)));
    }

    /** One request on a session of its own, HELLO included within {@code timeoutMs}; an answer other than OK throws. */
    public static Response request(VirtualBoard board, String command, String argument, long timeoutMs)
            throws IOException, InterruptedException {
        SerialLink port;
        try {
            port = SerialLink.open(board.port().toString(), 115_200);
        } catch (io.pirt.tools.ToolException e) {
            throw new IOException(e.getMessage(), e);
        }
        long half = Math.max(500, timeoutMs / 2);
        try (port; BoardClient client = BoardClient.connect(port.in(), port.out(),
                BoardClient.Options.defaults().withTimeouts(3000, half, timeoutMs - half, 1000), (source, line) -> { })) {
            Response r = client.request(command, argument);
            if (r.status() != Response.Status.OK) throw new IOException(command + " answered " + r);
            return r;
        }
    }
}
