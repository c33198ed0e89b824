package io.pirt.tools.client;

import java.io.IOException;

/**
 * What a client proves a board's trust with (docs/protocol.md §5.7): signs the board's
 * challenge with the user's key. The client asks only when the board refuses a request with
 * {@code PROOF_REQUIRED}, so a key is read only for a board that wants one.
 */
@FunctionalInterface
public interface KeyProof {
    /**
     * Signs {@code message} (Ed25519).
     *
     * @throws IOException when there is no key to sign with; its message says which file is
     *     missing and how to make one ({@code pirt keygen})
     */
    Signed sign(byte[] message) throws IOException;

    /**
     * A signature and the id of the key that made it.
     *
     * @param keyId     the key id (docs/bundle.md §7: 16 hex digits of the public key's SHA-256)
     * @param signature the Ed25519 signature
     */
    record Signed(String keyId, byte[] signature) {
    }
}
