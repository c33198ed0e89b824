package io.pirt.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Frames over a pair of byte streams, with sessions in which sequenced frames arrive
 * exactly once and in order (docs/protocol.md §4). Both the board's
 * {@link ProtocolEndpoint} and the host's client run their session logic on top of a
 * link; the link itself knows nothing of HELLO's contents, consoles or files.
 *
 * <p>The link owns the two streams from {@link #start()} on and closes them in
 * {@link #close()}. It runs two named daemon threads: a reader that feeds a
 * {@link FrameDecoder} and calls the {@link Listener}, and a writer that sends control
 * frames, acknowledgements, retransmissions, new frames and keepalives, in that order.
 * All other methods are thread-safe. Sending and receiving in steady state allocate
 * nothing: frames wait in fixed slots.
 *
 * <p>{@link #send} copies the payload before it returns: the caller may reuse its buffer
 * at once.
 *
 * <p>Implementation notes. The send side is a ring of {@link Frame#MAX_WINDOW} slots
 * indexed by {@code seq % MAX_WINDOW}; slots {@code [sendBase, sendNext)} hold frames not
 * yet acknowledged, {@code [sendBase, sendCursor)} of them transmitted at least once.
 * Every transmission gets a number ({@code order}). Because the line never reorders, a
 * frame transmitted before one the peer reports as received, and not itself reported, is
 * lost; it is marked LOST and retransmitted at once. A timer (RTO, Jacobson/Karels with
 * Karn's rule, doubled per expiry, back to the estimate when the cumulative acknowledgement
 * advances; one timer, for the oldest frame in flight, restarted whenever the peer reports
 * progress) catches losses at the end of a burst. The receive side
 * is a ring of the same size holding early frames; it is confined to the reader thread and
 * publishes {@code ackNext} and {@code heldBits} under the lock after delivering, so a
 * frame is acknowledged only once the listener has taken it. One monitor ({@code lock})
 * guards everything shared; a second ({@code outLock}) keeps whole frames and text writes
 * from interleaving on the output. Order of locking: {@code lock} before {@code outLock},
 * never the reverse.
 */
public final class Link implements AutoCloseable {

    /**
     * Tuning of one link.
     *
     * @param receiveWindow      frames this side holds out of order, announced in HELLO (1..32)
     * @param initialRtoMs       retransmission timeout before the first round trip is measured
     * @param minRtoMs           lower bound of the retransmission timeout
     * @param maxRtoMs           upper bound of the retransmission timeout
     * @param maxTransmissions   transmissions of one frame after which the session ends
     */
    public record Config(int receiveWindow, long initialRtoMs, long minRtoMs, long maxRtoMs, int maxTransmissions) {
        public Config {
            if (receiveWindow < 1 || receiveWindow > Frame.MAX_WINDOW) {
                throw new IllegalArgumentException("receiveWindow " + receiveWindow + " not in 1.." + Frame.MAX_WINDOW);
            }
            if (minRtoMs < 1 || minRtoMs > maxRtoMs || initialRtoMs < minRtoMs || initialRtoMs > maxRtoMs) {
                throw new IllegalArgumentException("need 1 <= minRtoMs <= initialRtoMs <= maxRtoMs; got "
                        + minRtoMs + ", " + initialRtoMs + ", " + maxRtoMs);
            }
            if (maxTransmissions < 2) throw new IllegalArgumentException("maxTransmissions " + maxTransmissions + " < 2");
        }

        /**
         * The defaults of docs/protocol.md §9: window 16, RTO 3000 ms at first, then within
         * 50..10000 ms, 50 transmissions. The first RTO is long because before the first
         * round trip is measured a full window may still sit in the port's buffer (1.5 s at
         * 115200 baud).
         */
        public static Config defaults() {
            return new Config(16, 3000, 50, 10_000, 50);
        }
    }

    /** What became of a frame offered to {@link #send}. */
    public enum Offer {
        /** In a slot; the link will deliver it unless the session ends. */
        QUEUED,
        /** The window stayed full until the timeout; nothing was queued. */
        TIMED_OUT,
        /** The session given is not (or no longer) the open one; nothing was queued. */
        NO_SESSION
    }

    /**
     * Receives what arrives. All methods but {@link #onSessionLost} are called on the
     * reader thread and should return quickly: while they run, nothing is read and nothing
     * is acknowledged. They may call any method of the link except {@link #close()}.
     */
    public interface Listener {
        /** Bytes outside frames. */
        void onText(byte[] bytes, int offset, int length);

        /** HELLO and BYE frames, and any other frame but ACK while no session is open. */
        void onControl(Frame frame);

        /** A sequenced frame of the open session, once, in order. */
        void onFrame(Frame frame);

        /**
         * The link ended {@code session} itself (peer silent, or not acknowledging); on the
         * writer thread. Another session may already be open when this runs.
         */
        void onSessionLost(long session, String reason);

        /** The port failed or reached its end; the link is closed. On the thread that found it. */
        void onClosed(String reason);
    }

    /**
     * Counters since the link started.
     *
     * @param framesSent        frames written, retransmissions and control frames included
     * @param framesReceived    frames that passed every check
     * @param retransmissions   transmissions of sequenced frames after their first
     * @param framesRefused     candidates closed by 0x00 that failed a check
     * @param textBytesReceived bytes received outside frames
     */
    public record Stats(long framesSent, long framesReceived, long retransmissions, long framesRefused,
                        long textBytesReceived) {}

    private static final byte FREE = 0, UNSENT = 1, IN_FLIGHT = 2, LOST = 3, HELD_BY_PEER = 4;
    private static final int CONTROL_SLOTS = 4;
    private static final int READ_BUFFER_BYTES = 4096;

    private final String name;
    private final InputStream in;
    private final OutputStream out;
    private final Config config;
    private final Listener listener;
    private final Object lock = new Object();
    private final Object outLock = new Object();
    private final Thread reader;
    private final Thread writer;

    // ---- send side, guarded by lock ----
    private final byte[][] sendPayload = new byte[Frame.MAX_WINDOW][Frame.MAX_PAYLOAD_BYTES];
    private final int[] sendLength = new int[Frame.MAX_WINDOW];
    private final FrameType[] sendType = new FrameType[Frame.MAX_WINDOW];
    private final int[] sendFlags = new int[Frame.MAX_WINDOW];
    /** FREE, UNSENT, IN_FLIGHT, LOST (retransmit now) or HELD_BY_PEER (reported in the peer's held bits). */
    private final byte[] sendState = new byte[Frame.MAX_WINDOW];
    private final long[] sentAtNanos = new long[Frame.MAX_WINDOW];
    /** Transmission number of the slot's latest transmission. */
    private final long[] sendOrder = new long[Frame.MAX_WINDOW];
    private final int[] transmissions = new int[Frame.MAX_WINDOW];
    /** Oldest unacknowledged seq. */
    private int sendBase;
    /** First seq never transmitted; sendBase <= sendCursor <= sendNext (mod 2^16). */
    private int sendCursor;
    /** Next seq to assign; sendNext - sendBase <= sendWindow. */
    private int sendNext;
    private int sendWindow = 1;
    private int sendMaxPayload = Frame.MIN_PAYLOAD_LIMIT_BYTES;
    /** Counts transmissions; the order of the latest one. */
    private long transmissionCount;
    /** Highest order among transmissions the peer reported as received. */
    private long highestReportedOrder;

    // ---- control frames waiting to go, guarded by lock ----
    private final byte[][] controlPayload = new byte[CONTROL_SLOTS][Frame.MAX_PAYLOAD_BYTES];
    private final int[] controlLength = new int[CONTROL_SLOTS];
    private final FrameType[] controlType = new FrameType[CONTROL_SLOTS];
    private final int[] controlFlags = new int[CONTROL_SLOTS];
    private int controlHead;
    private int controlCount;

    // ---- session and timers, guarded by lock ----
    /** Id of the open session, 0 when none. Ids are never reused. */
    private long session;
    private long lastSessionId;
    /** What the reader last published for the peer: next expected seq and held bits. */
    private int ackNext;
    private int heldBits;
    /** The peer is owed an acknowledgement. */
    private boolean ackOwed;
    private long idleTimeoutNanos;
    private long keepaliveNanos;
    /**
     * When a frame last arrived from the peer in this session, valid or damaged on the way
     * (a candidate closed by 0x00 that failed a check): a peer whose frames arrive damaged
     * is alive, and its sender's retransmission limit, not this timer, decides when a line
     * is too noisy to go on. Typed text never closes a candidate, so it does not count.
     */
    private long lastReceivedNanos;
    private long lastSentNanos;
    /** Smoothed round trip and its variation; srtt < 0 until the first sample. */
    private long srttNanos = -1;
    private long rttvarNanos;
    private long rtoNanos;
    /**
     * When the peer last reported a frame for the first time (cumulative ack advanced, or a
     * new held bit), or the session opened. The retransmission timer of the oldest frame in
     * flight runs from the later of this and its own transmission.
     */
    private long progressNanos;
    private boolean closed;

    // ---- receive side, confined to the reader thread ----
    private final byte[][] heldBody = new byte[Frame.MAX_WINDOW][Frame.MAX_BODY_BYTES];
    private final Frame[] heldFrame = new Frame[Frame.MAX_WINDOW];
    private final boolean[] held = new boolean[Frame.MAX_WINDOW];
    private final int[] heldSeq = new int[Frame.MAX_WINDOW];
    /** Session the receive state belongs to; reset when it differs from the open one. */
    private long receiveSession;
    /** Next seq to deliver. */
    private int receiveNext;
    private final FrameDecoder decoder;

    // ---- writer thread only ----
    private final FrameEncoder encoder = new FrameEncoder();
    private final byte[] wire = new byte[Frame.MAX_WIRE_BYTES];
    private final byte[] ackPayload = new byte[4];

    // ---- counters, each written by one thread only ----
    private volatile long framesSent;
    private volatile long framesReceived;
    private volatile long retransmissionCount;
    private volatile long framesRefused;
    private volatile long textBytesReceived;

    /**
     * Creates a link over {@code in} and {@code out}; nothing is read or written until
     * {@link #start()}. {@code name} names the threads ({@code pirt-link-<name>-reader}).
     */
    public Link(String name, InputStream in, OutputStream out, Config config, Listener listener) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.config = config;
        this.listener = listener;
        for (int i = 0; i < Frame.MAX_WINDOW; i++) heldFrame[i] = new Frame(heldBody[i]);
        this.decoder = new FrameDecoder(new Decoded());
        this.rtoNanos = TimeUnit.MILLISECONDS.toNanos(config.initialRtoMs());
        this.reader = new Thread(this::readLoop, "pirt-link-" + name + "-reader");
        this.writer = new Thread(this::writeLoop, "pirt-link-" + name + "-writer");
        reader.setDaemon(true);
        writer.setDaemon(true);
    }

    /** Starts the reader and writer threads. */
    public void start() {
        reader.start();
        writer.start();
    }

    /** The frames this side can hold out of order, to announce in HELLO. */
    public int receiveWindow() {
        return config.receiveWindow();
    }

    /**
     * Opens a new session, dropping whatever the previous one left: both sequence spaces
     * restart at 0. Returns the new session's id, never 0.
     *
     * @param sendWindow          frames in flight at most: the smaller of both windows (1..32)
     * @param maxPayloadBytes     largest payload to send: the smaller of both limits
     * @param idleTimeoutMs       end the session when no valid frame arrived for this long
     * @param keepaliveIntervalMs send an ACK when nothing was sent for this long
     */
    public long openSession(int sendWindow, int maxPayloadBytes, long idleTimeoutMs, long keepaliveIntervalMs) {
        if (sendWindow < 1 || sendWindow > Frame.MAX_WINDOW) {
            throw new IllegalArgumentException("sendWindow " + sendWindow + " not in 1.." + Frame.MAX_WINDOW);
        }
        if (maxPayloadBytes < Frame.MIN_PAYLOAD_LIMIT_BYTES || maxPayloadBytes > Frame.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("maxPayloadBytes " + maxPayloadBytes + " not in "
                    + Frame.MIN_PAYLOAD_LIMIT_BYTES + ".." + Frame.MAX_PAYLOAD_BYTES);
        }
        if (idleTimeoutMs < 1 || keepaliveIntervalMs < 1) throw new IllegalArgumentException("timeouts must be positive");
        synchronized (lock) {
            long now = System.nanoTime();
            clearSendSlots();
            this.sendWindow = sendWindow;
            this.sendMaxPayload = maxPayloadBytes;
            this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
            this.keepaliveNanos = TimeUnit.MILLISECONDS.toNanos(keepaliveIntervalMs);
            ackNext = 0;
            heldBits = 0;
            ackOwed = false;
            srttNanos = -1;
            rttvarNanos = 0;
            rtoNanos = TimeUnit.MILLISECONDS.toNanos(config.initialRtoMs());
            lastReceivedNanos = now;
            lastSentNanos = now;
            progressNanos = now;
            session = ++lastSessionId;
            decoder.expectFrames(true);
            lock.notifyAll();
            return session;
        }
    }

    /**
     * Ends session {@code session} if it is the open one; returns whether it was. Senders
     * waiting in {@link #send} return {@link Offer#NO_SESSION}. Frames not acknowledged
     * stay in their slots until {@link #drainUnacknowledged} or the next
     * {@link #openSession}.
     */
    public boolean endSession(long session) {
        synchronized (lock) {
            if (session == 0 || this.session != session) return false;
            this.session = 0;
            decoder.expectFrames(false);
            lock.notifyAll();
            return true;
        }
    }

    /** The id of the open session, 0 when none. */
    public long session() {
        synchronized (lock) {
            return session;
        }
    }

    /** The largest payload {@link #send} accepts in the open session. */
    public int maxPayloadBytes() {
        synchronized (lock) {
            return sendMaxPayload;
        }
    }

    /**
     * Queues a sequenced frame with the remaining bytes of {@code payload} (which it
     * consumes) for session {@code session}, waiting up to {@code timeoutNanos} for room in
     * the window. Never blocks when {@code timeoutNanos <= 0}.
     *
     * @throws IllegalArgumentException if the type is not sequenced or the payload exceeds
     *     {@link #maxPayloadBytes()}
     * @throws InterruptedException if interrupted while waiting; nothing was queued
     */
    public Offer send(long session, FrameType type, int flags, ByteBuffer payload, long timeoutNanos)
            throws InterruptedException {
        if (!type.sequenced()) throw new IllegalArgumentException(type + " is not a sequenced frame type");
        int length = payload.remaining();
        synchronized (lock) {
            long deadline = System.nanoTime() + Math.min(timeoutNanos, TimeUnit.DAYS.toNanos(365));
            while (true) {
                if (closed || session == 0 || this.session != session) return Offer.NO_SESSION;
                if (length > sendMaxPayload) {
                    throw new IllegalArgumentException("payload of " + length + " bytes exceeds this session's limit of "
                            + sendMaxPayload);
                }
                if (((sendNext - sendBase) & 0xFFFF) < sendWindow) break;
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) return Offer.TIMED_OUT;
                waitNanos(remaining);
            }
            int i = slot(sendNext);
            payload.get(sendPayload[i], 0, length);
            sendLength[i] = length;
            sendType[i] = type;
            sendFlags[i] = flags;
            sendState[i] = UNSENT;
            transmissions[i] = 0;
            sendNext = (sendNext + 1) & 0xFFFF;
            lock.notifyAll();
            return Offer.QUEUED;
        }
    }

    /**
     * Queues an unsequenced frame (HELLO or BYE) to go before anything else, once. Returns
     * false when {@value #CONTROL_SLOTS} control frames are already waiting; the caller's
     * retry logic covers that as it covers a lost frame.
     */
    public boolean sendControl(FrameType type, int flags, ByteBuffer payload) {
        if (type.sequenced() || type == FrameType.ACK) {
            throw new IllegalArgumentException(type + " is not a control frame type");
        }
        int length = payload.remaining();
        if (length > Frame.MAX_PAYLOAD_BYTES) throw new IllegalArgumentException("control payload of " + length + " bytes");
        synchronized (lock) {
            if (closed || controlCount == CONTROL_SLOTS) return false;
            int i = (controlHead + controlCount++) % CONTROL_SLOTS;
            payload.get(controlPayload[i], 0, length);
            controlLength[i] = length;
            controlType[i] = type;
            controlFlags[i] = flags;
            lock.notifyAll();
            return true;
        }
    }

    /**
     * Writes bytes as plain text, not framed, between frames. Blocks while the port does.
     *
     * @throws IOException if the port fails
     */
    public void writeText(byte[] bytes, int offset, int length) throws IOException {
        synchronized (outLock) {
            out.write(bytes, offset, length);
            out.flush();
        }
    }

    /**
     * Waits until every frame queued in {@code session} is acknowledged. Returns false on
     * timeout or when the session ended first.
     */
    public boolean awaitAcknowledged(long session, long timeoutNanos) throws InterruptedException {
        synchronized (lock) {
            long deadline = System.nanoTime() + timeoutNanos;
            while (this.session == session && session != 0 && sendBase != sendNext) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) return false;
                waitNanos(remaining);
            }
            return this.session == session && session != 0;
        }
    }

    /**
     * After a session ended, hands the payload of each unacknowledged frame of
     * {@code type} to {@code sink}, oldest first, then forgets all unacknowledged frames.
     * The sink runs under the link's lock and may call {@link #writeText}.
     *
     * @throws IllegalStateException if a session is open
     */
    public void drainUnacknowledged(FrameType type, Consumer<ByteBuffer> sink) {
        synchronized (lock) {
            if (session != 0) throw new IllegalStateException("a session is open; end it before draining");
            for (int s = sendBase; s != sendNext; s = (s + 1) & 0xFFFF) {
                int i = slot(s);
                if (sendType[i] == type) {
                    sink.accept(ByteBuffer.wrap(sendPayload[i], 0, sendLength[i]).asReadOnlyBuffer()
                            .order(ByteOrder.LITTLE_ENDIAN));
                }
            }
            clearSendSlots();
        }
    }

    public Stats stats() {
        return new Stats(framesSent, framesReceived, retransmissionCount, framesRefused, textBytesReceived);
    }

    /**
     * Writes the control frames still queued (for up to a second), stops both threads and
     * closes both streams. The reader ends when its read returns, which closing the input
     * stream causes for pipes and sockets; a jSerialComm port's own stream does not, so the
     * serial ports here hand out a {@code SerialPortInput}, whose close does. The reader is
     * waited for at most a second. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            session = 0;
            lock.notifyAll();
        }
        joinQuietly(writer); // it writes the control frames still queued (a BYE), then ends
        closeStreams();
        joinQuietly(reader);
    }

    // ------------------------------------------------------------------ reader

    private void readLoop() {
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        String end;
        try {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    end = "the port reached its end (cable out or device closed)";
                    break;
                }
                decoder.feed(buffer, 0, n, System.nanoTime());
            }
        } catch (IOException e) {
            end = "reading the port failed: " + e.getMessage();
        } catch (RuntimeException | Error e) {
            fail("the link's reader stopped on a bug: " + e); // the link is dead: say so, then let it surface
            throw e;
        }
        decoder.releaseHeld();
        fail(end);
    }

    /** Decoder callbacks, on the reader thread. */
    private final class Decoded implements FrameDecoder.Listener {
        @Override
        public void onFrame(Frame frame) {
            framesReceived++;
            FrameType type = frame.type();
            long open;
            synchronized (lock) {
                open = session;
                if (open != 0) {
                    lastReceivedNanos = System.nanoTime();
                    if (type != FrameType.HELLO && type != FrameType.BYE) takeAcknowledgement(frame);
                }
            }
            if (type == FrameType.HELLO || type == FrameType.BYE) {
                listener.onControl(frame);
            } else if (type == FrameType.ACK) {
                return;
            } else if (open == 0) {
                listener.onControl(frame);
            } else {
                receiveSequenced(frame, open);
            }
        }

        @Override
        public void onText(byte[] bytes, int offset, int length) {
            textBytesReceived += length;
            listener.onText(bytes, offset, length);
        }

        @Override
        public void onRefused(FrameDecoder.Refusal reason) {
            framesRefused++;
            synchronized (lock) {
                if (session != 0) lastReceivedNanos = System.nanoTime();
            }
        }
    }

    /** Reader thread: delivers in order, holds early frames, then publishes what to acknowledge. */
    private void receiveSequenced(Frame frame, long open) {
        if (receiveSession != open) {
            receiveSession = open;
            receiveNext = 0;
            java.util.Arrays.fill(held, false);
        }
        int distance = (frame.seq() - receiveNext) & 0xFFFF;
        if (distance == 0) {
            listener.onFrame(frame);
            receiveNext = (receiveNext + 1) & 0xFFFF;
            int i;
            while (held[i = slot(receiveNext)] && heldSeq[i] == receiveNext) {
                held[i] = false;
                listener.onFrame(heldFrame[i]);
                receiveNext = (receiveNext + 1) & 0xFFFF;
            }
        } else if (distance < config.receiveWindow()) {
            int i = slot(frame.seq());
            if (!held[i]) {
                System.arraycopy(frame.body(), 0, heldBody[i], 0, frame.bodyLength());
                heldFrame[i].setBodyLength(frame.bodyLength());
                heldSeq[i] = frame.seq();
                held[i] = true;
            }
        } // else: a duplicate, or beyond the window; it still earns an acknowledgement
        int bits = 0;
        for (int k = 0; k < Frame.MAX_WINDOW - 1; k++) {
            int seq = (receiveNext + 1 + k) & 0xFFFF;
            int i = slot(seq);
            if (held[i] && heldSeq[i] == seq) bits |= 1 << k;
        }
        synchronized (lock) {
            if (session == open) {
                ackNext = receiveNext;
                heldBits = bits;
                ackOwed = true;
                lock.notifyAll();
            }
        }
    }

    /** Under lock: frees what the peer acknowledged and marks what it reveals as lost. */
    private void takeAcknowledgement(Frame frame) {
        long now = System.nanoTime();
        int ack = frame.ack();
        int advance = (ack - sendBase) & 0xFFFF;
        if (advance > ((sendCursor - sendBase) & 0xFFFF)) return; // stale or nonsense
        // Round trip: the freshest frame this acknowledgement reports for the first time, sent
        // only once (Karn). A frame the peer already reported as held waited there for an
        // earlier hole; its time would measure the repair, not the line.
        long sample = Long.MAX_VALUE;
        while (sendBase != ack) {
            int i = slot(sendBase);
            if (sendState[i] != HELD_BY_PEER && transmissions[i] == 1) sample = Math.min(sample, now - sentAtNanos[i]);
            highestReportedOrder = Math.max(highestReportedOrder, sendOrder[i]);
            sendState[i] = FREE;
            sendBase = (sendBase + 1) & 0xFFFF;
        }
        if (frame.type() == FrameType.ACK && frame.payloadLength() >= 4) {
            int bits = frame.payload().getInt();
            for (int k = 0; bits != 0 && k < Frame.MAX_WINDOW - 1; k++, bits >>>= 1) {
                if ((bits & 1) == 0) continue;
                int seq = (ack + 1 + k) & 0xFFFF;
                if (((seq - sendBase) & 0xFFFF) >= ((sendCursor - sendBase) & 0xFFFF)) break;
                int i = slot(seq);
                if (sendState[i] == IN_FLIGHT || sendState[i] == LOST) {
                    if (transmissions[i] == 1) sample = Math.min(sample, now - sentAtNanos[i]);
                    sendState[i] = HELD_BY_PEER;
                    progressNanos = now;
                    highestReportedOrder = Math.max(highestReportedOrder, sendOrder[i]);
                }
            }
        }
        for (int s = sendBase; s != sendCursor; s = (s + 1) & 0xFFFF) {
            int i = slot(s);
            if (sendState[i] == IN_FLIGHT && sendOrder[i] < highestReportedOrder) sendState[i] = LOST;
        }
        if (sample != Long.MAX_VALUE) {
            sampleRoundTrip(sample);
        } else if (advance > 0) {
            rtoNanos = estimatedRto(); // progress ends the backoff even when Karn's rule gave no sample
        }
        if (advance > 0) {
            progressNanos = now;
            lock.notifyAll();
        }
    }

    /** Under lock: the timeout the round trip estimate gives, before any backoff. */
    private long estimatedRto() {
        return srttNanos < 0 ? TimeUnit.MILLISECONDS.toNanos(config.initialRtoMs())
                : clampRto(srttNanos + 4 * rttvarNanos);
    }

    private void sampleRoundTrip(long rttNanos) {
        if (srttNanos < 0) {
            srttNanos = rttNanos;
            rttvarNanos = rttNanos / 2;
        } else {
            rttvarNanos = (3 * rttvarNanos + Math.abs(srttNanos - rttNanos)) / 4;
            srttNanos = (7 * srttNanos + rttNanos) / 8;
        }
        rtoNanos = estimatedRto();
    }

    private long clampRto(long nanos) {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(config.minRtoMs()),
                Math.min(TimeUnit.MILLISECONDS.toNanos(config.maxRtoMs()), nanos));
    }

    // ------------------------------------------------------------------ writer

    private void writeLoop() {
        try {
            while (true) {
                int n;
                String lost;
                long lostSession = 0;
                synchronized (lock) {
                    while (true) {
                        if (closed && controlCount == 0) return;
                        long now = System.nanoTime();
                        lostSession = session;
                        lost = expireTimers(now);
                        if (lost != null) {
                            n = 0;
                            break;
                        }
                        n = prepareNext(now);
                        if (n > 0) break;
                        waitNanos(nextDeadline(now) - now);
                    }
                }
                if (lost != null) {
                    listener.onSessionLost(lostSession, lost);
                    continue;
                }
                synchronized (outLock) {
                    out.write(wire, 0, n);
                    out.flush();
                }
                framesSent++;
            }
        } catch (IOException e) {
            fail("writing to the port failed: " + e.getMessage());
        } catch (InterruptedException e) {
            fail("the link's writer was interrupted");
        }
    }

    /** Under lock: ends the session when the peer is silent or not acknowledging; returns why, or null. */
    private String expireTimers(long now) {
        if (session == 0) return null;
        if (now - lastReceivedNanos >= idleTimeoutNanos) {
            session = 0;
            decoder.expectFrames(false);
            lock.notifyAll();
            return "no frame from the peer for " + TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos) + " ms, not even a damaged one";
        }
        boolean expired = false;
        int oldest = oldestInFlight();
        if (oldest >= 0 && now - timerStart(slot(oldest)) >= rtoNanos) {
            sendState[slot(oldest)] = LOST;
            expired = true;
        }
        for (int s = sendBase; s != sendCursor; s = (s + 1) & 0xFFFF) {
            int i = slot(s);
            if (sendState[i] == LOST && transmissions[i] >= config.maxTransmissions()) {
                session = 0;
                decoder.expectFrames(false);
                lock.notifyAll();
                return "the peer did not acknowledge frame " + s + " (" + sendType[i] + ") after "
                        + transmissions[i] + " transmissions";
            }
        }
        if (expired) rtoNanos = clampRto(rtoNanos * 2);
        return null;
    }

    /** Under lock: the oldest seq in flight (transmitted, neither reported nor marked lost), or -1. */
    private int oldestInFlight() {
        for (int s = sendBase; s != sendCursor; s = (s + 1) & 0xFFFF) {
            if (sendState[slot(s)] == IN_FLIGHT) return s;
        }
        return -1;
    }

    /**
     * Under lock: when the retransmission timer of the frame in slot {@code i} started. One
     * timer runs, for the oldest frame in flight, restarted whenever the peer reports
     * progress (RFC 6298 §5.3). A frame's own transmission time is when it was written to
     * the port, not when it went on the line: behind a full window it may wait in the
     * port's buffer for the whole window's time (1.45 s at 115200 baud), and timing each
     * frame from its write made every frame of the first window after a short first round
     * trip expire spuriously. While the peer keeps reporting frames, the line is alive and
     * the oldest frame is merely queued; losses inside the window are found by transmission
     * order, without the timer.
     */
    private long timerStart(int i) {
        return sentAtNanos[i] - progressNanos > 0 ? sentAtNanos[i] : progressNanos;
    }

    /** Under lock: encodes the next frame to write into {@link #wire}; returns its length, or 0 when there is none. */
    private int prepareNext(long now) {
        if (controlCount > 0) {
            int i = controlHead;
            controlHead = (controlHead + 1) % CONTROL_SLOTS;
            controlCount--;
            lastSentNanos = now;
            return encoder.encode(controlType[i], controlFlags[i], 0, 0, controlPayload[i], 0, controlLength[i], wire, 0);
        }
        if (session == 0) return 0;
        if (ackOwed && heldBits != 0) return prepareAck(now);
        int pick = -1;
        for (int s = sendBase; s != sendCursor; s = (s + 1) & 0xFFFF) {
            if (sendState[slot(s)] == LOST) {
                pick = s;
                break;
            }
        }
        if (pick < 0 && sendCursor != sendNext) {
            pick = sendCursor;
            sendCursor = (sendCursor + 1) & 0xFFFF;
        }
        if (pick >= 0) {
            int i = slot(pick);
            if (transmissions[i] > 0) retransmissionCount++;
            transmissions[i]++;
            sendState[i] = IN_FLIGHT;
            sentAtNanos[i] = now;
            sendOrder[i] = ++transmissionCount;
            ackOwed = false; // heldBits == 0 here, so the header's ack says everything
            lastSentNanos = now;
            return encoder.encode(sendType[i], sendFlags[i], pick, ackNext, sendPayload[i], 0, sendLength[i], wire, 0);
        }
        if (ackOwed || now - lastSentNanos >= keepaliveNanos) return prepareAck(now);
        return 0;
    }

    private int prepareAck(long now) {
        Frame.putS32(ackPayload, 0, heldBits);
        ackOwed = false;
        lastSentNanos = now;
        return encoder.encode(FrameType.ACK, 0, 0, ackNext, ackPayload, 0, 4, wire, 0);
    }

    /** Under lock: when the writer must look again even if nobody notifies it. */
    private long nextDeadline(long now) {
        if (session == 0) return now + Long.MAX_VALUE / 2;
        long deadline = Math.min(lastReceivedNanos + idleTimeoutNanos, lastSentNanos + keepaliveNanos);
        int oldest = oldestInFlight();
        if (oldest >= 0) deadline = Math.min(deadline, timerStart(slot(oldest)) + rtoNanos);
        return deadline;
    }

    // ------------------------------------------------------------------ helpers

    private static int slot(int seq) {
        return seq & (Frame.MAX_WINDOW - 1);
    }

    /** Under lock. */
    private void clearSendSlots() {
        java.util.Arrays.fill(sendState, FREE);
        sendBase = 0;
        sendCursor = 0;
        sendNext = 0;
        transmissionCount = 0;
        highestReportedOrder = 0;
    }

    /** Under lock: parks on the lock for up to {@code nanos}; allocation-free. */
    private void waitNanos(long nanos) throws InterruptedException {
        if (nanos <= 0) return;
        long ms = nanos / 1_000_000;
        int ns = (int) (nanos % 1_000_000);
        lock.wait(ms, ns);
    }

    private void fail(String reason) {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            session = 0;
            lock.notifyAll();
        }
        closeStreams();
        listener.onClosed(reason);
    }

    private void closeStreams() {
        // Closing is how the blocked reader is released; an error closing a port that is
        // already gone tells nobody anything they can act on, so it is not reported.
        try {
            in.close();
        } catch (IOException ignored) {
            // see above
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // see above
        }
    }

    private static void joinQuietly(Thread t) {
        if (t == Thread.currentThread() || t.getState() == Thread.State.NEW) return;
        try {
            t.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Link[" + name + "]";
    }
}
