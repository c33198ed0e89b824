package io.pirt.wire;

import java.nio.ByteBuffer;

/**
 * The HELLO message (docs/protocol.md §5.1): which versions and capabilities a side has,
 * what it can receive, and who it is. The host sends one to start a session and the board
 * answers with its own.
 *
 * @param minVersion      lowest protocol version the sender speaks (1..255)
 * @param maxVersion      highest protocol version the sender speaks
 * @param nonce           the host's random id for this session, echoed by the board
 * @param capabilities    {@link #CONSOLE}, {@link #REQUESTS}, {@link #TRANSFER}, {@link #DEFLATE}, {@link #EVENTS}, {@link #BAUD}, {@link #STREAM}
 * @param maxPayloadBytes largest payload the sender accepts (64..1024)
 * @param window          frames the sender can hold (1..32)
 * @param idleTimeoutMs   how long the sender waits for a frame before it ends the session (200..60000)
 * @param name            host: the tool; board: the board id (at most 64 bytes of UTF-8)
 * @param software        host: the tool's version; board: the runtime's version (at most 64 bytes)
 * @param streamPayloadBytes with {@link #STREAM}: the largest payload the sender accepts when its peer sets
 *                        {@code STREAM} too (64..{@link Frame#MAX_STREAM_PAYLOAD_BYTES}), a field appended after
 *                        {@code software}; 0 without {@code STREAM}
 */
