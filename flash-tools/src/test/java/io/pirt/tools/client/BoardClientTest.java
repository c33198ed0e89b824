package io.pirt.tools.client;

import io.pirt.runtime.endpoint.ConsoleInput;
import io.pirt.runtime.endpoint.ProtocolEndpoint;
import io.pirt.wire.Frame;
import io.pirt.wire.FrameDecoder;
import io.pirt.wire.FrameType;
import io.pirt.wire.ConsoleSource;
import io.pirt.wire.Hello;
import io.pirt.wire.Link;
import io.pirt.wire.MemoryCable;
import io.pirt.wire.MemoryCable.Faults;
import io.pirt.wire.ProtocolException;
import io.pirt.wire.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host library against the board's endpoint, over an in-memory cable. */
@Isolated("it finds its board's link threads among all of the JVM's by name")
class BoardClientTest {
    private static final Link.Config FAST = new Link.Config(16, 100, 10, 500, 60);
    private static final int KIB = 1024;

    @TempDir
    Path incoming;
    @TempDir
    Path work;

    private MemoryCable cable;
    private ProtocolEndpoint board;
    private BoardClient client;
    private final Shell shell = new Shell();
    private final Lines lines = new Lines();
    /** What the board's store received: name -> content. */
    private final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger storeCalls = new java.util.concurrent.atomic.AtomicInteger();

    @AfterEach
    void closeAll() throws Exception {
        if (client != null) client.close();
        if (board != null) board.close();
        if (cable != null) cable.close();
    }

    private void startBoard(MemoryCable c, int idleTimeoutMs, long maxTransferBytes) {
        cable = c;
        board = ProtocolEndpoint.builder(c.boardIn(), c.boardOut())
                .identity("rpi-test", "0.1.0-test")
                .shell(shell)
                .requests((session, command, argument) -> switch (command) {
                    case "info" -> Response.ok("board rpi-test, " + argument);
                    case "logs" -> Response.ok("x".repeat(5000));
                    case "crash" -> throw new IllegalStateException("the supervisor is gone");
                    default -> new Response(Response.Status.UNKNOWN_COMMAND, "no command '" + command + "'");
                })
                .transfers(incoming, (name, file, sha) -> {
                    storeCalls.incrementAndGet();
                    stored.put(name, Files.readAllBytes(file));
                })
                .maxTransferBytes(maxTransferBytes)
                .idleTimeoutMs(idleTimeoutMs)
                .link(FAST)
                .build();
        board.start();
    }

    private BoardClient connect(BoardClient.Options options) throws Exception {
        client = BoardClient.connect(cable.hostIn(), cable.hostOut(), options, lines);
        return client;
    }

    private static BoardClient.Options options() {
        return BoardClient.Options.defaults().withLink(FAST);
    }

