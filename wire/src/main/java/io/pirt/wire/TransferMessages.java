package io.pirt.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The payload layouts of a file transfer (docs/protocol.md §6): BEGIN, RESUME, DATA, END
 * and RESULT. Sizes and offsets are u32 on the wire: a transfer is under 4 GiB.
 */
public final class TransferMessages {
    public static final int COMPRESSION_NONE = 0;
    public static final int COMPRESSION_DEFLATE = 1;
    public static final int SHA256_BYTES = 32;
    public static final long MAX_TRANSFER_BYTES = 0xFFFF_FFFFL;
    /** The offset (u32) in front of each DATA frame's bytes. */
    public static final int DATA_HEADER_BYTES = 4;
    public static final int MAX_NAME_BYTES = 128;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0," + (MAX_NAME_BYTES - 1) + "}");

    private TransferMessages() {}

    /** Whether {@code name} is a transfer name: {@code [A-Za-z0-9._-]}, 1..128, not starting with '.'. */
    public static boolean validName(String name) {
        return NAME.matcher(name).matches();
    }

    public static String hex(byte[] sha256) {
        return HexFormat.of().formatHex(sha256);
    }

    /**
     * TRANSFER_BEGIN.
     *
     * @param compression {@link #COMPRESSION_NONE} or {@link #COMPRESSION_DEFLATE}
     * @param fileBytes   size of the file
     * @param wireBytes   size of the wire stream (the file, or its deflate stream)
     * @param fileSha256  SHA-256 of the file: what the receiver verifies
     * @param wireSha256  SHA-256 of the wire stream: what keys the receiver's partial copy
     * @param name        see {@link #validName}
     */
    public record Begin(int compression, long fileBytes, long wireBytes, byte[] fileSha256, byte[] wireSha256,
                        String name) {
        /** @throws IllegalArgumentException if a field is out of range */
        public Begin {
            if (compression != COMPRESSION_NONE && compression != COMPRESSION_DEFLATE) {
                throw new IllegalArgumentException("compression " + compression + " is not 0 (none) or 1 (deflate)");
            }
            if (fileBytes < 0 || fileBytes > MAX_TRANSFER_BYTES || wireBytes < 0 || wireBytes > MAX_TRANSFER_BYTES) {
                throw new IllegalArgumentException("sizes " + fileBytes + "/" + wireBytes + " not in 0..4 GiB-1");
            }
            if (compression == COMPRESSION_NONE && fileBytes != wireBytes) {
                throw new IllegalArgumentException("without compression the wire stream is the file; sizes "
                        + fileBytes + " and " + wireBytes + " differ");
            }
            if (fileSha256.length != SHA256_BYTES || wireSha256.length != SHA256_BYTES) {
                throw new IllegalArgumentException("SHA-256 values are 32 bytes");
            }
            if (!validName(name)) {
                throw new IllegalArgumentException("transfer name '" + name + "' is not [A-Za-z0-9._-], 1.."
                        + MAX_NAME_BYTES + " bytes, not starting with '.'");
            }
        }

        public void writeTo(ByteBuffer out) {
            out.put((byte) compression).putInt((int) fileBytes).putInt((int) wireBytes).put(fileSha256).put(wireSha256);
            ShortText.put(out, name, MAX_NAME_BYTES, "transfer name");
        }

        /** @throws ProtocolException if the payload is not a well-formed TRANSFER_BEGIN */
        public static Begin readFrom(ByteBuffer in) throws ProtocolException {
            if (in.remaining() < 1 + 8 + 2 * SHA256_BYTES + 1) {
                throw new ProtocolException("TRANSFER_BEGIN of " + in.remaining() + " bytes is too short");
            }
            int compression = in.get() & 0xFF;
            long fileBytes = in.getInt() & 0xFFFF_FFFFL;
            long wireBytes = in.getInt() & 0xFFFF_FFFFL;
            byte[] fileSha = new byte[SHA256_BYTES];
            byte[] wireSha = new byte[SHA256_BYTES];
            in.get(fileSha).get(wireSha);
            String name = ShortText.get(in, MAX_NAME_BYTES, "TRANSFER_BEGIN", "name");
            try {
                return new Begin(compression, fileBytes, wireBytes, fileSha, wireSha, name);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException("TRANSFER_BEGIN: " + e.getMessage(), e);
            }
        }
    }

    /** TRANSFER_RESUME: the receiver holds the first {@code haveBytes} of this wire stream. */
    public record Resume(byte[] wireSha256, long haveBytes) {
        public void writeTo(ByteBuffer out) {
            out.put(wireSha256).putInt((int) haveBytes);
        }

        /** @throws ProtocolException if the payload is not a well-formed TRANSFER_RESUME */
        public static Resume readFrom(ByteBuffer in) throws ProtocolException {
            if (in.remaining() < SHA256_BYTES + 4) {
                throw new ProtocolException("TRANSFER_RESUME of " + in.remaining() + " bytes; 36 expected");
            }
            byte[] sha = new byte[SHA256_BYTES];
            in.get(sha);
            return new Resume(sha, in.getInt() & 0xFFFF_FFFFL);
        }
    }

    /** Outcome of a transfer, with its wire value. */
    public enum Status {
        /** The SHA-256 matched; the file was handed on. */
        VERIFIED(0),
        /** What arrived does not have the announced SHA-256; nothing was handed on. */
        MISMATCH(1),
        /** Refused before any data: bad name, too large, no space, busy. */
        REFUSED(2),
        /** Failed during or after the data: disk error, gap, incomplete, the store refused it. */
        FAILED(3);

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
            throw new ProtocolException("TRANSFER_RESULT status " + code + " is not defined in protocol version 1");
        }
    }

    /**
     * TRANSFER_RESULT.
     *
     * @param actualFileSha256 what the receiver computed; 32 zero bytes when it computed nothing
     * @param message          for a person: what happened and what to do
     */
    public record Result(byte[] wireSha256, Status status, byte[] actualFileSha256, String message) {
        public void writeTo(ByteBuffer out) {
            out.put(wireSha256).put((byte) status.code()).put(actualFileSha256);
            byte[] text = message.getBytes(StandardCharsets.UTF_8);
            out.put(text, 0, Math.min(text.length, out.remaining()));
        }

        /** @throws ProtocolException if the payload is not a well-formed TRANSFER_RESULT */
        public static Result readFrom(ByteBuffer in) throws ProtocolException {
            if (in.remaining() < 2 * SHA256_BYTES + 1) {
                throw new ProtocolException("TRANSFER_RESULT of " + in.remaining() + " bytes is too short");
            }
            byte[] wireSha = new byte[SHA256_BYTES];
            in.get(wireSha);
            Status status = Status.fromCode(in.get() & 0xFF);
            byte[] actual = new byte[SHA256_BYTES];
            in.get(actual);
            return new Result(wireSha, status, actual, ShortText.rest(in));
        }
    }

    /** Writes the start of a TRANSFER_DATA payload; the caller adds the bytes from {@code offset}. */
    public static void writeDataHeader(ByteBuffer out, long offset) {
        out.putInt((int) offset);
    }

    /** Reads the offset of a TRANSFER_DATA payload, leaving the buffer at its bytes; -1 if it is too short. */
    public static long readDataOffset(ByteBuffer in) {
        return in.remaining() < DATA_HEADER_BYTES ? -1 : in.getInt() & 0xFFFF_FFFFL;
    }

    /** TRANSFER_END names the wire stream it ends. */
    public static void writeEnd(ByteBuffer out, byte[] wireSha256) {
        out.put(wireSha256);
    }

    /** @throws ProtocolException if the payload is not a well-formed TRANSFER_END */
    public static byte[] readEnd(ByteBuffer in) throws ProtocolException {
        if (in.remaining() < SHA256_BYTES) throw new ProtocolException("TRANSFER_END of " + in.remaining() + " bytes; 32 expected");
        byte[] sha = new byte[SHA256_BYTES];
        in.get(sha);
        return sha;
    }
}