public record Hello(int minVersion, int maxVersion, int nonce, int capabilities, int maxPayloadBytes, int window,
                    int idleTimeoutMs, String name, String software, int streamPayloadBytes) {
    /**
     * The protocol version this code speaks (docs/protocol.md §7): 2, where requests are
     * answered with typed records as JSON and refusals with a code. The frame format itself
     * ({@link Frame#VERSION}) is still 1.
     */
    public static final int PROTOCOL_VERSION = 2;

    public static final int CONSOLE = 1;
    public static final int REQUESTS = 1 << 1;
    public static final int TRANSFER = 1 << 2;
    public static final int DEFLATE = 1 << 3;
    /** The side takes (host) or sends (board) EVENT frames: structured reports such as test results (docs/protocol.md §5.5). */
    public static final int EVENTS = 1 << 4;
    /** The sender's port is a UART whose rate the {@code baud} request can switch (docs/protocol.md §5.6). */
    public static final int BAUD = 1 << 5;
    /**
     * The sender's port is a reliable byte stream (a Unix socket, an SSH channel), not a UART,
     * and it takes frames of up to {@link #streamPayloadBytes()}: when both sides set it, the
     * session's payload limit is the smaller of their {@code streamPayloadBytes} instead of
     * their {@code maxPayloadBytes} (docs/protocol.md §5.1). A peer without it gets today's limits.
     */
    public static final int STREAM = 1 << 6;
    public static final int MIN_IDLE_TIMEOUT_MS = 200;
    public static final int MAX_IDLE_TIMEOUT_MS = 60_000;
    static final int MAX_NAME_BYTES = 64;
    private static final int FIXED_BYTES = 15;

    /** A HELLO without {@link #STREAM}'s field: a serial port's. */
    public Hello(int minVersion, int maxVersion, int nonce, int capabilities, int maxPayloadBytes, int window,
                 int idleTimeoutMs, String name, String software) {
        this(minVersion, maxVersion, nonce, capabilities, maxPayloadBytes, window, idleTimeoutMs, name, software, 0);
    }

    /** @throws IllegalArgumentException if a field is out of the range above */
    public Hello {
        if ((capabilities & STREAM) != 0
                ? streamPayloadBytes < Frame.MIN_PAYLOAD_LIMIT_BYTES || streamPayloadBytes > Frame.MAX_STREAM_PAYLOAD_BYTES
                : streamPayloadBytes != 0) {
            throw new IllegalArgumentException("streamPayloadBytes " + streamPayloadBytes + ": with STREAM "
                    + Frame.MIN_PAYLOAD_LIMIT_BYTES + ".." + Frame.MAX_STREAM_PAYLOAD_BYTES + ", without it 0");
        }
        if (minVersion < 1 || minVersion > maxVersion || maxVersion > 255) {
            throw new IllegalArgumentException("versions " + minVersion + ".." + maxVersion + " not within 1..255");
        }
        if (maxPayloadBytes < Frame.MIN_PAYLOAD_LIMIT_BYTES || maxPayloadBytes > Frame.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("maxPayloadBytes " + maxPayloadBytes + " not in "
                    + Frame.MIN_PAYLOAD_LIMIT_BYTES + ".." + Frame.MAX_PAYLOAD_BYTES);
        }
        if (window < 1 || window > Frame.MAX_WINDOW) {
            throw new IllegalArgumentException("window " + window + " not in 1.." + Frame.MAX_WINDOW);
        }
        if (idleTimeoutMs < MIN_IDLE_TIMEOUT_MS || idleTimeoutMs > MAX_IDLE_TIMEOUT_MS) {
            throw new IllegalArgumentException("idleTimeoutMs " + idleTimeoutMs + " not in "
                    + MIN_IDLE_TIMEOUT_MS + ".." + MAX_IDLE_TIMEOUT_MS);
        }
        if (ShortText.encodedBytes(name) > MAX_NAME_BYTES + 1 || ShortText.encodedBytes(software) > MAX_NAME_BYTES + 1) {
            throw new IllegalArgumentException("name and software are at most " + MAX_NAME_BYTES + " bytes of UTF-8");
        }
    }

    /** Whether both this side and {@code peer} set capability {@code bit}. */
    public boolean shares(Hello peer, int bit) {
        return (capabilities & peer.capabilities & bit) != 0;
    }

    /**
     * The largest payload of a session between this side and {@code peer}: the smaller of both
     * {@link #streamPayloadBytes()} when both set {@link #STREAM}, else of both
     * {@link #maxPayloadBytes()} (what every version before {@code STREAM} used).
     */
    public int sessionPayloadBytes(Hello peer) {
        return shares(peer, STREAM) ? Math.min(streamPayloadBytes, peer.streamPayloadBytes)
                : Math.min(maxPayloadBytes, peer.maxPayloadBytes);
    }

    /** The highest version both ranges contain, or -1 when they do not overlap. */
    public int commonVersion(Hello peer) {
        int v = Math.min(maxVersion, peer.maxVersion);
        return v >= Math.max(minVersion, peer.minVersion) ? v : -1;
    }

    /** Writes the HELLO payload. */
    public void writeTo(ByteBuffer out) {
        out.put((byte) minVersion).put((byte) maxVersion).putInt(nonce).putInt(capabilities)
                .putShort((short) maxPayloadBytes).put((byte) window).putShort((short) idleTimeoutMs);
        ShortText.put(out, name, MAX_NAME_BYTES, "HELLO name");
        ShortText.put(out, software, MAX_NAME_BYTES, "HELLO software");
        if ((capabilities & STREAM) != 0) out.putShort((short) streamPayloadBytes);
    }

    /**
     * Reads a HELLO payload (little-endian buffer); bytes after {@code software} are
     * ignored, as later versions may append fields.
     *
     * @throws ProtocolException if it is shorter than its fields or a field is out of range
     */
    public static Hello readFrom(ByteBuffer in) throws ProtocolException {
        if (in.remaining() < FIXED_BYTES) {
            throw new ProtocolException("HELLO of " + in.remaining() + " bytes; at least " + FIXED_BYTES + " expected");
        }
        int min = in.get() & 0xFF;
        int max = in.get() & 0xFF;
        int nonce = in.getInt();
        int caps = in.getInt();
        int maxPayload = in.getShort() & 0xFFFF;
        int window = in.get() & 0xFF;
        int idle = in.getShort() & 0xFFFF;
        String name = ShortText.get(in, MAX_NAME_BYTES, "HELLO", "name");
        String software = ShortText.get(in, MAX_NAME_BYTES, "HELLO", "software");
        int streamPayload = 0;
        if ((caps & STREAM) != 0) {
            if (in.remaining() < 2) throw new ProtocolException("HELLO sets STREAM but has no streamPayloadBytes after software");
            streamPayload = in.getShort() & 0xFFFF;
        }
        try {
            return new Hello(min, max, nonce, caps, maxPayload, window, idle, name, software, streamPayload);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("HELLO from the peer is out of range: " + e.getMessage(), e);
        }
    }
}
