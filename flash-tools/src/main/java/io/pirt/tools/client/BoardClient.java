package io.pirt.tools.client;

import io.pirt.wire.ConsoleSource;
import io.pirt.wire.Hello;
import io.pirt.wire.Frame;
import io.pirt.wire.FrameType;
import io.pirt.wire.Link;
import io.pirt.wire.ProtocolException;
import io.pirt.wire.Request;
import io.pirt.wire.Response;

import java.io.ByteArrayOutputStream;
import io.pirt.wire.message.AuthChallenge;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.Refusal;
import java.io.IOException;
import java.util.Base64;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A tool's session with a board over a byte stream pair the caller opened (docs/protocol.md):
 * says hello, sends requests, streams the board's console lines to a
 * {@link ConsoleListener}, types into the board's console, and transfers files, resuming
 * after a cut line from what the board already has.
 *
 * <p>The client owns the streams from {@link #connect} on and closes them in
 * {@link #close()}. Methods are thread-safe; requests and transfers may run concurrently.
 * A lost session (the board went silent, restarted, or said it has none) is opened again
 * by the next call, with a new HELLO; a transfer does that on its own for up to
 * {@link Options#reconnectTimeoutMs()}.
 *
 * <p>Implementation notes. The client is four pieces along the protocol's seams: this class
 * (requests, typed input, the link's callbacks), {@link ClientSession} (HELLO, BYE, a lost
 * session; its monitor guards all the state that reader-thread callbacks change),
 * {@link FileSender} (transfers) and {@link EventAssembly} (EVENT frames into events).
 */
public final class BoardClient implements AutoCloseable {

    /**
     * How a client behaves.
     *
     * @param toolName           announced in HELLO
     * @param toolVersion        announced in HELLO
     * @param maxPayloadBytes    largest frame payload to send and accept (64..1024)
     * @param idleTimeoutMs      end the session after this long without a frame from the board
     * @param helloTimeoutMs     give up saying hello after this long
     * @param requestTimeoutMs   wait this long for a response, a transfer reply, or room to send
     * @param reconnectTimeoutMs a transfer keeps saying hello for this long after its session was lost
     * @param compress           send files as deflate streams when that makes them 2% smaller
     * @param link               the link's window and retransmission timing
     * @param keyProof           proves a trusted key when the board asks for one (docs/protocol.md §5.7); null: never
     * @param streamPayloadBytes 0 on a serial port; on a reliable byte stream ({@link #forStream()}) the largest
     *                           payload to accept from a board that sets {@link io.pirt.wire.Hello#STREAM} too
     */
    public record Options(String toolName, String toolVersion, int maxPayloadBytes, int idleTimeoutMs,
                          long helloTimeoutMs, long requestTimeoutMs, long reconnectTimeoutMs, boolean compress,
                          Link.Config link, KeyProof keyProof, int streamPayloadBytes) {
        public Options {
            if (streamPayloadBytes < 0 || streamPayloadBytes > Frame.MAX_STREAM_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("streamPayloadBytes " + streamPayloadBytes + " not in 0.." + Frame.MAX_STREAM_PAYLOAD_BYTES);
            }
            // A link given later (withLink) after forStream() keeps its timing and gets a stream's slots.
            if (streamPayloadBytes > link.maxPayloadBytes()) link = link.forStream();
        }

        public static Options defaults() {
            return new Options("pirt", "0.1.0", Frame.MAX_PAYLOAD_BYTES, 3000, 3000, 5000, 15_000, true,
                    Link.Config.defaults(), null, 0);
        }

        /** Proves a trusted key with {@code proof} when a board refuses a request for want of one; null: never. */
        public Options withKeyProof(KeyProof proof) {
            return new Options(toolName, toolVersion, maxPayloadBytes, idleTimeoutMs, helloTimeoutMs, requestTimeoutMs,
                    reconnectTimeoutMs, compress, link, proof, streamPayloadBytes);
        }

        public Options withTimeouts(int idleTimeoutMs, long helloTimeoutMs, long requestTimeoutMs, long reconnectTimeoutMs) {
            return new Options(toolName, toolVersion, maxPayloadBytes, idleTimeoutMs, helloTimeoutMs, requestTimeoutMs,
                    reconnectTimeoutMs, compress, link, keyProof, streamPayloadBytes);
        }

        public Options withLink(Link.Config config) {
            return new Options(toolName, toolVersion, maxPayloadBytes, idleTimeoutMs, helloTimeoutMs, requestTimeoutMs,
                    reconnectTimeoutMs, compress, config, keyProof, streamPayloadBytes);
        }

        public Options withCompress(boolean on) {
            return new Options(toolName, toolVersion, maxPayloadBytes, idleTimeoutMs, helloTimeoutMs, requestTimeoutMs,
                    reconnectTimeoutMs, on, link, keyProof, streamPayloadBytes);
        }

        /**
         * These options for a reliable byte stream (a Unix socket, an SSH channel to the board's
         * wire socket) rather than a serial port: the tool sets {@link io.pirt.wire.Hello#STREAM}
         * and takes frames of up to {@link Frame#MAX_STREAM_PAYLOAD_BYTES} (32 KiB) with a window of
         * 32 when the board sets it too; a board that does not gets a serial port's sizes
         * (docs/protocol.md §5.1). Never on a serial line: its sizes are set by its rate.
         */
        public Options forStream() {
            Link.Config stream = link.forStream();
            return new Options(toolName, toolVersion, maxPayloadBytes, idleTimeoutMs, helloTimeoutMs, requestTimeoutMs,
                    reconnectTimeoutMs, compress, stream, keyProof, stream.maxPayloadBytes());
        }

        public Options withMaxPayloadBytes(int bytes) {
            return new Options(toolName, toolVersion, bytes, idleTimeoutMs, helloTimeoutMs, requestTimeoutMs,
                    reconnectTimeoutMs, compress, link, keyProof, streamPayloadBytes);
        }
    }

    private final Options options;
    private final Link link;
    private final ConsoleLines console;
    private final ClientSession session;
    private final FileSender files;
    private final EventAssembly events = new EventAssembly();

    // guarded by session.lock
    private int nextRequestId;
    private final Map<Integer, PendingResponse> responses = new HashMap<>();

    private BoardClient(InputStream in, OutputStream out, Options options, ConsoleListener listener) {
        this.options = options;
        this.console = new ConsoleLines(listener);
        this.link = new Link("host", in, out, options.link(), new Events());
        this.session = new ClientSession(link, options);
        this.files = new FileSender(session, link, options);
    }

    /**
     * Says hello to the board at the other end of {@code in}/{@code out} and returns the
     * client with a session open.
     *
     * @throws ProtocolException if the board does not answer within
     *     {@link Options#helloTimeoutMs()}, speaks no common version, or the port closes;
     *     the streams are closed then
     */
    public static BoardClient connect(InputStream in, OutputStream out, Options options, ConsoleListener console)
            throws IOException, InterruptedException {
        BoardClient client = new BoardClient(in, out, options, console);
        client.link.start();
        try {
            client.session.hello(options.helloTimeoutMs());
        } catch (IOException | InterruptedException | RuntimeException e) {
            client.link.close();
            throw e;
        }
        return client;
    }

    /**
     * Hands the board's events to {@code listener} from now on (null: drop them). Events are
     * sent only to a client that is connected; an event cut by a lost session is dropped whole.
     */
    public void onEvents(EventListener listener) {
        events.listener = listener;
    }

    /** The board's HELLO: its id, runtime version, capabilities and limits. */
    public Hello board() {
        return session.board();
    }

    /**
     * The largest frame payload of the open session: at most 1024 bytes on a serial port, up to
     * 32 KiB on a reliable byte stream when both ends set {@code STREAM} ({@link Options#forStream()}).
     */
    public int sessionPayloadBytes() {
        return link.maxPayloadBytes();
    }

    public Link.Stats linkStats() {
        return link.stats();
    }

    /**
     * Runs {@code command} on the board and returns its response.
     *
     * @throws ProtocolException if no response comes within {@link Options#requestTimeoutMs()}
     *     or the session ends first
     * @throws IllegalArgumentException if the command is malformed or the argument does not fit in one frame
     */
    public Response request(String command, String argument) throws IOException, InterruptedException {
        Response r = send(command, argument);
        if (options.keyProof() == null || r.status() != Response.Status.FAILED) return r;
        Refusal why = Messages.refusalIn(r);
        if (!why.code().equals(Refusal.PROOF_REQUIRED)) return r;
        Response proof = proveKey(why);
        return proof != null ? proof : send(command, argument); // proved: the session may do it now
    }

    /**
     * Proves the user's key to the board (docs/protocol.md §5.7): a fresh challenge, signed.
     * Returns null when the board accepted the proof, else the answer to return instead of the
     * refused request's: the board's refusal of the proof, or {@code why} with the reason this
     * tool has no key to prove.
     */
    private Response proveKey(Refusal why) throws IOException, InterruptedException {
        Response c = send(Command.AUTH_CHALLENGE.wireName(), "");
        if (c.status() != Response.Status.OK) return c; // an older board, or one that refuses: its own words
        AuthChallenge challenge = Messages.decode(c.body(), AuthChallenge.class);
        KeyProof.Signed signed;
        try {
            signed = options.keyProof().sign(challenge.signedMessage());
        } catch (IOException | IllegalArgumentException e) {
            return Response.failed(Messages.encode(new Refusal(Refusal.PROOF_REQUIRED, why.message() + ". This tool cannot "
                    + "prove a key: " + e.getMessage())));
        }
        Response a = send(Command.AUTH.wireName(), signed.keyId() + " " + Base64.getEncoder().encodeToString(signed.signature()));
        return a.status() == Response.Status.OK ? null : a;
    }

    private Response send(String command, String argument) throws IOException, InterruptedException {
        long s = session.ensure();
        int id;
        PendingResponse pending = new PendingResponse();
        synchronized (session.lock) {
            id = nextRequestId;
            nextRequestId = (nextRequestId + 1) & 0xFFFF;
            responses.put(id, pending);
        }
        try {
            ByteBuffer payload = ByteBuffer.allocate(link.maxPayloadBytes()).order(ByteOrder.LITTLE_ENDIAN);
            try {
                new Request(id, command, argument).writeTo(payload);
            } catch (BufferOverflowException e) {
                throw new IllegalArgumentException("the argument of '" + command + "' is "
                        + argument.getBytes(StandardCharsets.UTF_8).length + " bytes; at most about "
                        + (link.maxPayloadBytes() - 3 - command.length()) + " fit in a request");
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.requestTimeoutMs());
            session.offer(s, FrameType.REQUEST, 0, payload.flip(), deadline, "request '" + command + "'");
            synchronized (session.lock) {
                while (!pending.done) {
                    session.checkSession(s, "waiting for the response to '" + command + "'");
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new ProtocolException("no response to '" + command + "' within "
                                + options.requestTimeoutMs() + " ms; the board is busy or its runtime hangs");
                    }
                    session.waitNanos(left);
                }
                return new Response(pending.status, pending.body.toString(StandardCharsets.UTF_8));
            }
        } finally {
            synchronized (session.lock) {
                responses.remove(id);
            }
        }
    }

    /**
     * Types {@code bytes} into the board's console, as if typed on its port.
     *
     * @throws ProtocolException if the board does not take them within {@link Options#requestTimeoutMs()}
     */
    public void type(byte[] bytes, int offset, int length) throws IOException, InterruptedException {
        long s = session.ensure();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.requestTimeoutMs());
        for (int at = offset, end = offset + length; at < end; ) {
            int n = Math.min(end - at, link.maxPayloadBytes());
            session.offer(s, FrameType.CONSOLE_IN, 0, ByteBuffer.wrap(bytes, at, n), deadline, "typed input");
            at += n;
        }
    }

    /**
     * Sends {@code file} to the board under {@code name} and returns once the board verified
     * its SHA-256 and stored it. Reports progress to {@code progress} (on this thread, at most
     * every 100 ms, and at the end of each session). When the session is lost it says hello
     * again and continues from what the board already has.
     *
     * @throws TransferRefusedException if the board refuses or fails the file (the message says why)
     * @throws ProtocolException if the board cannot be reached again within {@link Options#reconnectTimeoutMs()}
     * @throws IllegalArgumentException if {@code name} is not a valid transfer name
     */
    public TransferReport transfer(Path file, String name, Consumer<TransferProgress> progress)
            throws IOException, InterruptedException {
        return files.send(file, name, progress);
    }

    /**
     * Drops the open session without BYE and says hello again, for up to {@code timeoutMs}:
     * after the line's rate changed under the session (docs/protocol.md §5.6).
     *
     * @throws ProtocolException if the board does not answer in time
     */
    public void helloAgain(long timeoutMs) throws IOException, InterruptedException {
        session.helloAgain(timeoutMs);
    }

    /**
     * Ends the session with BYE (after what was sent is acknowledged, up to a second each)
     * and closes the link and its streams. Console lines still partial are handed on. If
     * interrupted, it closes at once and keeps the interrupt status.
     */
    @Override
    public void close() {
        try {
            session.sayBye();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            link.close();
            console.flush();
        }
    }

    // ------------------------------------------------------------------ link callbacks (reader thread)

    private final class Events implements Link.Listener {
        /** CONSOLE_OUT bytes on their way to the line joiner; reader thread only. */
        private final byte[] text = new byte[options.link().maxPayloadBytes()];

        @Override
        public void onText(byte[] bytes, int offset, int length) {
            session.textSeen(bytes, offset, length);
            console.accept(ConsoleSource.UNTAGGED, bytes, offset, length);
        }

        @Override
        public void onControl(Frame frame) {
            if (frame.type() == FrameType.HELLO && frame.hasFlag(Frame.FLAG_REPLY)) {
                session.onHelloReply(frame);
            } else if (frame.type() == FrameType.BYE) {
                session.onBye(frame);
            } // other frames outside a session belong to a session already gone
        }

        @Override
        public void onFrame(Frame frame) {
            ByteBuffer p = frame.payload();
            switch (frame.type()) {
                case CONSOLE_OUT -> {
                    if (!p.hasRemaining()) return;
                    ConsoleSource source = ConsoleSource.fromCode(p.get() & 0xFF);
                    int n = p.remaining();
                    p.get(text, 0, n);
                    console.accept(source, text, 0, n);
                }
                case RESPONSE -> onResponse(frame, p);
                case EVENT -> events.onFrame(frame, p);
                case TRANSFER_RESUME, TRANSFER_RESULT -> files.onReply(frame);
                default -> { } // types a tool sends, not receives
            }
        }

        private void onResponse(Frame frame, ByteBuffer p) {
            if (p.remaining() < Response.PART_HEADER_BYTES) return;
            int id = p.getShort() & 0xFFFF;
            int code = p.get() & 0xFF;
            synchronized (session.lock) {
                PendingResponse pending = responses.get(id);
                if (pending == null || pending.done) return; // a request already given up on
                try {
                    pending.status = Response.Status.fromCode(code);
                } catch (ProtocolException e) {
                    pending.status = Response.Status.FAILED;
                }
                if (pending.body.size() + p.remaining() > Response.MAX_BODY_BYTES) {
                    pending.body.reset();
                    pending.body.writeBytes(("the board's response exceeds " + Response.MAX_BODY_BYTES + " bytes")
                            .getBytes(StandardCharsets.UTF_8));
                    pending.status = Response.Status.FAILED;
                    pending.done = true;
                } else {
                    byte[] chunk = new byte[p.remaining()];
                    p.get(chunk);
                    pending.body.writeBytes(chunk);
                    pending.done = !frame.hasFlag(Frame.FLAG_MORE);
                }
                if (pending.done) session.lock.notifyAll();
            }
        }

        @Override
        public void onSessionLost(long lost, String reason) {
            events.sessionLost();
            session.onLost(lost, reason);
        }

        @Override
        public void onClosed(String reason) {
            session.onClosed(reason);
        }
    }

    /** A response being assembled; guarded by session.lock. */
    private static final class PendingResponse {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        Response.Status status = Response.Status.FAILED;
        boolean done;
    }

    @Override
    public String toString() {
        return "BoardClient[" + Objects.toString(board(), "no board") + "]";
    }
}
