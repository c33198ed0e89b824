package io.pirt.wire;

import java.util.concurrent.TimeUnit;

/**
 * The session part of a {@link Link}: which session is open, the acknowledgement owed to the
 * peer, and the two timers that keep a session alive or end it: the idle timeout (the peer
 * has gone silent) and the keepalive (send something when nothing was sent for a while).
 *
 * <p>Not thread-safe: all state is guarded by the link's lock, which every caller holds.
 */
final class Session {
    /** Id of the open session, 0 when none. Ids are never reused: each open takes lastId + 1. */
    private long id;
    private long lastId;
    /** What the reader last published for the peer: next expected seq and held bits. */
    private int ackNext;
    private int heldBits;
    /** The peer is owed an acknowledgement of what ackNext and heldBits say. */
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
    /** When this side last wrote a frame, control frames included. */
    private long lastSentNanos;

    /** Opens a new session with nothing owed, both timers starting now; returns its id, never 0. */
    long open(long idleTimeoutMs, long keepaliveIntervalMs, long now) {
        idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
        keepaliveNanos = TimeUnit.MILLISECONDS.toNanos(keepaliveIntervalMs);
        ackNext = 0;
        heldBits = 0;
        ackOwed = false;
        lastReceivedNanos = now;
        lastSentNanos = now;
        return id = ++lastId;
    }

    /** No session is open any more. */
    void end() {
        id = 0;
    }

    /** The open session's id, 0 when none. */
    long id() {
        return id;
    }

    boolean isOpen() {
        return id != 0;
    }

    /** Whether {@code session} is the open one (never true for 0). */
    boolean is(long session) {
        return session != 0 && id == session;
    }

    /** A frame arrived from the peer, valid or damaged. */
    void heard(long now) {
        lastReceivedNanos = now;
    }

    /** The reader delivered up to {@code next} and holds {@code bits}: the peer is owed that acknowledgement. */
    void owe(int next, int bits) {
        ackNext = next;
        heldBits = bits;
        ackOwed = true;
    }

    boolean ackOwed() {
        return ackOwed;
    }

    int ackNext() {
        return ackNext;
    }

    int heldBits() {
        return heldBits;
    }

    /** A frame was written; {@code carriesAck}: it told the peer everything owed. */
    void sent(long now, boolean carriesAck) {
        lastSentNanos = now;
        if (carriesAck) ackOwed = false;
    }

    /** Whether the peer has been silent for the idle timeout. */
    boolean silent(long now) {
        return now - lastReceivedNanos >= idleTimeoutNanos;
    }

    /** Why a silent session ends. */
    String silenceReason() {
        return "no frame from the peer for " + TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos) + " ms, not even a damaged one";
    }

    /** Whether nothing was sent for the keepalive interval. */
    boolean keepaliveDue(long now) {
        return now - lastSentNanos >= keepaliveNanos;
    }

    /** When the idle timeout or the keepalive falls due, whichever is first. */
    long deadline() {
        return Math.min(lastReceivedNanos + idleTimeoutNanos, lastSentNanos + keepaliveNanos);
    }
}