    /**
     * A board of the previous protocol version (1: answers as text) answers HELLO with 1..1; the
     * tool says so in one line naming both versions, instead of misreading its answers.
     */
    @Test
    void aBoardOfThePreviousProtocolVersionIsNamedInOneLine() throws Exception {
        cable = MemoryCable.clean();
        java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
        Thread oldBoard = new Thread(() -> {
            FrameDecoder decoder = new FrameDecoder(new FrameDecoder.Listener() {
                @Override
                public void onFrame(Frame frame) {
                    if (frame.type() != FrameType.HELLO || answered.get()) return;
                    try {
                        Hello tool = Hello.readFrom(frame.payload());
                        java.nio.ByteBuffer p = java.nio.ByteBuffer.allocate(Frame.MAX_PAYLOAD_BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                        new Hello(1, 1, tool.nonce(), Hello.CONSOLE | Hello.REQUESTS, 1024, 16, 3000, "rpi-4b", "0.0.9").writeTo(p);
                        p.flip();
                        byte[] payload = new byte[p.remaining()];
                        p.get(payload);
                        answered.set(true); // before the answer leaves: the tool may fail on it before this thread runs again
                        cable.boardOut().write(io.pirt.wire.Frames.encode(FrameType.HELLO, Frame.FLAG_REPLY, 0, 0, payload));
                        cable.boardOut().flush();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }

                @Override
                public void onText(byte[] bytes, int offset, int length) {
                }

                @Override
                public void onRefused(FrameDecoder.Refusal reason) {
                }
            });
            byte[] buf = new byte[1024];
            try {
                for (int n; (n = cable.boardIn().read(buf)) > 0; ) decoder.feed(buf, 0, n, System.nanoTime());
            } catch (IOException e) {
                // the cable closed: the test is over
            }
        }, "old-board");
        oldBoard.setDaemon(true);
        oldBoard.start();
        ProtocolException e = assertThrows(ProtocolException.class, () -> BoardClient.connect(cable.hostIn(), cable.hostOut(),
                BoardClient.Options.defaults().withTimeouts(3000, 2000, 2000, 1000), (source, line) -> { }));
        assertTrue(answered.get(), "the old board answered HELLO");
        assertTrue(e.getMessage().contains("speaks protocol versions 1..1, this tool " + Hello.PROTOCOL_VERSION + ".."
                + Hello.PROTOCOL_VERSION), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void helloNamesTheBoardAndRequestsGetTheirResponses() throws Exception {
        startBoard(MemoryCable.clean(), 3000, 1 << 20);
        connect(options());
        Hello hello = client.board();
        assertEquals("rpi-test", hello.name());
        assertEquals("0.1.0-test", hello.software());

        assertEquals(Response.ok("board rpi-test, verbose"), client.request("info", "verbose"));
        assertTrue(board.toolAttached());
        assertEquals(Response.Status.UNKNOWN_COMMAND, client.request("frobnicate", "").status());
        Response crash = client.request("crash", "");
        assertEquals(Response.Status.FAILED, crash.status());
        assertTrue(crash.body().contains("the supervisor is gone"), crash.body());
        assertEquals("x".repeat(5000), client.request("logs", "").body(), "a body over several frames");
    }

    @Test
    void consoleLinesArriveInOrderWithTheirSourceOverAFaultyLine() throws Exception {
        startBoard(new MemoryCable(new Faults(4e-4, 3e-4, 3e-4), new Faults(4e-4, 3e-4, 3e-4), 9), 3000, 1 << 20);
        connect(options());
        int count = 300;
        for (int i = 0; i < count; i++) {
            ConsoleSource source = i % 3 == 0 ? ConsoleSource.RUNTIME_LOG : ConsoleSource.APP_STDOUT;
            byte[] line = ("line " + i + " " + "-".repeat(i % 80) + "\n").getBytes(StandardCharsets.US_ASCII);
            assertTrue(board.consoleOut(source, line, 0, line.length, 5000));
        }
        lines.await(() -> lines.of(ConsoleSource.APP_STDOUT).size() + lines.of(ConsoleSource.RUNTIME_LOG).size() == count);
        List<String> expectedOut = new ArrayList<>();
        List<String> expectedLog = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            (i % 3 == 0 ? expectedLog : expectedOut).add("line " + i + " " + "-".repeat(i % 80));
        }
        assertEquals(expectedOut, lines.of(ConsoleSource.APP_STDOUT));
        assertEquals(expectedLog, lines.of(ConsoleSource.RUNTIME_LOG));
        assertTrue(cable.faultsInjected() > 0);
    }

    @Test
    void eventsArriveWholeAndInOrderEvenWhenLongerThanAFrameOverAFaultyLine() throws Exception {
        startBoard(new MemoryCable(new Faults(4e-4, 3e-4, 3e-4), new Faults(4e-4, 3e-4, 3e-4), 11), 3000, 1 << 20);
        connect(options());
        client.request("info", ""); // a round trip: the board's side of the session is open (its HELLO reply goes out first)
        List<String> received = new ArrayList<>();
        client.onEvents(body -> {
            synchronized (received) {
                received.add(body);
                received.notifyAll();
            }
        });
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String body = "{\"event\":\"e" + i + "\",\"text\":\"" + "é".repeat(i * 97) + "\"}"; // up to ~7.5 KiB: several frames
            sent.add(body);
            // room in the window comes as acknowledgements do: over this faulty line, under load, seconds
            assertTrue(board.event(body.getBytes(StandardCharsets.UTF_8), 30_000), "event " + i + " queued");
        }
        awaitOn(received, () -> received.size() == sent.size(), "all 40 events");
        synchronized (received) {
            assertEquals(sent, received);
        }
        assertTrue(cable.faultsInjected() > 0);
    }

    @Test
    void noEventGoesToAToolThatDidNotAskForThemNorToNoTool() throws Exception {
        startBoard(MemoryCable.clean(), 3000, 1 << 20);
        assertFalse(board.event("{}".getBytes(StandardCharsets.UTF_8), 100), "no tool attached");
        assertThrows(IllegalArgumentException.class, () -> board.event(new byte[Frame.MAX_EVENT_BYTES + 1], 100));
    }

    @Test
    void typedInputReachesTheBoardsShell() throws Exception {
        startBoard(MemoryCable.clean(), 3000, 1 << 20);
        connect(options());
        byte[] typed = "ps\r".getBytes(StandardCharsets.US_ASCII);
        client.type(typed, 0, typed.length);
        shell.await("ps\r");
    }

    @Test
    void afterByeThePortIsAPlainTextConsoleAgain() throws Exception {
        startBoard(MemoryCable.clean(), 3000, 1 << 20);
        connect(options());
        client.close();
        client = null;
        assertFalse(board.toolAttached());

        // A person opens the port with picocom.
        try (Picocom person = new Picocom(cable)) {
            person.type("ls\r");
            shell.await("ls\r");
            byte[] out = "plain again\r\n".getBytes(StandardCharsets.US_ASCII);
            assertTrue(board.consoleOut(ConsoleSource.APP_STDOUT, out, 0, out.length, 1000));
            person.await("plain again\r\n");
        }
    }

    @Test
    void aTransferOf256KiBArrivesVerifiedAndTheBoardsLinkAllocatesNothingMeanwhile() throws Exception {
        startBoard(MemoryCable.clean(), 3000, 1 << 20);
        connect(options());
        byte[] data = random(256 * KIB, 1);
        Path file = write("app.jar", data);

        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] boardThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("pirt-link-board-")).mapToLong(Thread::threadId).toArray();
        assertEquals(2, boardThreads.length);
        long[][] samples = new long[2][];
        List<TransferProgress> progress = new ArrayList<>();
        TransferReport report = client.transfer(file, "app.jar", p -> {
            progress.add(p);
            if (samples[0] == null && p.doneBytes() >= data.length / 4) samples[0] = mx.getThreadAllocatedBytes(boardThreads);
            if (samples[1] == null && p.doneBytes() >= data.length * 3 / 4) samples[1] = mx.getThreadAllocatedBytes(boardThreads);
        });

        assertEquals(hex(sha256(data)), report.sha256Hex());
        assertArrayEquals(data, stored.get("app.jar"), "the store got exactly the file");
        assertFalse(report.compressed(), "random data does not compress");
        assertEquals(data.length, report.dataBytesSent());
        assertEquals(1, report.sessions());
        TransferProgress last = progress.get(progress.size() - 1);
        assertEquals(data.length, last.doneBytes());
        assertEquals(data.length, last.totalBytes());
        assertTrue(samples[0] != null && samples[1] != null, "progress reported through the transfer: " + progress.size());
        long allocated = 0;
        for (int i = 0; i < boardThreads.length; i++) allocated += samples[1][i] - samples[0][i];
        System.out.printf("256 KiB in %d ms; the board's link threads allocated %d bytes over the middle half%n",
                report.elapsedMillis(), allocated);
        assertTrue(allocated < 8 * KIB, "board link threads allocated " + allocated + " bytes for 128 KiB of data");
    }

