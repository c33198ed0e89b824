package io.pirt.runtime.endpoint;

import io.pirt.wire.*;

import io.pirt.wire.Frames.Seen;
import io.pirt.wire.TransferMessages.Begin;
import io.pirt.wire.TransferMessages.Result;
import io.pirt.wire.TransferMessages.Resume;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The board's end, driven by a hand-made tool built from the same link and frames. */
class ProtocolEndpointTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path incoming;

    private final MemoryCable cable = MemoryCable.clean();
    private final Typed shell = new Typed();
    private final AtomicInteger handedOn = new AtomicInteger();
    private ProtocolEndpoint board;

    @AfterEach
    void closeAll() {
        if (board != null) board.close();
        cable.close();
    }

    private ProtocolEndpoint startBoard(int idleTimeoutMs) {
        board = ProtocolEndpoint.builder(cable.boardIn(), cable.boardOut())
                .identity("test-board", "9.9")
                .shell(shell)
                .requests((session, command, argument) -> Response.ok(command + ":" + argument))
                .transfers(incoming, (name, file, sha) -> handedOn.incrementAndGet())
                .idleTimeoutMs(idleTimeoutMs)
                .link(LinkTest.FAST)
                .build();
        board.start();
        return board;
    }

    /**
     * The board queues its HELLO reply before it opens the session (protocol §5.1): the session
     * opens a moment after the reply is out. Bounded; there is no event to wait on.
     */
    private void awaitAttached() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (!board.toolAttached()) {
            assertTrue(System.nanoTime() - deadline < 0, "the session did not open within 5 s of the HELLO reply");
            Thread.onSpinWait();
        }
    }

    @Test
    void withoutAToolTypedTextReachesTheShellAndOutputIsPlainText() throws Exception {
        startBoard(3000);
        try (Tool tool = new Tool(cable)) {
            tool.link.writeText(ascii("help\r"), 0, 5);
            shell.await(s -> s.equals("help\r"));
            print("hello\r\n");
            tool.awaitText(s -> s.equals("hello\r\n"));
            assertFalse(board.toolAttached());
        }
    }

    @Test
    void theShellIsToldWhenAToolAttaches() throws Exception {
        startBoard(3000);
        try (Tool tool = new Tool(cable)) {
            tool.link.writeText(ascii("t0.1.0_"), 0, 7); // no Enter: the tail of a frame whose start was lost
            shell.await(s -> s.equals("t0.1.0_"));
            tool.hello(5);
            awaitAttached();
            shell.awaitAttached(1);
        }
    }

    @Test
    void helloAttachesAToolAndConsoleOutputThenTravelsInFrames() throws Exception {
        startBoard(3000);
        try (Tool tool = new Tool(cable)) {
            Hello hello = tool.hello(77);
            assertEquals("test-board", hello.name());
            assertEquals("9.9", hello.software());
            assertEquals(77, hello.nonce());
            assertEquals(Hello.CONSOLE | Hello.REQUESTS | Hello.TRANSFER | Hello.DEFLATE | Hello.EVENTS, hello.capabilities());
            awaitAttached();

            assertTrue(board.consoleOut(ConsoleSource.APP_STDERR, ascii("oops\n"), 0, 5, 1000));
            Seen out = tool.awaitFrame(FrameType.CONSOLE_OUT);
            assertEquals(ConsoleSource.APP_STDERR.code(), out.payload()[0]);
            assertEquals("oops\n", new String(out.payload(), 1, out.payload().length - 1, StandardCharsets.US_ASCII));

            tool.send(FrameType.CONSOLE_IN, ascii("ls\r"));
            shell.await(s -> s.equals("ls\r"));
            tool.send(FrameType.REQUEST, request(3, "echo", "x"));
            Seen response = tool.awaitFrame(FrameType.RESPONSE);
            assertEquals("echo:x", new String(response.payload(), 3, response.payload().length - 3, StandardCharsets.UTF_8));
            assertEquals(0, tool.text().length(), "nothing unframed while attached");
        }
    }

    @Test
    void aFrameOutsideASessionIsAnsweredWithNoSession() throws Exception {
        startBoard(3000);
        try (Tool tool = new Tool(cable)) {
            long s = tool.link.openSession(16, 1024, 5000, 1000); // the tool believes in a session the board never had
            tool.link.send(s, FrameType.REQUEST, 0, ByteBuffer.wrap(request(1, "info", "")), SECOND);
            Seen bye = tool.awaitControl(FrameType.BYE);
            assertTrue((bye.flags() & Frame.FLAG_NO_SESSION) != 0);
        }
    }

    @Test
    void aFileWhoseSha256DoesNotMatchIsRefusedAndNeverHandedOn() throws Exception {
        startBoard(3000);
        byte[] data = new byte[10_000];
        new Random(3).nextBytes(data);
        byte[] wrong = sha256("something else".getBytes(StandardCharsets.US_ASCII));
        try (Tool tool = new Tool(cable)) {
            tool.hello(1);
            ByteBuffer begin = payload();
            new Begin(TransferMessages.COMPRESSION_NONE, data.length, data.length, wrong, wrong, "app.jar").writeTo(begin);
            tool.send(FrameType.TRANSFER_BEGIN, begin.flip());
            Resume resume = Resume.readFrom(ByteBuffer.wrap(tool.awaitFrame(FrameType.TRANSFER_RESUME).payload())
                    .order(ByteOrder.LITTLE_ENDIAN));
            assertEquals(0, resume.haveBytes());
            for (int at = 0; at < data.length; at += 1000) {
                ByteBuffer d = payload();
                TransferMessages.writeDataHeader(d, at);
                d.put(data, at, Math.min(1000, data.length - at));
                tool.send(FrameType.TRANSFER_DATA, d.flip());
            }
            ByteBuffer end = payload();
            TransferMessages.writeEnd(end, wrong);
            tool.send(FrameType.TRANSFER_END, end.flip());
            Result result = Result.readFrom(ByteBuffer.wrap(tool.awaitFrame(FrameType.TRANSFER_RESULT).payload())
                    .order(ByteOrder.LITTLE_ENDIAN));

            assertEquals(TransferMessages.Status.MISMATCH, result.status(), result.message());
            assertArrayEquals(sha256(data), result.actualFileSha256(), "the board says what it computed");
            assertTrue(result.message().contains("nothing was stored"), result.message());
            assertEquals(0, handedOn.get(), "the sink never saw the file");
            try (Stream<Path> left = Files.list(incoming)) {
                assertEquals(List.of(), left.toList(), "no partial or verified copy is left behind");
            }
        }
    }

    /**
     * Two ports of one board (the console device and a wire-socket connection) share the
     * incoming directory: a second transfer while one is receiving is refused, naming the
     * first, instead of deleting its partial copy; the same transfer over the other port (a
     * resume after a cut connection) goes on from what the board has.
     */
    @Test
    void aSecondTransferFromAnotherPortWaitsItsTurnAndTheSameOneResumesThere() throws Exception {
        TransferSlot slot = new TransferSlot();
        MemoryCable otherCable = MemoryCable.clean();
        ProtocolEndpoint other = null;
        try {
            board = ProtocolEndpoint.builder(cable.boardIn(), cable.boardOut()).identity("test-board", "9.9").shell(shell)
                    .transfers(incoming, (name, file, sha) -> handedOn.incrementAndGet()).transferSlot(slot).link(LinkTest.FAST).build();
            board.start();
            other = ProtocolEndpoint.builder(otherCable.boardIn(), otherCable.boardOut()).identity("test-board", "9.9").shell(new Typed())
                    .transfers(incoming, (name, file, sha) -> handedOn.incrementAndGet()).transferSlot(slot).link(LinkTest.FAST).build();
            other.start();
            byte[] data = new byte[3000];
            new Random(5).nextBytes(data);
            byte[] sha = sha256(data);
            byte[] otherSha = sha256("another file".getBytes(StandardCharsets.US_ASCII));
            try (Tool first = new Tool(cable); Tool second = new Tool(otherCable)) {
                first.hello(1);
                ByteBuffer begin = payload();
                new Begin(TransferMessages.COMPRESSION_NONE, data.length, data.length, sha, sha, "app.pirt").writeTo(begin);
                first.send(FrameType.TRANSFER_BEGIN, begin.flip());
                first.awaitFrame(FrameType.TRANSFER_RESUME);
                ByteBuffer d = payload();
                TransferMessages.writeDataHeader(d, 0);
                d.put(data, 0, 1000);
                first.send(FrameType.TRANSFER_DATA, d.flip());

                second.hello(1);
                ByteBuffer begin2 = payload();
                new Begin(TransferMessages.COMPRESSION_NONE, 12, 12, otherSha, otherSha, "other.pirt").writeTo(begin2);
                second.send(FrameType.TRANSFER_BEGIN, begin2.flip());
                Result refused = Result.readFrom(ByteBuffer.wrap(second.awaitFrame(FrameType.TRANSFER_RESULT).payload())
                        .order(ByteOrder.LITTLE_ENDIAN));
                assertEquals(TransferMessages.Status.REFUSED, refused.status(), refused.message());
                assertEquals("the board is receiving app.pirt over another connection; send other.pirt again when that transfer has ended",
                        refused.message());

                ByteBuffer again = payload();
                new Begin(TransferMessages.COMPRESSION_NONE, data.length, data.length, sha, sha, "app.pirt").writeTo(again);
                second.send(FrameType.TRANSFER_BEGIN, again.flip());
                Resume resume = Resume.readFrom(ByteBuffer.wrap(second.awaitFrame(FrameType.TRANSFER_RESUME).payload())
                        .order(ByteOrder.LITTLE_ENDIAN));
                assertEquals(1000, resume.haveBytes(), "the same transfer goes on over the other port from what the board kept");
            }
        } finally {
            if (other != null) other.close();
            otherCable.close();
        }
    }

    @Test
    void aTransferDeclaringMoreThanTheLargestBundleIsRefusedBeforeAnythingIsWritten() throws Exception {
        startBoard(3000);
        byte[] sha = sha256("a zip bomb".getBytes(StandardCharsets.US_ASCII));
        try (Tool tool = new Tool(cable)) {
            tool.hello(1);
            ByteBuffer begin = payload();
            // 250 KB of deflated zeros that would inflate to 256 MiB: four times the largest bundle.
            new Begin(TransferMessages.COMPRESSION_DEFLATE, 256L << 20, 250_000, sha, sha, "app.pirt").writeTo(begin);
            tool.send(FrameType.TRANSFER_BEGIN, begin.flip());
            Result result = Result.readFrom(ByteBuffer.wrap(tool.awaitFrame(FrameType.TRANSFER_RESULT).payload())
                    .order(ByteOrder.LITTLE_ENDIAN));

            assertEquals(TransferMessages.Status.REFUSED, result.status(), result.message());
            assertTrue(result.message().contains("at most " + io.pirt.bundle.BundleVerifier.MAX_BUNDLE_BYTES + " bytes"), result.message());
            try (Stream<Path> left = Files.exists(incoming) ? Files.list(incoming) : Stream.empty()) {
                assertEquals(List.of(), left.toList(), "nothing was written");
            }
        }
    }

    @Test
    void aDeflateStreamThatInflatesPastItsDeclaredSizeStopsThereAndIsRefused() throws Exception {
        startBoard(3000);
        byte[] zeros = new byte[1 << 20];
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION, true);
        deflater.setInput(zeros);
        deflater.finish();
        byte[] wire = new byte[64 << 10];
        int wireBytes = deflater.deflate(wire);
        assertTrue(deflater.finished(), "1 MiB of zeros deflates to less than 64 KiB");
        deflater.end();
        long declared = 4096;
        byte[] fileSha = sha256(new byte[(int) declared]);
        byte[] wireSha = sha256(java.util.Arrays.copyOf(wire, wireBytes));
        try (Tool tool = new Tool(cable)) {
            tool.hello(1);
            ByteBuffer begin = payload();
            new Begin(TransferMessages.COMPRESSION_DEFLATE, declared, wireBytes, fileSha, wireSha, "app.pirt").writeTo(begin);
            tool.send(FrameType.TRANSFER_BEGIN, begin.flip());
            tool.awaitFrame(FrameType.TRANSFER_RESUME);
            for (int at = 0; at < wireBytes; at += 1000) {
                ByteBuffer d = payload();
                TransferMessages.writeDataHeader(d, at);
                d.put(wire, at, Math.min(1000, wireBytes - at));
                tool.send(FrameType.TRANSFER_DATA, d.flip());
            }
            ByteBuffer end = payload();
            TransferMessages.writeEnd(end, wireSha);
            tool.send(FrameType.TRANSFER_END, end.flip());
            Result result = Result.readFrom(ByteBuffer.wrap(tool.awaitFrame(FrameType.TRANSFER_RESULT).payload())
                    .order(ByteOrder.LITTLE_ENDIAN));

            assertEquals(TransferMessages.Status.MISMATCH, result.status(), result.message());
            assertTrue(result.message().contains("more than the " + declared + " bytes announced"), result.message());
            assertEquals(0, handedOn.get(), "the sink never saw the file");
            try (Stream<Path> left = Files.list(incoming)) {
                assertEquals(List.of(), left.toList(), "no inflated copy is left behind");
            }
        }
    }

    /**
     * A tool that vanishes mid-session: the board goes back to text after its idle timeout,
     * prints as text what the tool never acknowledged, and a person's typing reaches the shell.
     */
    @Test
    void aToolThatGoesSilentLeavesATextConsoleAndLosesNoOutput() throws Exception {
        startBoard(400);
        try (RawPort port = new RawPort(cable)) {
            Hello own = new Hello(Hello.PROTOCOL_VERSION, Hello.PROTOCOL_VERSION, 5, Hello.CONSOLE, 1024, 16, 3000, "raw", "0");
            ByteBuffer p = payload();
            own.writeTo(p);
            p.flip();
            port.write(Frames.encode(FrameType.HELLO, 0, 0, 0, bytes(p)));
            port.await(c -> c.frames.stream().anyMatch(f -> f.type() == FrameType.HELLO));
            awaitAttached();

            print("line one\n"); // framed, and never acknowledged by this port
            port.await(c -> c.frames.stream().anyMatch(f -> f.type() == FrameType.CONSOLE_OUT));
            port.await(c -> c.text.toString(StandardCharsets.US_ASCII).contains("line one\n"));
            assertFalse(board.toolAttached());

            port.write(ascii("ls\r"));
            shell.await(s -> s.equals("ls\r"));
            print("after\n");
            port.await(c -> c.text.toString(StandardCharsets.US_ASCII).endsWith("line one\nafter\n"));
        }
    }

    @Test
    void aRequestThatWaitsLongStarvesNoOtherRequest() throws Exception {
        CountDownLatch verdict = new CountDownLatch(1);
        board = ProtocolEndpoint.builder(cable.boardIn(), cable.boardOut())
                .identity("test-board", "9.9")
                .shell(shell)
                .requests((session, command, argument) -> {
                    if (command.equals("install-wait")) {
                        try {
                            // as a board waits on install-wait SHA 9223372036854775807; bounded so a bug fails fast
                            assertTrue(verdict.await(30, TimeUnit.SECONDS), "the test never gave the verdict");
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return Response.failed("interrupted");
                        }
                        return Response.ok("committed " + argument);
                    }
                    return Response.ok(command + ":" + argument);
                })
                .waitingRequests(Set.of("install-wait"), 2)
                .idleTimeoutMs(3000)
                .link(LinkTest.FAST)
                .build();
        board.start();
        try (Tool tool = new Tool(cable)) {
            tool.hello(5);
            awaitAttached();
            tool.send(FrameType.REQUEST, request(1, "install-wait", "a"));
            tool.send(FrameType.REQUEST, request(2, "install-wait", "b"));
            // 20 info in two bursts of 10, as tools send them: fewer than the worker queues (16), so each must be answered OK
            for (int burst = 100; burst < 120; burst += 10) {
                for (int id = burst; id < burst + 10; id++) tool.send(FrameType.REQUEST, request(id, "info", ""));
                for (int id = burst; id < burst + 10; id++) {
                    Seen answer = tool.awaitResponse(id); // each within 5 s
                    assertEquals(Response.Status.OK.code(), answer.payload()[2] & 0xFF, "info " + id + ": " + body(answer));
                    assertEquals("info:", body(answer));
                }
            }

            tool.send(FrameType.REQUEST, request(3, "install-wait", "c"));
            Seen refused = tool.awaitResponse(3);
            assertEquals(Response.Status.BUSY.code(), refused.payload()[2] & 0xFF);
            assertTrue(body(refused).contains("NOT_NOW") && body(refused).contains("2 requests that wait (install-wait)"), body(refused));

            verdict.countDown();
            assertEquals("committed a", body(tool.awaitResponse(1)));
            assertEquals("committed b", body(tool.awaitResponse(2)));
        }
    }

    @Test
    void theWaitsOfAToolThatWentAwayEndWithItsSessionSoTheNextToolCanWait() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(2);
        CountDownLatch verdict = new CountDownLatch(1);
        board = ProtocolEndpoint.builder(cable.boardIn(), cable.boardOut())
                .identity("test-board", "9.9")
                .shell(shell)
                .requests((session, command, argument) -> {
                    try {
                        assertTrue(verdict.await(30, TimeUnit.SECONDS), "the test never gave the verdict");
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        return Response.failed("interrupted");
                    }
                    return Response.ok("committed " + argument);
                })
                .waitingRequests(Set.of("install-wait"), 2)
                .idleTimeoutMs(3000)
                .link(LinkTest.FAST)
                .build();
        board.start();
        try (Tool tool = new Tool(cable)) {
            tool.hello(7);
            awaitAttached();
            tool.send(FrameType.REQUEST, request(1, "install-wait", "a"));
            tool.send(FrameType.REQUEST, request(2, "install-wait", "b"));
            tool.send(FrameType.REQUEST, request(3, "install-wait", "c"));
            assertEquals(Response.Status.BUSY.code(), tool.awaitResponse(3).payload()[2] & 0xFF, "two wait, the third is refused");

            tool.hello(8); // another tool: the first one's session ends, and its waits have nowhere to answer
            assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the ended session's waits were interrupted");
            // A waiter thread frees its slot a moment after its handler returned: a tool asks again on BUSY, bounded.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            Seen answer;
            int id = 10;
            do {
                tool.send(FrameType.REQUEST, request(++id, "install-wait", "d"));
                if (id == 11) verdict.countDown();
                answer = tool.awaitResponse(id);
            } while ((answer.payload()[2] & 0xFF) == Response.Status.BUSY.code() && System.nanoTime() < deadline);
            assertEquals("committed d", body(answer));
        }
    }

    @Test
    void aHandlerThatThrowsAnErrorIsAnsweredFailedAndTheWorkerGoesOn() throws Exception {
        board = ProtocolEndpoint.builder(cable.boardIn(), cable.boardOut())
                .identity("test-board", "9.9")
                .shell(shell)
                .requests((session, command, argument) -> {
                    if (command.equals("boom")) throw new StackOverflowError("deep recursion in the handler");
                    return Response.ok(command + ":" + argument);
                })
                .idleTimeoutMs(3000)
                .link(LinkTest.FAST)
                .build();
        board.start();
        try (Tool tool = new Tool(cable)) {
            tool.hello(6);
            awaitAttached();
            tool.send(FrameType.REQUEST, request(1, "boom", ""));
            Seen failed = tool.awaitResponse(1);
            assertEquals(Response.Status.FAILED.code(), failed.payload()[2] & 0xFF);
            assertTrue(body(failed).contains("deep recursion in the handler"), body(failed));
            tool.send(FrameType.REQUEST, request(2, "info", ""));
            assertEquals("info:", body(tool.awaitResponse(2)));
        }
    }

    // ------------------------------------------------------------------ helpers

    private void print(String s) throws Exception {
        assertTrue(board.consoleOut(ConsoleSource.APP_STDOUT, ascii(s), 0, s.length(), 1000));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static ByteBuffer payload() {
        return ByteBuffer.allocate(Frame.MAX_PAYLOAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** A single-frame response's body. */
    private static String body(Seen response) {
        return new String(response.payload(), Response.PART_HEADER_BYTES, response.payload().length - Response.PART_HEADER_BYTES,
                StandardCharsets.UTF_8);
    }

    private static byte[] request(int id, String command, String argument) {
        ByteBuffer b = payload();
        new Request(id, command, argument).writeTo(b);
        return bytes(b.flip());
    }

    static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    /** Waits on a monitor for a condition, with a bound; no sleeping. */
    static void awaitOn(Object monitor, java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5 * SECOND;
        synchronized (monitor) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("timed out waiting for " + what);
                monitor.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** The shell: collects typed bytes, and counts the tools that attached. */
    static final class Typed implements ConsoleInput {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int attached;

        @Override
        public synchronized void toolAttached() {
            attached++;
            notifyAll();
        }

        void awaitAttached(int times) throws InterruptedException {
            awaitOn(this, () -> attached == times, "the shell to be told of " + times + " attached tool(s); it was told of " + attached);
        }

        @Override
        public synchronized void accept(byte[] b, int offset, int length) {
            bytes.write(b, offset, length);
            notifyAll();
        }

        void await(Predicate<String> condition) throws InterruptedException {
            awaitOn(this, () -> condition.test(bytes.toString(StandardCharsets.US_ASCII)),
                    "the shell to see it; it has \"" + bytes.toString(StandardCharsets.US_ASCII) + "\"");
        }
    }

    /** A tool made of a host link: says hello by hand and records what arrives. */
    private static final class Tool implements Link.Listener, AutoCloseable {
        final Link link;
        private final List<Seen> frames = new ArrayList<>();
        private final List<Seen> controls = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();

        Tool(MemoryCable cable) {
            link = new Link("tool", cable.hostIn(), cable.hostOut(), LinkTest.FAST, this);
            link.start();
        }

        Hello hello(int nonce) throws Exception {
            ByteBuffer p = payload();
            new Hello(Hello.PROTOCOL_VERSION, Hello.PROTOCOL_VERSION, nonce, Hello.CONSOLE | Hello.REQUESTS | Hello.TRANSFER, 1024, 16, 3000, "tool", "1").writeTo(p);
            link.sendControl(FrameType.HELLO, 0, p.flip());
            Seen reply = awaitControl(FrameType.HELLO);
            Hello board = Hello.readFrom(ByteBuffer.wrap(reply.payload()).order(ByteOrder.LITTLE_ENDIAN));
            link.openSession(board.window(), board.maxPayloadBytes(), 3000, board.idleTimeoutMs() / 4);
            return board;
        }

        void send(FrameType type, byte[] payload) throws InterruptedException {
            send(type, ByteBuffer.wrap(payload));
        }

        void send(FrameType type, ByteBuffer payload) throws InterruptedException {
            assertEquals(Link.Offer.QUEUED, link.send(link.session(), type, 0, payload, 5 * SECOND));
        }

        Seen awaitFrame(FrameType type) throws InterruptedException {
            return take(frames, type);
        }

        /** The RESPONSE to request {@code id}, within 5 s. */
        Seen awaitResponse(int id) throws InterruptedException {
            Predicate<Seen> answers = f -> f.type() == FrameType.RESPONSE
                    && (ByteBuffer.wrap(f.payload()).order(ByteOrder.LITTLE_ENDIAN).getShort(0) & 0xFFFF) == id;
            awaitOn(this, () -> frames.stream().anyMatch(answers), "the response to request " + id);
            synchronized (this) {
                Seen f = frames.stream().filter(answers).findFirst().orElseThrow();
                frames.remove(f);
                return f;
            }
        }

        Seen awaitControl(FrameType type) throws InterruptedException {
            return take(controls, type);
        }

        private Seen take(List<Seen> from, FrameType type) throws InterruptedException {
            awaitOn(this, () -> from.stream().anyMatch(f -> f.type() == type), type.toString());
            synchronized (this) {
                Seen f = from.stream().filter(x -> x.type() == type).findFirst().orElseThrow();
                from.remove(f);
                return f;
            }
        }

        void awaitText(Predicate<String> condition) throws InterruptedException {
            awaitOn(this, () -> condition.test(text.toString()), "text; have \"" + text + "\"");
        }

        synchronized String text() {
            return text.toString();
        }

        @Override
        public synchronized void onText(byte[] bytes, int offset, int length) {
            text.append(new String(bytes, offset, length, StandardCharsets.US_ASCII));
            notifyAll();
        }

        @Override
        public synchronized void onControl(Frame frame) {
            controls.add(Seen.of(frame));
            notifyAll();
        }

        @Override
        public synchronized void onFrame(Frame frame) {
            frames.add(Seen.of(frame));
            notifyAll();
        }

        @Override
        public void onSessionLost(long session, String reason) {}

        @Override
        public void onClosed(String reason) {}

        @Override
        public void close() {
            link.close();
        }
    }

    /** The host end without a link: writes raw bytes, decodes what comes back, acknowledges nothing. */
    private static final class RawPort implements AutoCloseable {
        private final InputStream in;
        private final OutputStream out;
        private final Frames.Collector collected = new Frames.Collector();
        private final Thread reader;

        RawPort(MemoryCable cable) {
            in = cable.hostIn();
            out = cable.hostOut();
            FrameDecoder decoder = new FrameDecoder(new FrameDecoder.Listener() {
                @Override
                public void onFrame(Frame frame) {
                    synchronized (RawPort.this) {
                        collected.onFrame(frame);
                        RawPort.this.notifyAll();
                    }
                }

                @Override
                public void onText(byte[] bytes, int offset, int length) {
                    synchronized (RawPort.this) {
                        collected.onText(bytes, offset, length);
                        RawPort.this.notifyAll();
                    }
                }

                @Override
                public void onRefused(FrameDecoder.Refusal reason) {}
            });
            reader = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try {
                    for (int n; (n = in.read(buffer)) > 0; ) decoder.feed(buffer, 0, n, System.nanoTime());
                } catch (IOException e) {
                    // the test closed the port
                }
            }, "test-raw-port");
            reader.start();
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
        }

        void await(Predicate<Frames.Collector> condition) throws InterruptedException {
            awaitOn(this, () -> condition.test(collected), "the raw port; text so far \""
                    + collected.text.toString(StandardCharsets.US_ASCII) + "\"");
        }

        @Override
        public void close() throws IOException {
            in.close();
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
