package io.pirt.runtime.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.runtime.log.ConsoleLog;
import io.pirt.wire.Frame;
import io.pirt.wire.FrameType;
import io.pirt.wire.Frames.Seen;
import io.pirt.wire.Hello;
import io.pirt.wire.Link;
import io.pirt.wire.LinkTest;
import io.pirt.wire.Request;
import io.pirt.wire.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The wire socket: each connection is a port of its own with the console device's service. */
@Timeout(30)
class WireSocketTest {
    @TempDir
    Path state;

    private ConsoleLog log;
    private SerialConsole console;
    private WireSocket socket;
    private Path path;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** A console device that never opens: only the socket serves. */
    private static ConsolePort noDevice() throws IOException {
        throw new IOException("no device in this test");
    }

    @BeforeEach
    void start() throws IOException {
        log = new ConsoleLog(state.resolve("log"), 100);
        console = new SerialConsole(WireSocketTest::noDevice, "ttyNONE", log, new SerialConsole.Services("test-board", "9.9", null,
                (session, command, argument) -> Response.ok(command + ":" + argument + " in session " + session),
                Set.of(), state.resolve("incoming"), (name, file, sha) -> { }, 1 << 20));
        console.start();
        path = state.resolve("wire.sock");
        socket = WireSocket.bind(path, log);
        socket.start(console::serve);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) c.close();
        socket.close();
        console.close();
        log.close();
    }

    @Test
    void aToolSaysHelloAndIsAnsweredOverTheSocket() throws Exception {
        Tool tool = connect();
        Hello board = tool.hello(41);
        assertEquals("test-board", board.name());
        assertEquals(41, board.nonce());
        assertEquals(0, board.capabilities() & Hello.BAUD, "a socket has no baud rate to switch");
        assertEquals(Hello.STREAM, board.capabilities() & Hello.STREAM);
        assertEquals(Frame.MAX_PAYLOAD_BYTES, board.maxPayloadBytes(), "what a tool without STREAM reads: a serial port's limit");
        assertTrue(tool.request(1, "info", "").startsWith("info: in session "));
        assertEquals(Frame.MAX_PAYLOAD_BYTES, tool.link.maxPayloadBytes(), "a tool without STREAM gets a serial port's frames");
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
    }

    @Test
    void aToolOnTheStreamTooGetsFramesOfThirtyTwoKibibytesBothWays() throws Exception {
        Tool tool = new Tool(SocketChannel.open(UnixDomainSocketAddress.of(path)), true);
        toClose.add(tool);
        Hello board = tool.hello(42);
        assertEquals(Frame.MAX_STREAM_PAYLOAD_BYTES, board.streamPayloadBytes());
        assertEquals(Frame.MAX_STREAM_PAYLOAD_BYTES, tool.link.maxPayloadBytes());
        String big = "x".repeat(20_000);
        assertEquals("info:" + big, tool.request(2, "info", big).replaceFirst(" in session \\d+$", ""));
        assertTrue(tool.lastResponseBytes > 20_000, "the 20 KB answer came in one frame: " + tool.lastResponseBytes + " bytes");
    }

    @Test
    void twoConnectionsHaveSessionsOfTheirOwnAtOnce() throws Exception {
        Tool first = connect();
        Tool second = connect();
        first.hello(1);
        second.hello(2);
        String a = first.request(7, "info", "a");
        String b = second.request(7, "info", "b");
        assertTrue(a.startsWith("info:a in session "), a);
        assertTrue(b.startsWith("info:b in session "), b);
        assertFalse(a.substring(a.lastIndexOf(' ')).equals(b.substring(b.lastIndexOf(' '))), "one session each: " + a + " / " + b);
        // The console's log reaches both attached tools, in frames.
        log.runtime("to everyone");
        first.awaitConsole("to everyone");
        second.awaitConsole("to everyone");
    }

    @Test
    void aClosedConnectionFreesItsPlaceForAnother() throws Exception {
        List<Tool> tools = new ArrayList<>();
        for (int i = 0; i < WireSocket.MAX_CONNECTIONS; i++) {
            Tool t = connect();
            t.hello(i + 1);
            tools.add(t);
        }
        Tool refused = connect();
        refused.awaitText("connections to its wire socket at once");
        tools.get(0).close();
        awaitLog("wire socket connection 1 closed");
        Tool next = connect();
        next.hello(99);
        assertTrue(next.request(3, "ps", "").startsWith("ps:"));
    }

    @Test
    void aStaleSocketFileIsReplacedAndALiveOneRefused() throws Exception {
        IOException live = assertThrows(IOException.class, () -> WireSocket.bind(path, log));
        assertTrue(live.getMessage().contains("listens on the wire socket " + path), live.getMessage());
        socket.close();
        // A file left by a runtime that died: a socket nobody listens on.
        try (var dead = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path));
        }
        assertTrue(Files.exists(path));
        socket = WireSocket.bind(path, log);
        socket.start(console::serve);
        Tool tool = connect();
        tool.hello(5);
        assertTrue(tool.request(1, "info", "").startsWith("info:"));
    }

    @Test
    void aPathTooLongForASocketIsRefusedSayingSo() {
        Path deep = state.resolve("d".repeat(60)).resolve("e".repeat(60)).resolve("wire.sock");
        IOException e = assertThrows(IOException.class, () -> WireSocket.bind(deep, log));
        assertTrue(e.getMessage().contains("at most 107"), e.getMessage());
    }

    private void awaitLog(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (log.recent(200).stream().noneMatch(l -> l.contains(text))) {
            assertTrue(System.nanoTime() < deadline, "the log never said '" + text + "': " + log.recent(200));
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // the log has no event to wait on; bounded by the deadline
        }
    }

    private Tool connect() throws IOException {
        Tool t = new Tool(SocketChannel.open(UnixDomainSocketAddress.of(path)));
        toClose.add(t);
        return t;
    }

    /** A tool made of a host link over one connection: says hello by hand, asks, and records what arrives. */
    private static final class Tool implements Link.Listener, AutoCloseable {
        private final Link link;
        private final List<Seen> frames = new ArrayList<>();
        private final List<Seen> controls = new ArrayList<>();
        private final ByteArrayOutputStream text = new ByteArrayOutputStream();
        private final StringBuilder consoleText = new StringBuilder();

        /** The payload size of the last RESPONSE frame {@link #request} took. */
        private volatile int lastResponseBytes;

        /** Whether this tool sets {@link Hello#STREAM}. */
        private final boolean stream;

        Tool(SocketChannel channel) {
            this(channel, false);
        }

        Tool(SocketChannel channel, boolean stream) {
            this.stream = stream;
            WireSocket.Connection port = new WireSocket.Connection(channel);
            link = new Link("tool", port.in(), port.out(), stream ? LinkTest.FAST.forStream() : LinkTest.FAST, this);
            link.start();
        }

        Hello hello(int nonce) throws Exception {
            ByteBuffer p = ByteBuffer.allocate(Frame.MAX_PAYLOAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            Hello own = new Hello(Hello.PROTOCOL_VERSION, Hello.PROTOCOL_VERSION, nonce, Hello.CONSOLE | Hello.REQUESTS | (stream ? Hello.STREAM : 0),
                    1024, 16, 3000, "tool", "1", stream ? Frame.MAX_STREAM_PAYLOAD_BYTES : 0);
            own.writeTo(p);
            link.sendControl(FrameType.HELLO, 0, p.flip());
            Seen reply = take(controls, FrameType.HELLO);
            Hello board = Hello.readFrom(ByteBuffer.wrap(reply.payload()).order(ByteOrder.LITTLE_ENDIAN));
            link.openSession(board.window(), own.sessionPayloadBytes(board), 3000, board.idleTimeoutMs() / 4);
            return board;
        }

        /** Sends a request and returns its OK body, within 5 s. */
        String request(int id, String command, String argument) throws Exception {
            ByteBuffer p = ByteBuffer.allocate(link.maxPayloadBytes()).order(ByteOrder.LITTLE_ENDIAN);
            new Request(id, command, argument).writeTo(p);
            assertEquals(Link.Offer.QUEUED, link.send(link.session(), FrameType.REQUEST, 0, p.flip(), TimeUnit.SECONDS.toNanos(5)));
            Seen r = take(frames, FrameType.RESPONSE);
            lastResponseBytes = r.payload().length;
            ByteBuffer body = ByteBuffer.wrap(r.payload()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(id, body.getShort() & 0xFFFF);
            assertEquals(Response.Status.OK.code(), body.get() & 0xFF);
            return StandardCharsets.UTF_8.decode(body).toString();
        }

        synchronized void awaitConsole(String fragment) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                for (Seen f : frames) {
                    if (f.type() == FrameType.CONSOLE_OUT) consoleText.append(new String(f.payload(), 1, f.payload().length - 1, StandardCharsets.UTF_8));
                }
                frames.removeIf(f -> f.type() == FrameType.CONSOLE_OUT);
                if (consoleText.indexOf(fragment) >= 0) return;
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "no console output '" + fragment + "'; have: " + consoleText);
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized void awaitText(String fragment) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!text.toString(StandardCharsets.UTF_8).contains(fragment)) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "no text '" + fragment + "'; have: " + text.toString(StandardCharsets.UTF_8));
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        private synchronized Seen take(List<Seen> from, FrameType type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                for (Seen f : from) {
                    if (f.type() == type) {
                        from.remove(f);
                        return f;
                    }
                }
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "no " + type + " within 5 s");
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        @Override
        public synchronized void onText(byte[] bytes, int offset, int length) {
            text.write(bytes, offset, length);
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
        public void onSessionLost(long session, String reason) {
        }

        @Override
        public void onClosed(String reason) {
        }

        @Override
        public void close() {
            link.close();
        }
    }
}
