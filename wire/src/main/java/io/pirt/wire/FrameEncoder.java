package io.pirt.wire;

import java.util.zip.CRC32;

/**
 * Writes frames as they go on the wire: {@code 0x00, COBS(header, payload, CRC-32), 0x00}
 * (docs/protocol.md §1–2). Allocates nothing per frame. Not thread-safe: one encoder per
 * writing thread.
 */
public final class FrameEncoder {
    /** Staging area for the unstuffed body; its size never changes. */
    private final byte[] body;
    private final CRC32 crc = new CRC32();
    /** Largest payload this encoder takes. */
    private final int maxPayloadBytes;

    /** An encoder of payloads up to {@link Frame#MAX_PAYLOAD_BYTES}. */
    public FrameEncoder() {
        this(Frame.MAX_PAYLOAD_BYTES);
    }

    /** An encoder of payloads up to {@code maxPayloadBytes} (a stream link's, at most {@link Frame#MAX_STREAM_PAYLOAD_BYTES}). */
    public FrameEncoder(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.body = new byte[Frame.maxBodyBytes(maxPayloadBytes)];
    }

    /**
     * Encodes one frame into {@code out} from {@code outOffset} and returns the number of
     * bytes written, at most {@link Frame#MAX_WIRE_BYTES}.
     *
     * @throws IllegalArgumentException if the payload is longer than
     *     {@link Frame#MAX_PAYLOAD_BYTES}, a field is out of range, or {@code out} has less
     *     than {@code MAX_WIRE_BYTES} bytes of room for a frame of this size
     */
    public int encode(FrameType type, int flags, int seq, int ack,
                      byte[] payload, int payloadOffset, int payloadLength, byte[] out, int outOffset) {
        if (payloadLength < 0 || payloadLength > maxPayloadBytes) {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes; a frame carries 0.."
                    + maxPayloadBytes);
        }
        if ((flags & ~0xFF) != 0 || (seq & ~0xFFFF) != 0 || (ack & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("flags " + flags + ", seq " + seq + " or ack " + ack + " out of range");
        }
        int bodyLength = Frame.HEADER_BYTES + payloadLength + Frame.CRC_BYTES;
        int room = out.length - outOffset;
        if (room < Cobs.maxEncodedLength(bodyLength) + 2) {
            throw new IllegalArgumentException("output has " + room + " bytes of room; a frame with "
                    + payloadLength + " payload bytes needs up to " + (Cobs.maxEncodedLength(bodyLength) + 2));
        }
        body[0] = (byte) Frame.VERSION;
        body[1] = (byte) type.code();
        body[2] = (byte) flags;
        Frame.putU16(body, 3, seq);
        Frame.putU16(body, 5, ack);
        Frame.putU16(body, 7, payloadLength);
        System.arraycopy(payload, payloadOffset, body, Frame.HEADER_BYTES, payloadLength);
        int crcAt = Frame.HEADER_BYTES + payloadLength;
        crc.reset();
        crc.update(body, 0, crcAt);
        Frame.putS32(body, crcAt, (int) crc.getValue());
        out[outOffset] = 0;
        int n = Cobs.encode(body, bodyLength, out, outOffset + 1);
        out[outOffset + 1 + n] = 0;
        return n + 2;
    }
}
