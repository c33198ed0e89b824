package io.pirt.wire;

import java.nio.ByteBuffer;
import java.util.regex.Pattern;

/**
 * A REQUEST message (docs/protocol.md §5.4): a command for the board, in one frame.
 *
 * @param id       matches the RESPONSE to the request (0..65535)
 * @param command  {@code [a-z][a-z0-9-]*}, at most 32 characters
 * @param argument UTF-8 text or JSON, possibly empty; what fits in the rest of the frame
 */
public record Request(int id, String command, String argument) {
    public static final int MAX_COMMAND_CHARS = 32;
    private static final Pattern COMMAND = Pattern.compile("[a-z][a-z0-9-]{0," + (MAX_COMMAND_CHARS - 1) + "}");

    /** @throws IllegalArgumentException if the id or the command is malformed */
    public Request {
        if (id < 0 || id > 0xFFFF) throw new IllegalArgumentException("request id " + id + " not in 0..65535");
        if (!COMMAND.matcher(command).matches()) {
            throw new IllegalArgumentException("command '" + command + "' is not [a-z][a-z0-9-]*, at most "
                    + MAX_COMMAND_CHARS + " characters");
        }
    }

    /**
     * Writes the REQUEST payload.
     *
     * @throws java.nio.BufferOverflowException if the argument does not fit in {@code out}
     */
    public void writeTo(ByteBuffer out) {
        out.putShort((short) id);
        ShortText.put(out, command, MAX_COMMAND_CHARS, "command");
        out.put(argument.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** @throws ProtocolException if the payload is not a well-formed REQUEST */
    public static Request readFrom(ByteBuffer in) throws ProtocolException {
        if (in.remaining() < 3) throw new ProtocolException("REQUEST of " + in.remaining() + " bytes; at least 3 expected");
        int id = in.getShort() & 0xFFFF;
        String command = ShortText.get(in, MAX_COMMAND_CHARS, "REQUEST", "command");
        try {
            return new Request(id, command, ShortText.rest(in));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("REQUEST " + id + ": " + e.getMessage(), e);
        }
    }
}
