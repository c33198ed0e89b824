package io.pirt.wire;

/**
 * Consistent Overhead Byte Stuffing (Cheshire and Baker, 1999): rewrites a block so that
 * it contains no 0x00, at a cost of at most one byte per 254 plus one.
 *
 * <p>Implementation notes. A code byte {@code c} (1..255) stands for {@code c - 1} data
 * bytes that follow it, then a 0x00 unless {@code c == 255} or the block ends there.
 * Decoding never writes ahead of where it reads (each code byte is consumed before the
 * bytes it introduces are moved), so it works in place.
 */
final class Cobs {
    private Cobs() {}

    /** The largest encoding of {@code length} bytes. */
    static int maxEncodedLength(int length) {
        return length + length / 254 + 1;
    }

    /**
     * Encodes {@code src[0, length)} into {@code dst} from {@code dstOffset}; returns the
     * number of bytes written, at most {@link #maxEncodedLength(int)}.
     */
    static int encode(byte[] src, int length, byte[] dst, int dstOffset) {
        int codeAt = dstOffset;
        int out = dstOffset + 1;
        int code = 1;
        for (int i = 0; i < length; i++) {
            byte b = src[i];
            if (b == 0) {
                dst[codeAt] = (byte) code;
                codeAt = out++;
                code = 1;
            } else {
                dst[out++] = b;
                if (++code == 0xFF) {
                    dst[codeAt] = (byte) code;
                    codeAt = out++;
                    code = 1;
                }
            }
        }
        dst[codeAt] = (byte) code;
        return out - dstOffset;
    }

    /**
     * Decodes {@code buf[0, length)} in place; returns the decoded length, or -1 when the
     * block is not a valid encoding (a 0x00 inside, or a code byte pointing past the end).
     */
    static int decode(byte[] buf, int length) {
        int in = 0;
        int out = 0;
        while (in < length) {
            int code = buf[in++] & 0xFF;
            if (code == 0) return -1;
            int end = in + code - 1;
            if (end > length) return -1;
            while (in < end) {
                byte b = buf[in++];
                if (b == 0) return -1;
                buf[out++] = b;
            }
            if (code != 0xFF && in < length) buf[out++] = 0;
        }
        return out;
    }
}