    @Test
    void aTransferOverALineWithByteFaultsArrivesVerified() throws Exception {
        Faults oneInAThousand = new Faults(4e-4, 3e-4, 3e-4);
        startBoard(new MemoryCable(oneInAThousand, oneInAThousand, 5), 3000, 1 << 20);
        connect(options());
        byte[] data = random(256 * KIB, 2);
        TransferReport report = client.transfer(write("faulty.jar", data), "faulty.jar", null);
        assertEquals(hex(sha256(data)), report.sha256Hex());
        assertArrayEquals(data, stored.get("faulty.jar"));
        Link.Stats stats = client.linkStats();
        System.out.printf("faulty line (1e-3 per byte): %d faults, %d ms, client link %s%n",
                cable.faultsInjected(), report.elapsedMillis(), stats);
        assertTrue(cable.faultsInjected() > 150, "faults injected: " + cable.faultsInjected()); // about 262 expected host to board alone
        assertTrue(stats.retransmissions() > 0);
    }

    @Test
    void aCompressibleFileTravelsDeflatedAndArrivesAsItWas() throws Exception {
        startBoard(MemoryCable.clean(), 3000, 1 << 20);
        connect(options());
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 200 * KIB; i++) text.append("class Example").append(i % 50).append(" { int x; }\n");
        byte[] data = text.toString().getBytes(StandardCharsets.US_ASCII);
        TransferReport report = client.transfer(write("lib.jar", data), "lib.jar", null);
        assertTrue(report.compressed());
        assertTrue(report.wireBytes() < data.length / 4, report.wireBytes() + " wire bytes for " + data.length);
        assertArrayEquals(data, stored.get("lib.jar"));
    }

    @Test
    void aTransferCutMidwayResumesFromWhatTheBoardHasAfterANewHello() throws Exception {
        MemoryCable c = MemoryCable.clean();
        startBoard(c, 400, 1 << 20);
        c.cutAt(128 * KIB, 1200); // both directions dead for 1.2 s once 128 KiB went to the board
        connect(options().withTimeouts(400, 3000, 5000, 10_000));
        byte[] data = random(256 * KIB, 3);
        TransferReport report = client.transfer(write("cut.jar", data), "cut.jar", null);

        assertTrue(c.awaitCut(0), "the line was cut");
        assertArrayEquals(data, stored.get("cut.jar"));
        assertEquals(2, report.sessions(), "one hello after the cut");
        assertTrue(report.resumedFromBytes() >= 100 * KIB, "resumed from " + report.resumedFromBytes());
        long resent = report.dataBytesSent() - data.length;
        assertTrue(resent >= 0 && resent <= 32 * KIB, "sent " + report.dataBytesSent() + " bytes for " + data.length
                + ": no more than the frames in flight at the cut were sent twice");
        System.out.printf("cut at 128 KiB: resumed from %d, %d bytes sent in total for %d, %d ms%n",
                report.resumedFromBytes(), report.dataBytesSent(), data.length, report.elapsedMillis());
    }

    @Test
    void theSameFileSentTwiceIsStoredTwice() throws Exception {
        startBoard(MemoryCable.clean(), 3000, 1 << 20);
        connect(options());
        Path file = write("again.jar", random(10_000, 6));
        TransferReport first = client.transfer(file, "again.jar", null);
        TransferReport second = client.transfer(file, "again.jar", null);
        assertEquals(first.sha256Hex(), second.sha256Hex());
        assertEquals(2, storeCalls.get(), "a verified result is not replayed once the tool acknowledged it");
        assertEquals(10_000, second.dataBytesSent());
    }

    @Test
    void aFileTooLargeForTheBoardIsRefusedWithTheLimitInTheMessage() throws Exception {
        startBoard(MemoryCable.clean(), 3000, 1000);
        connect(options());
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> client.transfer(write("big.jar", random(5000, 4)), "big.jar", null));
        assertTrue(e.getMessage().contains("at most 1000 bytes"), e.getMessage());
        assertTrue(stored.isEmpty());
    }

    @Test
    void withoutARuntimeOnThePortHelloFailsAndSaysWhatThePortPrinted() throws Exception {
        cable = MemoryCable.clean();
        InputStream boardIn = cable.boardIn();
        OutputStream boardOut = cable.boardOut();
        Thread getty = new Thread(() -> { // a login prompt answers whatever arrives
            byte[] buffer = new byte[256];
            try {
                while (boardIn.read(buffer) > 0) boardOut.write("\r\nraspberrypi login: ".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // the test closed the cable
            }
        }, "test-getty");
        getty.start();
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> connect(options().withTimeouts(3000, 600, 1000, 1000)));
        assertTrue(e.getMessage().contains("no answer to HELLO within 600 ms"), e.getMessage());
        assertTrue(e.getMessage().contains("raspberrypi login:"), e.getMessage());
        cable.close();
        getty.join(2000);
    }

    // ------------------------------------------------------------------ helpers

    private Path write(String name, byte[] data) throws IOException {
        return Files.write(work.resolve(name), data);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static void awaitOn(Object monitor, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (monitor) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("timed out waiting for " + what);
                monitor.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** The board's shell. */
    private static final class Shell implements ConsoleInput {
        private final StringBuilder typed = new StringBuilder();

        @Override
        public synchronized void accept(byte[] bytes, int offset, int length) {
            typed.append(new String(bytes, offset, length, StandardCharsets.US_ASCII));
            notifyAll();
        }

        void await(String expected) throws InterruptedException {
            awaitOn(this, () -> typed.toString().equals(expected), "the shell to read \"" + expected + "\", it has \"" + typed + "\"");
        }
    }

    /** Console lines the client received, per source. */
    private static final class Lines implements ConsoleListener {
        private final Map<ConsoleSource, List<String>> bySource = new ConcurrentHashMap<>();

        @Override
        public synchronized void onLine(ConsoleSource source, String line) {
            bySource.computeIfAbsent(source, s -> new ArrayList<>()).add(line);
            notifyAll();
        }

        synchronized List<String> of(ConsoleSource source) {
            return List.copyOf(bySource.getOrDefault(source, List.of()));
        }

        void await(BooleanSupplier condition) throws InterruptedException {
            try {
                awaitOn(this, condition, "console lines");
            } catch (AssertionError e) {
                synchronized (this) { // lines may still arrive: print them under the lock they are added under
                    throw new AssertionError(e.getMessage() + "; have " + bySource, e);
                }
            }
        }
    }

    /** A person at a terminal on the host end: raw bytes, no protocol. */
    private static final class Picocom implements AutoCloseable {
        private final InputStream in;
        private final OutputStream out;
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        private final Thread reader;
        private final CountDownLatch done = new CountDownLatch(1);

        Picocom(MemoryCable cable) {
            in = cable.hostIn();
            out = cable.hostOut();
            reader = new Thread(() -> {
                byte[] buffer = new byte[256];
                try {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        synchronized (this) {
                            seen.write(buffer, 0, n);
                            notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // closed by the test
                } finally {
                    done.countDown();
                }
            }, "test-picocom");
            reader.start();
        }

        void type(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.US_ASCII));
        }

        void await(String text) throws InterruptedException {
            awaitOn(this, () -> seen.toString(StandardCharsets.US_ASCII).equals(text),
                    "picocom to show \"" + text + "\"");
        }

        @Override
        public void close() throws IOException {
            in.close();
            try {
                assertTrue(done.await(2, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
