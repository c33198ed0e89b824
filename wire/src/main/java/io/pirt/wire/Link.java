package io.pirt.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
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
 * <p>Implementation notes. The link is three parts, each with its invariants where its state
 * lives: {@link SendWindow} (the frames not yet acknowledged and the retransmission timer),
 * {@link ReceiveWindow} (in-order delivery, early frames held, selective acknowledgement bits)
 * and {@link Session} (the open session, the acknowledgement owed, idle timeout and
 * keepalive); this class runs the two threads and the control queue. The receive window is
 * confined to the reader thread and publishes what to acknowledge into the session under the
 * lock after delivering, so a frame is acknowledged only once the listener has taken it. One
 * monitor ({@code lock}) guards the send window, the session, the control queue and
 * {@code closed}; a second ({@code outLock}) keeps whole frames and text writes from
 * interleaving on the output. Order of locking: {@code lock} before {@code outLock}, never
 * the reverse.
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
     * @param maxPayloadBytes    largest payload the link can carry either way, which sizes its fixed slots:
     *                           {@link Frame#MAX_PAYLOAD_BYTES} (a serial line's), or up to
     *                           {@link Frame#MAX_STREAM_PAYLOAD_BYTES} on a reliable byte stream ({@link #forStream()})
     */
    public record Config(int receiveWindow, long initialRtoMs, long minRtoMs, long maxRtoMs, int maxTransmissions,
                         int maxPayloadBytes) {
        /** A link of a serial line's payloads, {@link Frame#MAX_PAYLOAD_BYTES}. */
        public Config(int receiveWindow, long initialRtoMs, long minRtoMs, long maxRtoMs, int maxTransmissions) {
            this(receiveWindow, initialRtoMs, minRtoMs, maxRtoMs, maxTransmissions, Frame.MAX_PAYLOAD_BYTES);
        }

        public Config {
            if (maxPayloadBytes < Frame.MAX_PAYLOAD_BYTES || maxPayloadBytes > Frame.MAX_STREAM_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("maxPayloadBytes " + maxPayloadBytes + " not in " + Frame.MAX_PAYLOAD_BYTES
                        + ".." + Frame.MAX_STREAM_PAYLOAD_BYTES);
            }
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

        /**
         * This configuration on a reliable byte stream (a Unix socket, an SSH channel): slots
         * for {@link Frame#MAX_STREAM_PAYLOAD_BYTES} and the full window of 32. A session uses
         * that size only when both sides set {@link Hello#STREAM} (docs/protocol.md §5.1).
         */
        public Config forStream() {
            return new Config(Frame.MAX_WINDOW, initialRtoMs, minRtoMs, maxRtoMs, maxTransmissions, Frame.MAX_STREAM_PAYLOAD_BYTES);
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

        /**
         * The port failed or reached its end, or the reader or writer thread stopped on a bug
         * (an unexpected exception or {@link Error}, named in {@code reason}); the link is
         * closed. On the thread that found it; not called after {@link #close()}.
         */
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

    /** The frames not yet acknowledged, and the retransmission timer. Guarded by lock. */
    private final SendWindow sending;
    /** The open session, the acknowledgement owed, the idle and keepalive timers. Guarded by lock. */
    private final Session sessions = new Session();

    // ---- control frames waiting to go, guarded by lock ----
    private final byte[][] controlPayload;
    private final int[] controlLength = new int[CONTROL_SLOTS];
    private final FrameType[] controlType = new FrameType[CONTROL_SLOTS];
    private final int[] controlFlags = new int[CONTROL_SLOTS];
    private int controlHead;
    private int controlCount;

    /** Set once, by close() or a failure; then send() says NO_SESSION and the writer ends once no control frame waits. Guarded by lock. */
    private boolean closed;

    // ---- reader thread only ----
    private final ReceiveWindow receiving;
    private final FrameDecoder decoder;

    // ---- writer thread only ----
    private final FrameEncoder encoder;
    private final byte[] wire;
    private final byte[] ackPayload = new byte[4];

    // ---- counters, each written by one thread only ----
    private volatile long framesSent;
    private volatile long framesReceived;
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
        this.sending = new SendWindow(config);
        this.receiving = new ReceiveWindow(config.receiveWindow(), config.maxPayloadBytes(), listener);
        this.decoder = new FrameDecoder(new Decoded(), config.maxPayloadBytes());
        this.encoder = new FrameEncoder(config.maxPayloadBytes());
        this.wire = new byte[Frame.maxWireBytes(config.maxPayloadBytes())];
        this.controlPayload = new byte[CONTROL_SLOTS][Frame.MAX_PAYLOAD_BYTES];
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

    /** The largest payload this link can carry ({@link Config#maxPayloadBytes()}): what its side may announce. */
    public int capacityPayloadBytes() {
        return config.maxPayloadBytes();
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
     * @param maxPayloadBytes     largest payload to send: the smaller of both limits, at most this link's
     *                            {@link #capacityPayloadBytes()}
     * @param idleTimeoutMs       end the session when no valid frame arrived for this long
     * @param keepaliveIntervalMs send an ACK when nothing was sent for this long
     */
    public long openSession(int sendWindow, int maxPayloadBytes, long idleTimeoutMs, long keepaliveIntervalMs) {
        if (sendWindow < 1 || sendWindow > Frame.MAX_WINDOW) {
            throw new IllegalArgumentException("sendWindow " + sendWindow + " not in 1.." + Frame.MAX_WINDOW);
        }
        if (maxPayloadBytes < Frame.MIN_PAYLOAD_LIMIT_BYTES || maxPayloadBytes > config.maxPayloadBytes()) {
            throw new IllegalArgumentException("maxPayloadBytes " + maxPayloadBytes + " not in "
                    + Frame.MIN_PAYLOAD_LIMIT_BYTES + ".." + config.maxPayloadBytes());
        }
        if (idleTimeoutMs < 1 || keepaliveIntervalMs < 1) throw new IllegalArgumentException("timeouts must be positive");
        synchronized (lock) {
            long now = System.nanoTime();
            sending.reset(sendWindow, maxPayloadBytes, now);
            long id = sessions.open(idleTimeoutMs, keepaliveIntervalMs, now);
            decoder.expectFrames(true);
            lock.notifyAll();
            return id;
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
            if (!sessions.is(session)) return false;
            endOpenSession();
            return true;
        }
    }

    /** The id of the open session, 0 when none. */
    public long session() {
        synchronized (lock) {
            return sessions.id();
        }
    }

    /** The largest payload {@link #send} accepts in the open session. */
    public int maxPayloadBytes() {
        synchronized (lock) {
            return sending.maxPayloadBytes();
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
                if (closed || !sessions.is(session)) return Offer.NO_SESSION;
                if (length > sending.maxPayloadBytes()) {
                    throw new IllegalArgumentException("payload of " + length + " bytes exceeds this session's limit of "
                            + sending.maxPayloadBytes());
                }
                if (!sending.isFull()) break;
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) return Offer.TIMED_OUT;
                waitNanos(remaining);
            }
            sending.add(type, flags, payload);
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
            while (sessions.is(session) && !sending.allAcknowledged()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) return false;
                waitNanos(remaining);
            }
            return sessions.is(session);
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
            if (sessions.isOpen()) throw new IllegalStateException("a session is open; end it before draining");
            sending.drain(type, sink);
        }
    }

    public Stats stats() {
        return new Stats(framesSent, framesReceived, sending.retransmissions(), framesRefused, textBytesReceived);
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
            sessions.end();
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
                open = sessions.id();
                if (open != 0) {
                    long now = System.nanoTime();
                    sessions.heard(now);
                    if (type != FrameType.HELLO && type != FrameType.BYE && sending.takeAcknowledgement(frame, now)) {
                        lock.notifyAll(); // room in the window, or all acknowledged
                    }
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
                if (sessions.isOpen()) sessions.heard(System.nanoTime());
            }
        }
    }

    /** Reader thread: delivers in order, holds early frames, then publishes what to acknowledge. */
    private void receiveSequenced(Frame frame, long open) {
        receiving.receive(frame, open);
        int next = receiving.next();
        int bits = receiving.heldBits();
        synchronized (lock) {
            if (sessions.is(open)) {
                sessions.owe(next, bits);
                lock.notifyAll();
            }
        }
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
                        lostSession = sessions.id();
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
        } catch (RuntimeException | Error e) {
            fail("the link's writer stopped on a bug: " + e); // the link is dead: say so, then let it surface
            throw e;
        }
    }

    /** Under lock: ends the session when the peer is silent or not acknowledging; returns why, or null. */
    private String expireTimers(long now) {
        if (!sessions.isOpen()) return null;
        String reason = sessions.silent(now) ? sessions.silenceReason() : sending.expire(now);
        if (reason != null) endOpenSession();
        return reason;
    }

    /** Under lock: no session is open any more; senders and waiters are woken. */
    private void endOpenSession() {
        sessions.end();
        decoder.expectFrames(false);
        lock.notifyAll();
    }

    /** Under lock: encodes the next frame to write into {@link #wire}; returns its length, or 0 when there is none. */
    private int prepareNext(long now) {
        if (controlCount > 0) {
            int i = controlHead;
            controlHead = (controlHead + 1) % CONTROL_SLOTS;
            controlCount--;
            sessions.sent(now, false);
            return encoder.encode(controlType[i], controlFlags[i], 0, 0, controlPayload[i], 0, controlLength[i], wire, 0);
        }
        if (!sessions.isOpen()) return 0;
        if (sessions.ackOwed() && sessions.heldBits() != 0) return prepareAck(now);
        int n = sending.transmitNext(now, sessions.ackNext(), encoder, wire);
        if (n > 0) {
            sessions.sent(now, true); // heldBits == 0 here, so the header's ack says everything
            return n;
        }
        if (sessions.ackOwed() || sessions.keepaliveDue(now)) return prepareAck(now);
        return 0;
    }

    private int prepareAck(long now) {
        Frame.putS32(ackPayload, 0, sessions.heldBits());
        sessions.sent(now, true);
        return encoder.encode(FrameType.ACK, 0, 0, sessions.ackNext(), ackPayload, 0, 4, wire, 0);
    }

    /** Under lock: when the writer must look again even if nobody notifies it. */
    private long nextDeadline(long now) {
        if (!sessions.isOpen()) return now + Long.MAX_VALUE / 2;
        return sending.retransmitDeadline(sessions.deadline());
    }

    // ------------------------------------------------------------------ helpers

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
            sessions.end();
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
