package io.pirt.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A UTF-8 string with a one-byte length in front, as messages carry names. */
final class ShortText {
    static final int MAX_BYTES = 255;

    private ShortText() {}

    static int encodedBytes(String s) {
        return 1 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** @throws IllegalArgumentException if {@code s} is longer than {@code maxBytes} in UTF-8 */
    static void put(ByteBuffer out, String s, int maxBytes, String field) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > maxBytes) {
            throw new IllegalArgumentException(field + " is " + b.length + " bytes in UTF-8; at most " + maxBytes);
        }
        out.put((byte) b.length).put(b);
    }

    /** @throws ProtocolException if the length byte points past the payload or exceeds {@code maxBytes} */
    static String get(ByteBuffer in, int maxBytes, String message, String field) throws ProtocolException {
        if (!in.hasRemaining()) throw new ProtocolException(message + ": " + field + " is missing");
        int n = in.get() & 0xFF;
        if (n > maxBytes || n > in.remaining()) {
            throw new ProtocolException(message + ": " + field + " claims " + n + " bytes; " + in.remaining()
                    + " remain and at most " + maxBytes + " are allowed");
        }
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The rest of the buffer as UTF-8. */
    static String rest(ByteBuffer in) {
        byte[] b = new byte[in.remaining()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
