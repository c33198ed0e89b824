package io.pirt.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The send side of a {@link Link}'s session: the window of sequenced frames not yet
 * acknowledged, what the peer's acknowledgements say of them, and the retransmission timer.
 *
 * <p>Implementation notes. A ring of {@link Frame#MAX_WINDOW} slots indexed by
 * {@code seq % MAX_WINDOW}; slots {@code [base, next)} hold frames not yet acknowledged,
 * {@code [base, cursor)} of them transmitted at least once. Every transmission gets a number
 * ({@code order}). Because the line never reorders, a frame transmitted before one the peer
 * reports as received, and not itself reported, is lost; it is marked LOST and retransmitted
 * at once. A timer (RTO, Jacobson/Karels with Karn's rule, doubled per expiry, back to the
 * estimate when the cumulative acknowledgement advances; one timer, for the oldest frame in
 * flight, restarted whenever the peer reports progress) catches losses at the end of a burst.
 * Frames wait in fixed slots: nothing here allocates in steady state.
 *
 * <p>Not thread-safe: all state is guarded by the link's lock, which every caller holds.
 */
final class SendWindow {
    private static final byte FREE = 0, UNSENT = 1, IN_FLIGHT = 2, LOST = 3, HELD_BY_PEER = 4;

    private final Link.Config config;

    // ---- the slots, indexed by slot(seq); meaningful for seqs in [base, next) ----
    /** Fixed slots of the link's largest payload ({@link Link.Config#maxPayloadBytes()}). */
    private final byte[][] payload;
    private final int[] length = new int[Frame.MAX_WINDOW];
    private final FrameType[] type = new FrameType[Frame.MAX_WINDOW];
    private final int[] flags = new int[Frame.MAX_WINDOW];
    /** FREE, UNSENT, IN_FLIGHT, LOST (retransmit now) or HELD_BY_PEER (reported in the peer's held bits). */
    private final byte[] state = new byte[Frame.MAX_WINDOW];
    private final long[] sentAtNanos = new long[Frame.MAX_WINDOW];
    /** Transmission number of the slot's latest transmission. */
    private final long[] order = new long[Frame.MAX_WINDOW];
    private final int[] transmissions = new int[Frame.MAX_WINDOW];

    /** Oldest unacknowledged seq. */
    private int base;
    /** First seq never transmitted; base <= cursor <= next (mod 2^16). */
    private int cursor;
    /** Next seq to assign; next - base <= window. */
    private int next;
    /** Frames in flight at most, 1..MAX_WINDOW: the smaller of both sides' windows. */
    private int window = 1;
    private int maxPayloadBytes = Frame.MIN_PAYLOAD_LIMIT_BYTES;
    /** Counts transmissions; the order of the latest one. */
    private long transmissionCount;
    /** Highest order among transmissions the peer reported as received; <= transmissionCount. */
    private long highestReportedOrder;

    // ---- the retransmission timer ----
    /** Smoothed round trip and its variation; srttNanos < 0 until the first sample. */
    private long srttNanos = -1;
    private long rttvarNanos;
    /** The timeout now, backoff included; within [minRtoMs, maxRtoMs]. */
    private long rtoNanos;
    /**
     * When the peer last reported a frame for the first time (cumulative ack advanced, or a
     * new held bit), or the session opened. The timer of the oldest frame in flight runs from
     * the later of this and its own transmission.
     */
    private long progressNanos;

    /** Transmissions of sequenced frames after their first; written under the lock, read without it. */
    private volatile long retransmissions;

    SendWindow(Link.Config config) {
        this.config = config;
        this.payload = new byte[Frame.MAX_WINDOW][config.maxPayloadBytes()];
        this.rtoNanos = TimeUnit.MILLISECONDS.toNanos(config.initialRtoMs());
    }

    /** For a new session: empty, sequence numbers from 0, the round trip not yet measured. */
    void reset(int window, int maxPayloadBytes, long now) {
        clear();
        this.window = window;
        this.maxPayloadBytes = maxPayloadBytes;
        srttNanos = -1;
        rttvarNanos = 0;
        rtoNanos = TimeUnit.MILLISECONDS.toNanos(config.initialRtoMs());
        progressNanos = now;
    }

    /** Forgets every frame; sequence numbers restart at 0. */
    void clear() {
        Arrays.fill(state, FREE);
        base = 0;
        cursor = 0;
        next = 0;
        transmissionCount = 0;
        highestReportedOrder = 0;
    }

    int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** Whether the window holds as many unacknowledged frames as it may. */
    boolean isFull() {
        return ((next - base) & 0xFFFF) >= window;
    }

    /** Whether every frame added has been acknowledged. */
    boolean allAcknowledged() {
        return base == next;
    }

    /** Adds a frame with the remaining bytes of {@code bytes} (at most maxPayloadBytes); the window is not full. */
    void add(FrameType frameType, int frameFlags, ByteBuffer bytes) {
        int i = slot(next);
        int n = bytes.remaining();
        bytes.get(payload[i], 0, n);
        length[i] = n;
        type[i] = frameType;
        flags[i] = frameFlags;
        state[i] = UNSENT;
        transmissions[i] = 0;
        next = (next + 1) & 0xFFFF;
    }

    /** Hands the payload of each unacknowledged frame of {@code frameType} to {@code sink}, oldest first, then {@link #clear}s. */
    void drain(FrameType frameType, Consumer<ByteBuffer> sink) {
        for (int s = base; s != next; s = (s + 1) & 0xFFFF) {
            int i = slot(s);
            if (type[i] == frameType) {
                sink.accept(ByteBuffer.wrap(payload[i], 0, length[i]).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
            }
        }
        clear();
    }

    /**
     * Takes what {@code frame}'s acknowledgement says: frees what the peer acknowledged and
     * marks what it reveals as lost.
     *
     * @return whether the cumulative acknowledgement advanced (room opened in the window)
     */
    boolean takeAcknowledgement(Frame frame, long now) {
        int ack = frame.ack();
        int advance = (ack - base) & 0xFFFF;
        if (advance > ((cursor - base) & 0xFFFF)) return false; // stale or nonsense
        // Round trip: the freshest frame this acknowledgement reports for the first time, sent
        // only once (Karn). A frame the peer already reported as held waited there for an
        // earlier hole; its time would measure the repair, not the line.
        long sample = Long.MAX_VALUE;
        while (base != ack) {
            int i = slot(base);
            if (state[i] != HELD_BY_PEER && transmissions[i] == 1) sample = Math.min(sample, now - sentAtNanos[i]);
            highestReportedOrder = Math.max(highestReportedOrder, order[i]);
            state[i] = FREE;
            base = (base + 1) & 0xFFFF;
        }
        if (frame.type() == FrameType.ACK && frame.payloadLength() >= 4) {
            int bits = frame.payload().getInt();
            for (int k = 0; bits != 0 && k < Frame.MAX_WINDOW - 1; k++, bits >>>= 1) {
                if ((bits & 1) == 0) continue;
                int seq = (ack + 1 + k) & 0xFFFF;
                if (((seq - base) & 0xFFFF) >= ((cursor - base) & 0xFFFF)) break;
                int i = slot(seq);
                if (state[i] == IN_FLIGHT || state[i] == LOST) {
                    if (transmissions[i] == 1) sample = Math.min(sample, now - sentAtNanos[i]);
                    state[i] = HELD_BY_PEER;
                    progressNanos = now;
                    highestReportedOrder = Math.max(highestReportedOrder, order[i]);
                }
            }
        }
        for (int s = base; s != cursor; s = (s + 1) & 0xFFFF) {
            int i = slot(s);
            if (state[i] == IN_FLIGHT && order[i] < highestReportedOrder) state[i] = LOST;
        }
        if (sample != Long.MAX_VALUE) {
            sampleRoundTrip(sample);
        } else if (advance > 0) {
            rtoNanos = estimatedRto(); // progress ends the backoff even when Karn's rule gave no sample
        }
        if (advance > 0) progressNanos = now;
        return advance > 0;
    }

    /**
     * Runs the retransmission timer: when it expired, the oldest frame in flight is marked
     * lost and the timeout doubles.
     *
     * @return why the session must end (a lost frame reached {@code maxTransmissions}), or null
     */
    String expire(long now) {
        boolean expired = false;
        int oldest = oldestInFlight();
        if (oldest >= 0 && now - timerStart(slot(oldest)) >= rtoNanos) {
            state[slot(oldest)] = LOST;
            expired = true;
        }
        for (int s = base; s != cursor; s = (s + 1) & 0xFFFF) {
            int i = slot(s);
            if (state[i] == LOST && transmissions[i] >= config.maxTransmissions()) {
                return "the peer did not acknowledge frame " + s + " (" + type[i] + ") after " + transmissions[i]
                        + " transmissions";
            }
        }
        if (expired) rtoNanos = clampRto(rtoNanos * 2);
        return null;
    }

    /**
     * Encodes into {@code wire} the next frame to transmit, a lost one first, else one never
     * transmitted, carrying {@code ack} in its header.
     *
     * @return its length, or 0 when no frame is waiting
     */
    int transmitNext(long now, int ack, FrameEncoder encoder, byte[] wire) {
        int pick = -1;
        for (int s = base; s != cursor; s = (s + 1) & 0xFFFF) {
            if (state[slot(s)] == LOST) {
                pick = s;
                break;
            }
        }
        if (pick < 0 && cursor != next) {
            pick = cursor;
            cursor = (cursor + 1) & 0xFFFF;
        }
        if (pick < 0) return 0;
        int i = slot(pick);
        if (transmissions[i] > 0) retransmissions++;
        transmissions[i]++;
        state[i] = IN_FLIGHT;
        sentAtNanos[i] = now;
        order[i] = ++transmissionCount;
        return encoder.encode(type[i], flags[i], pick, ack, payload[i], 0, length[i], wire, 0);
    }

    /** The earlier of {@code otherwise} and when the retransmission timer expires (if a frame is in flight). */
    long retransmitDeadline(long otherwise) {
        int oldest = oldestInFlight();
        return oldest < 0 ? otherwise : Math.min(otherwise, timerStart(slot(oldest)) + rtoNanos);
    }

    /** Transmissions of sequenced frames after their first, since the link started. Any thread. */
    long retransmissions() {
        return retransmissions;
    }

    /** The oldest seq in flight (transmitted, neither reported nor marked lost), or -1. */
    private int oldestInFlight() {
        for (int s = base; s != cursor; s = (s + 1) & 0xFFFF) {
            if (state[slot(s)] == IN_FLIGHT) return s;
        }
        return -1;
    }

    /**
     * When the retransmission timer of the frame in slot {@code i} started. One timer runs,
     * for the oldest frame in flight, restarted whenever the peer reports progress (RFC 6298
     * §5.3). A frame's own transmission time is when it was written to the port, not when it
     * went on the line: behind a full window it may wait in the port's buffer for the whole
     * window's time (1.45 s at 115200 baud), and timing each frame from its write made every
     * frame of the first window after a short first round trip expire spuriously. While the
     * peer keeps reporting frames, the line is alive and the oldest frame is merely queued;
     * losses inside the window are found by transmission order, without the timer.
     */
    private long timerStart(int i) {
        return sentAtNanos[i] - progressNanos > 0 ? sentAtNanos[i] : progressNanos;
    }

    /** The timeout the round trip estimate gives, before any backoff. */
    private long estimatedRto() {
        return srttNanos < 0 ? TimeUnit.MILLISECONDS.toNanos(config.initialRtoMs()) : clampRto(srttNanos + 4 * rttvarNanos);
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

    static int slot(int seq) {
        return seq & (Frame.MAX_WINDOW - 1);
    }
}
