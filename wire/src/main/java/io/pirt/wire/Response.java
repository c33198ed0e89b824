package io.pirt.wire;

import java.nio.ByteBuffer;

/**
 * The answer to a {@link Request} (docs/protocol.md §5.4). On the wire it is one or more
 * RESPONSE frames, each starting with the request id and the status
 * ({@link #PART_HEADER_BYTES}), the body split over them, every frame but the last flagged
 * {@link Frame#FLAG_MORE}.
 *
 * @param status what became of the request
 * @param body   the command's output, or why it failed and what to do; at most
 *               {@link #MAX_BODY_BYTES} bytes of UTF-8
 */
public record Response(Status status, String body) {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** requestId (u16) and status (u8) at the start of each RESPONSE frame. */
    public static final int PART_HEADER_BYTES = 3;

    /** Outcome codes, with their wire values. */
    public enum Status {
        OK(0), FAILED(1), UNKNOWN_COMMAND(2), BUSY(3), BAD_REQUEST(4);

        private final int code;

        Status(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** @throws ProtocolException for a code version 1 does not define */
        public static Status fromCode(int code) throws ProtocolException {
            for (Status s : values()) if (s.code == code) return s;
            throw new ProtocolException("RESPONSE status " + code + " is not defined in protocol version 1");
        }
    }

    public Response {
        if (status == null || body == null) throw new IllegalArgumentException("status and body are required");
    }

    public static Response ok(String body) {
        return new Response(Status.OK, body);
    }

    public static Response failed(String why) {
        return new Response(Status.FAILED, why);
    }

    /** Writes the start of one RESPONSE frame; the caller adds this frame's piece of the body. */
    public static void writePartHeader(ByteBuffer out, int requestId, Status status) {
        out.putShort((short) requestId).put((byte) status.code());
    }
}
