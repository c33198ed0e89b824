package io.pirt.wire;

import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * Splits the bytes read from a port into text and checked frames (docs/protocol.md §1).
 * Every input ends in frames, text, or refusals: the decoder never throws on input, never
 * waits, and holds at most {@link Frame#MAX_ENCODED_BYTES} bytes in one buffer allocated
 * at construction, whatever lengths the input claims. Listener calls happen inside
 * {@link #feed}; the arrays they get are valid only during the call. Not thread-safe: one
 * reading thread feeds it.
 *
 * <p>Implementation notes. In TEXT state non-zero bytes are text and a 0x00 opens a
 * candidate. In FRAME state bytes accumulate until a 0x00 closes the candidate, which is
 * then decoded in place and checked. An invalid one leaves the decoder in FRAME, because
 * the closing 0x00 may be the next frame's opening one. After a valid one the decoder
 * goes to FRAME while {@link #expectFrames frames are expected} (a session is open: if
 * the delimiter between two frames was lost, the bytes that follow are the next frame)
 * and to TEXT otherwise (a person may type right after a tool left); bytes held that way
 * become text at the next feed once frames are no longer expected. A candidate that
 * outgrows the buffer, or that (without a session) is still open when bytes arrive after
 * {@link #TEXT_RELEASE_GAP_NANOS} of silence, was text after a stray 0x00 (Ctrl-@) and
 * is handed on as text; in a session, a candidate that began at a 0x00 and outgrows the
 * buffer is a damaged frame and is skipped up to the next 0x00.
 */
public final class FrameDecoder {
    /** Silence after which an unterminated candidate is taken for typed text. */
    public static final long TEXT_RELEASE_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Why a candidate closed by 0x00 was not a frame, in the order the checks run. */
    public enum Refusal {
        BAD_COBS, TOO_SHORT, BAD_CRC, BAD_VERSION, BAD_LENGTH, UNKNOWN_TYPE,
        /** In a session, a candidate that began at a 0x00 outgrew the largest frame; skipped to the next 0x00. */
        TOO_LONG
    }

    /** Receives what the decoder finds, on the thread that calls {@link #feed}. */
    public interface Listener {
        /** A checked frame; valid only during the call. */
        void onFrame(Frame frame);

        /** Bytes that are not part of a frame, in order. */
        void onText(byte[] bytes, int offset, int length);

        /** A candidate closed by 0x00 failed a check and was dropped. */
        void onRefused(Refusal reason);
    }

    private final Listener listener;
    private final CRC32 crc = new CRC32();
    /** The open candidate while in FRAME state; after a check, the decoded body. Fixed size. */
    private final byte[] candidate;
    /** Largest payload a frame may declare: {@link Frame#MAX_PAYLOAD_BYTES}, more on a stream link. */
    private final int maxPayloadBytes;
    private final Frame frame;
    /** Bytes in {@link #candidate}, 0..candidate.length; 0 in TEXT state. */
    private int candidateLength;
    /** FRAME state: bytes are a frame candidate, not text. */
    private boolean inFrame;
    /**
     * The candidate began right after a valid frame rather than after a 0x00: it is held
     * only because frames were expected, and becomes text once they no longer are.
     */
    private boolean heldAfterFrame;
    /** Skipping an overlong candidate up to the next 0x00 (in a session only). */
    private boolean discarding;
    /** Whether bytes right after a valid frame are the next candidate; set by the owner from any thread. */
    private volatile boolean expectFrames;
    /** When the last bytes were fed; meaningful once {@link #fed} is true. */
    private long lastFeedNanos;
    private boolean fed;

    /** A decoder of frames of up to {@link Frame#MAX_PAYLOAD_BYTES}, the serial line's (v1) limit. */
    public FrameDecoder(Listener listener) {
        this(listener, Frame.MAX_PAYLOAD_BYTES);
    }

    /**
     * A decoder of frames of up to {@code maxPayloadBytes} (at most
     * {@link Frame#MAX_STREAM_PAYLOAD_BYTES}); its buffer is sized for them, once.
     */
    public FrameDecoder(Listener listener, int maxPayloadBytes) {
        if (maxPayloadBytes < Frame.MIN_PAYLOAD_LIMIT_BYTES || maxPayloadBytes > Frame.MAX_STREAM_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("maxPayloadBytes " + maxPayloadBytes + " not in " + Frame.MIN_PAYLOAD_LIMIT_BYTES
                    + ".." + Frame.MAX_STREAM_PAYLOAD_BYTES);
        }
        this.listener = listener;
        this.maxPayloadBytes = maxPayloadBytes;
        this.candidate = new byte[Frame.maxEncodedBytes(maxPayloadBytes)];
        this.frame = new Frame(candidate);
    }

    /**
     * Whether frames are expected back to back (a session is open). Read after each frame's
     * listener call returns, so a listener that opens or ends a session decides how the
     * bytes after that very frame are taken.
     */
    public void expectFrames(boolean expect) {
        this.expectFrames = expect;
    }

    /** Hands on a candidate still held as text; for the owner when the input ends. */
    public void releaseHeld() {
        if (inFrame && candidateLength > 0) releaseCandidateAsText();
    }

    /** Size of the one buffer the decoder holds input in; it never changes. */
    public int bufferBytes() {
        return candidate.length;
    }

    /**
     * Takes {@code length} bytes read from the port at {@code nowNanos}
     * ({@link System#nanoTime()}), calling the listener for each frame, text run and
     * refusal they complete.
     */
    public void feed(byte[] bytes, int offset, int length, long nowNanos) {
        if (length <= 0) return;
        if (inFrame && heldAfterFrame && !expectFrames) {
            releaseCandidateAsText(); // the session ended since: a person may be typing
        } else if (inFrame && candidateLength > 0 && !expectFrames && !discarding && fed
                && nowNanos - lastFeedNanos >= TEXT_RELEASE_GAP_NANOS) {
            releaseCandidateAsText(); // typed after a stray Ctrl-@; in a session it is a frame awaiting its delimiter
        }
        fed = true;
        lastFeedNanos = nowNanos;
        int end = offset + length;
        int textFrom = -1;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (!inFrame) {
                if (b != 0) {
                    if (textFrom < 0) textFrom = i;
                    continue;
                }
                if (textFrom >= 0) {
                    listener.onText(bytes, textFrom, i - textFrom);
                    textFrom = -1;
                }
                inFrame = true;
                heldAfterFrame = false;
                candidateLength = 0;
            } else if (b != 0) {
                if (discarding) continue;
                if (candidateLength < candidate.length) {
                    candidate[candidateLength++] = b;
                } else if (expectFrames && !heldAfterFrame) {
                    discarding = true; // a damaged frame (a duplicated byte), not text
                } else {
                    releaseCandidateAsText();
                    textFrom = i;
                }
            } else if (discarding) {
                discarding = false;
                candidateLength = 0;
                heldAfterFrame = false;
                listener.onRefused(Refusal.TOO_LONG);
            } else if (candidateLength > 0) {
                boolean frame = decodeCandidate();
                candidateLength = 0;
                inFrame = !frame || expectFrames;
                heldAfterFrame = frame;
            } else {
                heldAfterFrame = false; // a leading delimiter: what follows is a candidate in any case
            }
        }
        if (textFrom >= 0) listener.onText(bytes, textFrom, end - textFrom);
    }

    private void releaseCandidateAsText() {
        int n = candidateLength;
        candidateLength = 0;
        inFrame = false;
        heldAfterFrame = false;
        discarding = false;
        if (n > 0) listener.onText(candidate, 0, n);
    }

    /** Decodes and checks the closed candidate; returns whether it was a frame. */
    private boolean decodeCandidate() {
        int n = Cobs.decode(candidate, candidateLength);
        if (n < 0) return refuse(Refusal.BAD_COBS);
        if (n < Frame.HEADER_BYTES + Frame.CRC_BYTES) return refuse(Refusal.TOO_SHORT);
        int crcAt = n - Frame.CRC_BYTES;
        crc.reset();
        crc.update(candidate, 0, crcAt);
        if ((int) crc.getValue() != Frame.s32(candidate, crcAt)) return refuse(Refusal.BAD_CRC);
        if (candidate[0] != Frame.VERSION) return refuse(Refusal.BAD_VERSION);
        int declared = Frame.u16(candidate, 7);
        if (declared != crcAt - Frame.HEADER_BYTES || declared > maxPayloadBytes) {
            return refuse(Refusal.BAD_LENGTH);
        }
        if (FrameType.fromCode(candidate[1]) == null) return refuse(Refusal.UNKNOWN_TYPE);
        frame.setBodyLength(n);
        listener.onFrame(frame);
        return true;
    }

    private boolean refuse(Refusal reason) {
        listener.onRefused(reason);
        return false;
    }
}
