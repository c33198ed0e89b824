package io.pirt.tools.client;

import io.pirt.wire.ConsoleSource;
import io.pirt.wire.Frame;
import io.pirt.wire.FrameType;
import io.pirt.wire.Hello;
import io.pirt.wire.Link;
import io.pirt.wire.ProtocolException;
import io.pirt.wire.Request;
import io.pirt.wire.Response;
import io.pirt.wire.TransferMessages;
import io.pirt.wire.TransferMessages.Begin;
import io.pirt.wire.TransferMessages.Result;
import io.pirt.wire.TransferMessages.Resume;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.Deflater;

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
     */
    public record Options(String toolName, String toolVersion, int maxPayloadBytes, int idleTimeoutMs,
                          long helloTimeoutMs, long requestTimeoutMs, long reconnectTimeoutMs, boolean compress,
                          Link.Config link) {
        public static Options defaults() {
            return new Options("pirt", "0.1.0", Frame.MAX_PAYLOAD_BYTES, 3000, 3000, 5000, 15_000, true,
                    Link.Config.defaults());
        }

        public Options withTimeouts(int idleTimeoutMs, long helloTimeoutMs, long requestTimeoutMs, long reconnectTimeoutMs) {
            return new Options(toolName, toolVersion, maxPayloadBytes, idleTimeoutMs, helloTimeoutMs, requestTimeoutMs,
                    reconnectTimeoutMs, compress, link);
        }

        public Options withLink(Link.Config config) {
            return new Options(toolName, toolVersion, maxPayloadBytes, idleTimeoutMs, helloTimeoutMs, requestTimeoutMs,
                    reconnectTimeoutMs, compress, config);
        }

        public Options withCompress(boolean on) {
            return new Options(toolName, toolVersion, maxPayloadBytes, idleTimeoutMs, helloTimeoutMs, requestTimeoutMs,
                    reconnectTimeoutMs, on, link);
        }

        public Options withMaxPayloadBytes(int bytes) {
            return new Options(toolName, toolVersion, bytes, idleTimeoutMs, helloTimeoutMs, requestTimeoutMs,
                    reconnectTimeoutMs, compress, link);
        }
    }

    private static final long HELLO_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long BYE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int RECENT_TEXT_BYTES = 160;
    /** Frames between two measurements of the loss that sets the DATA size. */
    private static final int LOSS_SAMPLE_FRAMES = 48;
    /** Bytes a DATA frame costs besides its data: offset, header, CRC, COBS, delimiters (docs/protocol.md §8). */
    private static final int FRAME_OVERHEAD_BYTES = Frame.MAX_WIRE_BYTES - Frame.MAX_PAYLOAD_BYTES
            + TransferMessages.DATA_HEADER_BYTES;
    private static final int MIN_CHUNK_BYTES = 64;
    private static final byte[] NO_SHA = new byte[TransferMessages.SHA256_BYTES];

    private final Options options;
    private final Link link;
    private final ConsoleLines console;
    private final SecureRandom random = new SecureRandom();

    private final Object lock = new Object();
    // guarded by lock
    /** The open session's id, 0 when none. */
    private long session;
    /** Nonce of the HELLO being answered; meaningful while awaitingHello. */
    private int pendingNonce;
    private boolean awaitingHello;
    /** The board's HELLO of the latest session; null before the first. */
    private Hello board;
    /** Set when the board's reply shares no version with this tool. */
    private String incompatible;
    /** Why the last session ended, for messages. */
    private String lostReason = "no session yet";
    /** Why the link closed; null while open. */
    private String closedReason;
    private boolean byeAnswered;
    private int nextRequestId;
    private final Map<Integer, PendingResponse> responses = new HashMap<>();
    /** TRANSFER_RESUME and TRANSFER_RESULT messages not yet taken by the transfer. */
    private final ArrayDeque<Object> transferInbox = new ArrayDeque<>();
    /** Where the board's events go; events arriving while it is null are dropped. */
    private volatile EventListener eventListener;
    /** The event being assembled from EVENT frames; reader thread only. */
    private final ByteArrayOutputStream eventBody = new ByteArrayOutputStream();
    /** True while the rest of an oversized event is skipped; reader thread only. */
    private boolean skippingEvent;
    /** The last bytes of text seen outside frames, for the message when nobody answers HELLO. */
    private final ByteArrayOutputStream recentText = new ByteArrayOutputStream();

    private BoardClient(InputStream in, OutputStream out, Options options, ConsoleListener listener) {
        this.options = options;
        this.console = new ConsoleLines(listener);
        this.link = new Link("host", in, out, options.link(), new Events());
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
            client.hello();
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
        this.eventListener = listener;
    }

    /** The board's HELLO: its id, runtime version, capabilities and limits. */
    public Hello board() {
        synchronized (lock) {
            return board;
        }
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
        long s = ensureSession();
        int id;
        PendingResponse pending = new PendingResponse();
        synchronized (lock) {
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
            offer(s, FrameType.REQUEST, 0, payload.flip(), deadline, "request '" + command + "'");
            synchronized (lock) {
                while (!pending.done) {
                    checkSession(s, "waiting for the response to '" + command + "'");
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new ProtocolException("no response to '" + command + "' within "
                                + options.requestTimeoutMs() + " ms; the board is busy or its runtime hangs");
                    }
                    waitNanos(left);
                }
                return new Response(pending.status, pending.body.toString(StandardCharsets.UTF_8));
            }
        } finally {
            synchronized (lock) {
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
        long s = ensureSession();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.requestTimeoutMs());
        for (int at = offset, end = offset + length; at < end; ) {
            int n = Math.min(end - at, link.maxPayloadBytes());
            offer(s, FrameType.CONSOLE_IN, 0, ByteBuffer.wrap(bytes, at, n), deadline, "typed input");
            at += n;
        }
    }

    /**
     * Sends {@code file} to the board under {@code name} and returns once the board verified
     * its SHA-256 and stored it. Reports progress to {@code progress} (on this thread, at most
     * every 100 ms, and at the end of each session). When the session is lost it says hello
     * again and continues from what the board already has.
     *
     * @throws ProtocolException if the board refuses or fails the file (the message says why),
     *     or the board cannot be reached again within {@link Options#reconnectTimeoutMs()}
     * @throws IllegalArgumentException if {@code name} is not a valid transfer name
     */
    public TransferReport transfer(Path file, String name, Consumer<TransferProgress> progress)
            throws IOException, InterruptedException {
        if (!TransferMessages.validName(name)) {
            throw new IllegalArgumentException("transfer name '" + name + "' is not [A-Za-z0-9._-], 1..128 bytes, "
                    + "not starting with '.'");
        }
        if (Files.size(file) > TransferMessages.MAX_TRANSFER_BYTES || Files.size(file) > Integer.MAX_VALUE - 64) {
            throw new ProtocolException(file + " is " + Files.size(file) + " bytes; a transfer carries less than 2 GiB");
        }
        byte[] data = Files.readAllBytes(file);
        byte[] fileSha = sha256(data);
        ensureSession();
        byte[] wire = data;
        int compression = TransferMessages.COMPRESSION_NONE;
        if (options.compress() && board().shares(ownHello(0), Hello.DEFLATE)) {
            byte[] deflated = deflate(data);
            if (deflated.length <= data.length - data.length / 50) {
                wire = deflated;
                compression = TransferMessages.COMPRESSION_DEFLATE;
            }
        }
        byte[] wireSha = compression == TransferMessages.COMPRESSION_NONE ? fileSha : sha256(wire);
        Begin begin = new Begin(compression, data.length, wire.length, fileSha, wireSha, name);
        ByteBuffer beginPayload = ByteBuffer.allocate(Frame.MAX_PAYLOAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        begin.writeTo(beginPayload);
        beginPayload.flip();

        long started = System.nanoTime();
        long dataBytesSent = 0;
        long resumedFrom = 0;
        int sessions = 0;
        long reconnectNanos = TimeUnit.MILLISECONDS.toNanos(options.reconnectTimeoutMs());
        long reconnectDeadline = started + reconnectNanos;
        while (true) {
            long s;
            try {
                s = ensureSession();
            } catch (ProtocolException e) {
                if (System.nanoTime() - reconnectDeadline >= 0 || isClosed()) {
                    throw new ProtocolException("lost the board while sending " + name + " and could not say hello again within "
                            + options.reconnectTimeoutMs() + " ms (" + e.getMessage() + "). Run the same transfer again: "
                            + "the board keeps what it received and continues from there", e);
                }
                continue;
            }
            sessions++;
            synchronized (lock) {
                transferInbox.clear();
            }
            long requestNanos = TimeUnit.MILLISECONDS.toNanos(options.requestTimeoutMs());
            Object reply = null;
            if (offerOrLost(s, FrameType.TRANSFER_BEGIN, beginPayload.duplicate(), requestNanos)) {
                reply = awaitTransferReply(s, wireSha, requestNanos, "TRANSFER_BEGIN of " + name);
            }
            if (reply instanceof Result r) return finish(r, name, fileSha, data.length, wire.length, compression,
                    resumedFrom, dataBytesSent, sessions, started);
            if (reply instanceof Resume resume) {
                if (resume.haveBytes() > wire.length) {
                    throw new ProtocolException("the board says it holds " + resume.haveBytes() + " bytes of " + name
                            + ", which is " + wire.length + " bytes long; this is a bug in the board's runtime");
                }
                resumedFrom = resume.haveBytes();
                long reached = sendData(s, wire, resume.haveBytes(), progress);
                dataBytesSent += reached - resume.haveBytes();
                if (reached == wire.length) {
                    ByteBuffer end = ByteBuffer.allocate(TransferMessages.SHA256_BYTES);
                    TransferMessages.writeEnd(end, wireSha);
                    if (offerOrLost(s, FrameType.TRANSFER_END, end.flip(), requestNanos)) {
                        // The board reads the file back and hashes it before answering: allow for that.
                        long verifyNanos = requestNanos + TimeUnit.MILLISECONDS.toNanos(wire.length / 10_000 + data.length / 10_000);
                        Object result = awaitTransferReply(s, wireSha, verifyNanos, "the verification of " + name);
                        if (result instanceof Result r) return finish(r, name, fileSha, data.length, wire.length,
                                compression, resumedFrom, dataBytesSent, sessions, started);
                    }
                }
            }
            // The session was lost: say hello again until the reconnect deadline.
            reconnectDeadline = System.nanoTime() + reconnectNanos;
        }
    }

    /**
     * Ends the session with BYE (after what was sent is acknowledged, up to a second each)
     * and closes the link and its streams. Console lines still partial are handed on. If
     * interrupted, it closes at once and keeps the interrupt status.
     */
    @Override
    public void close() {
        long s;
        synchronized (lock) {
            s = session;
        }
        try {
            if (s != 0) sayBye(s);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            link.close();
            console.flush();
        }
    }

    private void sayBye(long s) throws InterruptedException {
        link.awaitAcknowledged(s, BYE_TIMEOUT_NANOS);
        long deadline = System.nanoTime() + BYE_TIMEOUT_NANOS;
        synchronized (lock) {
            byeAnswered = false;
            while (!byeAnswered && closedReason == null && System.nanoTime() - deadline < 0) {
                link.sendControl(FrameType.BYE, 0, ByteBuffer.allocate(0));
                waitNanos(Math.min(HELLO_RETRY_NANOS, deadline - System.nanoTime()));
            }
            link.endSession(session);
            session = 0;
        }
    }

    // ------------------------------------------------------------------ session

    private Hello ownHello(int nonce) {
        int caps = Hello.CONSOLE | Hello.REQUESTS | Hello.TRANSFER | Hello.EVENTS | (options.compress() ? Hello.DEFLATE : 0);
        return new Hello(Hello.PROTOCOL_VERSION, Hello.PROTOCOL_VERSION, nonce, caps, options.maxPayloadBytes(),
                options.link().receiveWindow(), options.idleTimeoutMs(), options.toolName(), options.toolVersion());
    }

    /** Returns the open session, saying hello first if there is none. */
    private long ensureSession() throws IOException, InterruptedException {
        synchronized (lock) {
            if (session != 0) return session;
        }
        return hello();
    }

    /**
     * Drops the open session without BYE and says hello again, for up to {@code timeoutMs}:
     * after the line's rate changed under the session (docs/protocol.md §5.6).
     *
     * @throws ProtocolException if the board does not answer in time
     */
    public void helloAgain(long timeoutMs) throws IOException, InterruptedException {
        synchronized (lock) {
            if (session != 0) {
                link.endSession(session);
                session = 0;
                lostReason = "the line's rate changed";
                lock.notifyAll();
            }
        }
        hello(timeoutMs);
    }

    private long hello() throws IOException, InterruptedException {
        return hello(options.helloTimeoutMs());
    }

    private long hello(long timeoutMs) throws IOException, InterruptedException {
        int nonce = random.nextInt();
        ByteBuffer payload = ByteBuffer.allocate(Frame.MAX_PAYLOAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        ownHello(nonce).writeTo(payload);
        payload.flip();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (lock) {
            if (session != 0) return session;
            pendingNonce = nonce;
            awaitingHello = true;
            incompatible = null;
            try {
                while (true) {
                    if (closedReason != null) throw new ProtocolException("the port closed: " + closedReason);
                    link.sendControl(FrameType.HELLO, 0, payload.duplicate());
                    long retryAt = Math.min(deadline, System.nanoTime() + HELLO_RETRY_NANOS);
                    while (session == 0 && incompatible == null && closedReason == null && System.nanoTime() - retryAt < 0) {
                        waitNanos(retryAt - System.nanoTime());
                    }
                    if (incompatible != null) throw new ProtocolException(incompatible);
                    if (session != 0) return session;
                    if (System.nanoTime() - deadline >= 0 && closedReason == null) {
                        throw new ProtocolException("no answer to HELLO within " + timeoutMs
                                + " ms: is the pirt runtime running on the board, on this port and at this baud rate?"
                                + recentTextHint());
                    }
                }
            } finally {
                awaitingHello = false;
            }
        }
    }

    /** Under lock. */
    private String recentTextHint() {
        if (recentText.size() == 0) return " Nothing at all came back.";
        String text = recentText.toString(StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}&&[^\n]]", "?").strip();
        return " The port printed: \"" + text + "\"";
    }

    /** Under lock: throws when session {@code s} is gone. */
    private void checkSession(long s, String doing) throws ProtocolException {
        if (closedReason != null) throw new ProtocolException("the port closed while " + doing + ": " + closedReason);
        if (session != s) throw new ProtocolException("the session with the board ended while " + doing + ": " + lostReason);
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closedReason != null;
        }
    }

    /** Queues a frame or throws a message saying why it could not be. */
    private void offer(long s, FrameType type, int flags, ByteBuffer payload, long deadline, String what)
            throws IOException, InterruptedException {
        switch (link.send(s, type, flags, payload, deadline - System.nanoTime())) {
            case QUEUED -> { }
            case TIMED_OUT -> throw new ProtocolException("the board did not take the " + what + " within "
                    + options.requestTimeoutMs() + " ms (it acknowledges nothing)");
            case NO_SESSION -> {
                synchronized (lock) {
                    checkSession(s, "sending the " + what);
                }
                throw new ProtocolException("the session with the board ended while sending the " + what);
            }
        }
    }

    /** Queues a frame; returns false when the session is gone (lost, or the board stopped acknowledging). */
    private boolean offerOrLost(long s, FrameType type, ByteBuffer payload, long timeoutNanos)
            throws IOException, InterruptedException {
        Link.Offer o = link.send(s, type, 0, payload, timeoutNanos);
        if (o == Link.Offer.QUEUED) return true;
        if (isClosed()) {
            synchronized (lock) {
                checkSession(s, "transferring");
            }
        }
        loseSession(s, o == Link.Offer.TIMED_OUT ? "the board acknowledged nothing for " + options.requestTimeoutMs() + " ms"
                : "the session ended");
        return false;
    }

    private void loseSession(long s, String reason) {
        synchronized (lock) {
            if (session == s) {
                link.endSession(s);
                session = 0;
                lostReason = reason;
                lock.notifyAll();
            }
        }
    }

    // ------------------------------------------------------------------ transfer

    /**
     * Sends {@code wire} from {@code from} in DATA frames of session {@code s}. Returns the
     * offset reached: {@code wire.length} unless the session was lost on the way.
     */
    private long sendData(long s, byte[] wire, long from, Consumer<TransferProgress> progress)
            throws IOException, InterruptedException {
        int maxChunk = link.maxPayloadBytes() - TransferMessages.DATA_HEADER_BYTES;
        int chunk = maxChunk;
        ByteBuffer frame = ByteBuffer.allocate(link.maxPayloadBytes()).order(ByteOrder.LITTLE_ENDIAN);
        long start = System.nanoTime();
        long lastReport = start;
        long requestNanos = TimeUnit.MILLISECONDS.toNanos(options.requestTimeoutMs());
        Link.Stats measuredFrom = link.stats();
        long at = from;
        while (at < wire.length) {
            Result early = takeResult();
            if (early != null) throw new TransferRefusedException(early.status(), early.message());
            Link.Stats counted = link.stats();
            long sent = counted.framesSent() - measuredFrom.framesSent();
            if (sent >= LOSS_SAMPLE_FRAMES) {
                long resent = counted.retransmissions() - measuredFrom.retransmissions();
                chunk = chunkForLoss((double) resent / sent, chunk, maxChunk);
                measuredFrom = counted;
            }
            int n = (int) Math.min(chunk, wire.length - at);
            frame.clear();
            TransferMessages.writeDataHeader(frame, at);
            frame.put(wire, (int) at, n).flip();
            if (!offerOrLost(s, FrameType.TRANSFER_DATA, frame, requestNanos)) {
                report(progress, from, at, wire.length, start);
                return at;
            }
            at += n;
            long now = System.nanoTime();
            if (now - lastReport >= PROGRESS_EVERY_NANOS) {
                lastReport = now;
                report(progress, from, at, wire.length, start);
            }
        }
        report(progress, from, at, wire.length, start);
        return at;
    }

    /**
     * The DATA size that carries the most file bytes per line byte at the frame loss
     * measured with frames of {@code chunk} bytes: a frame of {@code n} bytes plus overhead
     * {@code o} arrives whole with probability {@code (1-p)^(n+o)} at a byte error rate
     * {@code p}, and {@code (1-p)^(n+o) * n/(n+o)} peaks at
     * {@code n = (-o + sqrt(o^2 + 4o/p)) / 2}: about 130 bytes at {@code p = 1e-3}, the
     * largest frame on a clean line.
     */
    static int chunkForLoss(double frameLoss, int chunk, int maxChunk) {
        if (frameLoss <= 0) return maxChunk;
        double o = FRAME_OVERHEAD_BYTES;
        double byteError = 1 - Math.pow(1 - Math.min(frameLoss, 0.99), 1 / (chunk + o));
        double best = (-o + Math.sqrt(o * o + 4 * o / byteError)) / 2;
        return (int) Math.max(MIN_CHUNK_BYTES, Math.min(maxChunk, best));
    }

    private static void report(Consumer<TransferProgress> progress, long from, long at, long total, long startNanos) {
        if (progress == null) return;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = seconds > 0 ? (at - from) / seconds : 0;
        long eta = rate > 0 ? (long) ((total - at) / rate * 1000) : -1;
        progress.accept(new TransferProgress(at, total, rate, eta));
    }

    /** A RESULT that arrived while data was still going out: the board gave up on the transfer. */
    private Result takeResult() {
        synchronized (lock) {
            for (Object m : transferInbox) {
                if (m instanceof Result r) {
                    transferInbox.remove(m);
                    return r;
                }
            }
            return null;
        }
    }

    /** Waits for a RESUME or RESULT about {@code wireSha}; null when the session was lost. */
    private Object awaitTransferReply(long s, byte[] wireSha, long timeoutNanos, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (lock) {
            while (true) {
                Object m;
                while ((m = transferInbox.poll()) != null) {
                    byte[] about = m instanceof Result r ? r.wireSha256() : ((Resume) m).wireSha256();
                    if (Arrays.equals(about, wireSha) || Arrays.equals(about, NO_SHA)) return m;
                }
                if (closedReason != null) checkSession(s, "waiting for " + what);
                if (session != s) return null;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ProtocolException("the board did not answer " + what + " within "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
                }
                waitNanos(left);
            }
        }
    }

    private TransferReport finish(Result r, String name, byte[] fileSha, long fileBytes, long wireBytes, int compression,
                                  long resumedFrom, long dataBytesSent, int sessions, long startedNanos)
            throws ProtocolException {
        if (r.status() != TransferMessages.Status.VERIFIED) throw new TransferRefusedException(r.status(), r.message());
        if (!Arrays.equals(r.actualFileSha256(), fileSha)) {
            throw new ProtocolException("the board reported " + name + " verified with SHA-256 "
                    + TransferMessages.hex(r.actualFileSha256()) + ", but the file's is " + TransferMessages.hex(fileSha)
                    + "; this is a bug in the board's runtime");
        }
        return new TransferReport(name, TransferMessages.hex(fileSha), fileBytes, wireBytes,
                compression == TransferMessages.COMPRESSION_DEFLATE, resumedFrom, dataBytesSent, sessions,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
    }

    // ------------------------------------------------------------------ link callbacks

    private final class Events implements Link.Listener {
        /** CONSOLE_OUT bytes on their way to the line joiner; reader thread only. */
        private final byte[] text = new byte[Frame.MAX_PAYLOAD_BYTES];

        @Override
        public void onText(byte[] bytes, int offset, int length) {
            synchronized (lock) {
                recentText.write(bytes, offset, length);
                if (recentText.size() > RECENT_TEXT_BYTES) {
                    byte[] all = recentText.toByteArray();
                    recentText.reset();
                    recentText.write(all, all.length - RECENT_TEXT_BYTES, RECENT_TEXT_BYTES);
                }
            }
            console.accept(ConsoleSource.UNTAGGED, bytes, offset, length);
        }

        @Override
        public void onControl(Frame frame) {
            if (frame.type() == FrameType.HELLO && frame.hasFlag(Frame.FLAG_REPLY)) {
                onHelloReply(frame);
            } else if (frame.type() == FrameType.BYE) {
                String why = frame.hasFlag(Frame.FLAG_NO_SESSION)
                        ? "the board has no session with this tool (it timed out or restarted)"
                        : "the board ended the session";
                synchronized (lock) {
                    if (frame.hasFlag(Frame.FLAG_REPLY)) {
                        byeAnswered = true;
                        lock.notifyAll();
                    } else if (session != 0) {
                        link.endSession(session);
                        session = 0;
                        lostReason = why;
                        lock.notifyAll();
                    }
                }
            } // other frames outside a session belong to a session already gone
        }

        private void onHelloReply(Frame frame) {
            Hello reply;
            try {
                reply = Hello.readFrom(frame.payload());
            } catch (ProtocolException e) {
                return; // unreadable: the HELLO is retried, and times out with a message
            }
            synchronized (lock) {
                if (!awaitingHello || reply.nonce() != pendingNonce) return;
                Hello own = ownHello(pendingNonce);
                if (own.commonVersion(reply) < 0) {
                    incompatible = "the board (" + reply.name() + ", runtime " + reply.software() + ") speaks protocol versions "
                            + reply.minVersion() + ".." + reply.maxVersion() + ", this tool " + own.minVersion() + ".."
                            + own.maxVersion() + ": update the tool or the board's runtime";
                } else {
                    board = reply;
                    session = link.openSession(reply.window(), Math.min(reply.maxPayloadBytes(), own.maxPayloadBytes()),
                            own.idleTimeoutMs(), Math.max(1, reply.idleTimeoutMs() / 4));
                    awaitingHello = false;
                }
                lock.notifyAll();
            }
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
                case EVENT -> onEvent(frame, p);
                case TRANSFER_RESUME, TRANSFER_RESULT -> {
                    Object message;
                    try {
                        message = frame.type() == FrameType.TRANSFER_RESUME ? Resume.readFrom(p) : Result.readFrom(p);
                    } catch (ProtocolException e) {
                        message = new Result(NO_SHA, TransferMessages.Status.FAILED, NO_SHA,
                                "the board's answer was malformed: " + e.getMessage());
                    }
                    synchronized (lock) {
                        transferInbox.add(message);
                        lock.notifyAll();
                    }
                }
                default -> { } // types a tool sends, not receives
            }
        }

        private void onEvent(Frame frame, ByteBuffer p) {
            boolean last = !frame.hasFlag(Frame.FLAG_MORE);
            if (skippingEvent || eventBody.size() + p.remaining() > Frame.MAX_EVENT_BYTES) {
                eventBody.reset(); // a board never sends this much: the whole event is dropped
                skippingEvent = !last;
                return;
            }
            byte[] chunk = new byte[p.remaining()];
            p.get(chunk);
            eventBody.writeBytes(chunk);
            if (!last) return;
            String body = eventBody.toString(StandardCharsets.UTF_8);
            eventBody.reset();
            EventListener listener = eventListener;
            if (listener != null) listener.onEvent(body);
        }

        private void onResponse(Frame frame, ByteBuffer p) {
            if (p.remaining() < Response.PART_HEADER_BYTES) return;
            int id = p.getShort() & 0xFFFF;
            int code = p.get() & 0xFF;
            synchronized (lock) {
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
                if (pending.done) lock.notifyAll();
            }
        }

        @Override
        public void onSessionLost(long lost, String reason) {
            eventBody.reset(); // the rest of a cut event never comes
            skippingEvent = false;
            synchronized (lock) {
                if (session == lost) {
                    session = 0;
                    lostReason = reason;
                    lock.notifyAll();
                }
            }
        }

        @Override
        public void onClosed(String reason) {
            synchronized (lock) {
                closedReason = reason;
                session = 0;
                lostReason = reason;
                lock.notifyAll();
            }
        }
    }

    /** A response being assembled; guarded by lock. */
    private static final class PendingResponse {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        Response.Status status = Response.Status.FAILED;
        boolean done;
    }

    // ------------------------------------------------------------------ helpers

    /** Under lock. */
    private void waitNanos(long nanos) throws InterruptedException {
        if (nanos <= 0) return;
        lock.wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
            byte[] buffer = new byte[64 * 1024];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    @Override
    public String toString() {
        return "BoardClient[" + Objects.toString(board(), "no board") + "]";
    }
}
