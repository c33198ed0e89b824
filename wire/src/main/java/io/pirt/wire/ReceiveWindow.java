package io.pirt.wire;

import java.util.Arrays;

/**
 * The receive side of a {@link Link}'s session: delivers sequenced frames to the listener
 * exactly once and in order, holds frames that arrive early (up to the receive window), and
 * says what to acknowledge: the next seq expected and which later ones it holds (selective
 * acknowledgement bits, docs/protocol.md §4).
 *
 * <p>A ring of {@link Frame#MAX_WINDOW} slots indexed by {@code seq % MAX_WINDOW}, each with
 * a body buffer of its own, so holding a frame copies it and allocates nothing.
 *
 * <p>Confined to the link's reader thread: no lock guards its state. The link publishes
 * {@link #next()} and {@link #heldBits()} to the writer, under its lock, after
 * {@link #receive} returns, so a frame is acknowledged only once the listener has taken it.
 */
final class ReceiveWindow {
    /** Frames held out of order at most: seqs in [next, next + size) are taken, the rest only acknowledged. */
    private final int size;
    private final Link.Listener listener;
    private final byte[][] heldBody;
    private final Frame[] heldFrame = new Frame[Frame.MAX_WINDOW];
    /** held[slot(s)] with heldSeq[slot(s)] == s: frame s arrived early and waits in that slot. */
    private final boolean[] held = new boolean[Frame.MAX_WINDOW];
    private final int[] heldSeq = new int[Frame.MAX_WINDOW];
    /** Session the state belongs to; reset when a frame of another one arrives. */
    private long session;
    /** Next seq to deliver. */
    private int next;

    ReceiveWindow(int size, int maxPayloadBytes, Link.Listener listener) {
        this.size = size;
        this.heldBody = new byte[Frame.MAX_WINDOW][Frame.maxBodyBytes(maxPayloadBytes)];
        this.listener = listener;
        for (int i = 0; i < Frame.MAX_WINDOW; i++) heldFrame[i] = new Frame(heldBody[i]);
    }

    /**
     * Takes sequenced {@code frame} of session {@code frameSession}: delivers it and the held
     * frames that follow it if it is the next, holds it if it is early and within the window,
     * ignores it otherwise (a duplicate, or beyond the window; it still earns an
     * acknowledgement).
     */
    void receive(Frame frame, long frameSession) {
        if (session != frameSession) {
            session = frameSession;
            next = 0;
            Arrays.fill(held, false);
        }
        int distance = (frame.seq() - next) & 0xFFFF;
        if (distance == 0) {
            listener.onFrame(frame);
            next = (next + 1) & 0xFFFF;
            int i;
            while (held[i = SendWindow.slot(next)] && heldSeq[i] == next) {
                held[i] = false;
                listener.onFrame(heldFrame[i]);
                next = (next + 1) & 0xFFFF;
            }
        } else if (distance < size) {
            int i = SendWindow.slot(frame.seq());
            if (!held[i]) {
                System.arraycopy(frame.body(), 0, heldBody[i], 0, frame.bodyLength());
                heldFrame[i].setBodyLength(frame.bodyLength());
                heldSeq[i] = frame.seq();
                held[i] = true;
            }
        }
    }

    /** The next seq to deliver: the cumulative acknowledgement. */
    int next() {
        return next;
    }

    /** Bit k set: frame {@code next + 1 + k} is held. */
    int heldBits() {
        int bits = 0;
        for (int k = 0; k < Frame.MAX_WINDOW - 1; k++) {
            int seq = (next + 1 + k) & 0xFFFF;
            int i = SendWindow.slot(seq);
            if (held[i] && heldSeq[i] == seq) bits |= 1 << k;
        }
        return bits;
    }
}
