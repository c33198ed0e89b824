package io.pirt.wire.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The answer to {@code auth-challenge} (docs/protocol.md §5.7): a nonce the board made for
 * this session alone. A tool proves a trusted key by signing {@link #signedMessage()} with
 * it and sending {@code auth KEYID SIGNATURE}; the board accepts the signature once.
 *
 * @param scheme what is signed and how: {@link #SCHEME}
 * @param board  the board id that is part of the signed message (the board's HELLO name)
 * @param nonce  {@link #NONCE_BYTES} random bytes as lowercase hex
 */
public record AuthChallenge(String scheme, String board, String nonce) {
    /** The only scheme: Ed25519 over {@code "pirt-auth-v1" 0x00 board 0x00 nonce-bytes}. */
    public static final String SCHEME = "pirt-auth-v1";
    /** How many random bytes a nonce has. */
    public static final int NONCE_BYTES = 32;

    public AuthChallenge {
        Required.of("AuthChallenge", "scheme", scheme, "board", board, "nonce", nonce);
    }

    /**
     * The bytes a tool signs: the scheme's name, the board id and the nonce, separated by a
     * zero byte, so a signature made for this purpose cannot be taken for a bundle's, or for
     * another board's challenge.
     *
     * @throws IllegalArgumentException if the scheme is not {@link #SCHEME} or the nonce is not hex
     */
    public byte[] signedMessage() {
        if (!SCHEME.equals(scheme)) {
            throw new IllegalArgumentException("the board asks for the proof scheme '" + scheme + "'; this tool knows only "
                    + SCHEME + ": update the tool");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SCHEME.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.writeBytes(board.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.writeBytes(HexFormat.of().parseHex(nonce));
        return out.toByteArray();
    }
}
