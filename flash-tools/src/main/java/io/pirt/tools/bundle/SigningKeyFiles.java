package io.pirt.tools.bundle;

import io.pirt.runtime.bundle.SigningKeys;
import io.pirt.tools.ToolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

/** Reads the key pair a bundle is signed with: a private key file and its {@code .pub} beside it, as {@code pirt keygen} writes them. */
public final class SigningKeyFiles {
    private SigningKeyFiles() {
    }

    /**
     * @param privateKey the private key, or null for the default {@code ~/.pirt/signing.key}
     * @param publicKey  its public key, or null for the private key's name with {@code .pub}
     * @throws ToolException (exit 1) naming the missing or unreadable file and what to do
     */
    public static KeyPair read(Path privateKey, Path publicKey) throws ToolException {
        Path priv = privateKey != null ? privateKey : KeygenCommand.DEFAULT_DIR.resolve(KeygenCommand.DEFAULT_NAME + ".key");
        Path pub = publicKey;
        if (pub == null) {
            String n = priv.getFileName().toString();
            pub = priv.resolveSibling((n.endsWith(".key") ? n.substring(0, n.length() - 4) : n) + ".pub");
        }
        if (!Files.exists(priv)) {
            throw ToolException.failure("no private key at " + priv + (privateKey == null ? " (the default)" : "")
                    + ": make one with `pirt keygen`, or give --key FILE");
        }
        if (!Files.exists(pub)) {
            throw ToolException.failure("no public key at " + pub + " beside the private key " + priv
                    + ": give it with --public-key FILE");
        }
        try {
            return SigningKeys.readKeyPair(priv, pub);
        } catch (IOException e) {
            throw ToolException.failure(e.getMessage(), e);
        }
    }
}
