package io.pirt.tools.board;

import io.pirt.bundle.SigningKeys;
import io.pirt.tools.ToolException;
import io.pirt.tools.bundle.SigningKeyFiles;
import io.pirt.tools.client.KeyProof;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;

/**
 * Proves a board's trust with the user's signing key: the one {@code pirt bundle} signs with
 * ({@code ~/.pirt/signing.key} unless {@code --key} names another), read when a board first
 * asks for a proof, never before, so a board in development mode needs no key. Signs without
 * a prompt: the key file is unencrypted, as for bundles. Thread-safe.
 */
public final class KeyFileProof implements KeyProof {
    private final Path privateKey;
    private final Path publicKey;
    /** The key pair once read; null before. Guarded by this. */
    private KeyPair keys;

    /**
     * @param privateKey the private key, or null for {@link SigningKeyFiles#DEFAULT_PRIVATE_KEY}
     * @param publicKey  its public key, or null for the one beside it
     */
    public KeyFileProof(Path privateKey, Path publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    @Override
    public Signed sign(byte[] message) throws IOException {
        KeyPair pair = keys();
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(pair.getPrivate());
            s.update(message);
            return new Signed(SigningKeys.keyId(pair.getPublic()), s.sign());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot sign with the key " + describe() + ": " + e.getMessage(), e);
        }
    }

    private synchronized KeyPair keys() throws IOException {
        if (keys == null) {
            try {
                keys = SigningKeyFiles.read(privateKey, publicKey);
            } catch (ToolException e) {
                throw new IOException(e.getMessage() + "; then copy its .pub file into the board's /etc/pirt/keys/", e);
            }
        }
        return keys;
    }

    private String describe() {
        return (privateKey != null ? privateKey : SigningKeyFiles.DEFAULT_PRIVATE_KEY).toString();
    }
}
