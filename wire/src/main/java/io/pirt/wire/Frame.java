package io.pirt.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One checked frame (docs/protocol.md §2), seen through a reusable read-only view. The
 * {@link FrameDecoder} or {@link Link} that hands a frame to a listener owns it and
 * reuses it: a frame is valid only during that call, and a listener that needs its bytes
 * later copies them. Not thread-safe.
 *
 * <p>The constants here are the limits of version 1.
 */
public final class Frame {
    /** Frame format version this code writes and accepts. */
    public static final int VERSION = 1;
    /** version, type, flags, seq (u16), ack (u16), length (u16). */
    public static final int HEADER_BYTES = 9;
    public static final int CRC_BYTES = 4;
    /** Largest payload of any frame in version 1. */
    public static final int MAX_PAYLOAD_BYTES = 1024;
    /** Largest EVENT body, over all its frames (docs/protocol.md §5.5); a receiver drops a longer one whole. */
    public static final int MAX_EVENT_BYTES = 64 * 1024;
    /** Smallest payload limit a peer may announce in HELLO. */
    public static final int MIN_PAYLOAD_LIMIT_BYTES = 64;
    /** Largest frame body: header, payload, CRC. */
    public static final int MAX_BODY_BYTES = HEADER_BYTES + MAX_PAYLOAD_BYTES + CRC_BYTES;
    /** Largest COBS block between the delimiters. */
    public static final int MAX_ENCODED_BYTES = MAX_BODY_BYTES + MAX_BODY_BYTES / 254 + 1;
    /** Largest frame on the wire, both 0x00 delimiters included. */
    public static final int MAX_WIRE_BYTES = MAX_ENCODED_BYTES + 2;
    /**
     * Largest payload on a reliable byte stream (docs/protocol.md §5.1, {@link Hello#STREAM}):
     * 32 KiB, when both sides set {@code STREAM}. Within the header's u16 {@code length}; a
     * stream link holds {@link #MAX_WINDOW} of them each way (2 MiB), and 32 of them in flight
     * (1 MiB) keep a 100 MB/s path full up to a 10 ms round trip.
     */
    public static final int MAX_STREAM_PAYLOAD_BYTES = 32 * 1024;
    /** Largest window of either side. */
    public static final int MAX_WINDOW = 32;

    /** Largest body of a frame whose payload is at most {@code maxPayloadBytes}: header, payload, CRC. */
    public static int maxBodyBytes(int maxPayloadBytes) {
        return HEADER_BYTES + maxPayloadBytes + CRC_BYTES;
    }

    /** Largest COBS block of a frame whose payload is at most {@code maxPayloadBytes}. */
    public static int maxEncodedBytes(int maxPayloadBytes) {
        return Cobs.maxEncodedLength(maxBodyBytes(maxPayloadBytes));
    }

    /** Largest such frame on the wire, both 0x00 delimiters included. */
    public static int maxWireBytes(int maxPayloadBytes) {
        return maxEncodedBytes(maxPayloadBytes) + 2;
    }

    /** The message continues in the next frame of the same type (RESPONSE). */
    public static final int FLAG_MORE = 1;
    /** This HELLO or BYE answers one from the peer. */
    public static final int FLAG_REPLY = 2;
    /** BYE: the sender has no session with the receiver; say hello again. */
    public static final int FLAG_NO_SESSION = 4;

    /** The body: header, payload and CRC, unstuffed. Fixed at construction. */
    private final byte[] body;
    /** Read-only little-endian view of {@link #body}; position and limit set per call. */
    private final ByteBuffer payload;
    /** Valid body bytes in {@link #body}; set by the owner after checking the frame. */
    private int bodyLength;

    Frame(byte[] body) {
        this.body = body;
        this.payload = ByteBuffer.wrap(body).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Points this view at a body of {@code length} bytes already checked by the caller. */
    void setBodyLength(int length) {
        this.bodyLength = length;
    }

    byte[] body() {
        return body;
    }

    int bodyLength() {
        return bodyLength;
    }

    public FrameType type() {
        return FrameType.fromCode(body[1]);
    }

    public int flags() {
        return body[2] & 0xFF;
    }

    public boolean hasFlag(int flag) {
        return (flags() & flag) != 0;
    }

    /** Sequence number (u16) of a sequenced frame; 0 otherwise. */
    public int seq() {
        return u16(body, 3);
    }

    /** Cumulative acknowledgement (u16): the next sequence number the sender expects. */
    public int ack() {
        return u16(body, 5);
    }

    public int payloadLength() {
        return bodyLength - HEADER_BYTES - CRC_BYTES;
    }

    /**
     * The payload as a read-only little-endian buffer positioned at its first byte. The
     * same buffer is returned on every call, reset; reading it moves its position.
     */
    public ByteBuffer payload() {
        payload.limit(HEADER_BYTES + payloadLength()).position(HEADER_BYTES);
        return payload;
    }

    @Override
    public String toString() {
        return type() + "[flags=" + flags() + " seq=" + seq() + " ack=" + ack() + " payload=" + payloadLength() + "]";
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    static int s32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    static void putS32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
