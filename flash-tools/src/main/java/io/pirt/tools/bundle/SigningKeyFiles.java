package io.pirt.tools.bundle;

import io.pirt.bundle.SigningKeys;
import io.pirt.tools.ToolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

/**
 * Where a developer's signing key is and how it is read: {@code ~/.pirt/signing.key} as
 * {@code pirt keygen} makes it unless named otherwise, its public key beside it as
 * {@code NAME.pub}. Used by {@code pirt bundle} and the JUnit extension. Stateless.
 */
public final class SigningKeyFiles {
    /** The private key {@code pirt keygen} writes by default, and {@code pirt bundle} reads. */
    public static final Path DEFAULT_PRIVATE_KEY = KeygenCommand.DEFAULT_DIR.resolve(KeygenCommand.DEFAULT_NAME + ".key");

    private SigningKeyFiles() {
    }

    /** The public key beside {@code privateKey}: {@code NAME.key} → {@code NAME.pub}, else {@code FILE.pub}. */
    public static Path publicKeyBeside(Path privateKey) {
        String n = privateKey.getFileName().toString();
        return privateKey.resolveSibling((n.endsWith(".key") ? n.substring(0, n.length() - 4) : n) + ".pub");
    }

    /**
     * Reads the key pair a command's {@code --key} and {@code --public-key} name.
     *
     * @param privateKey the private key, or null for {@link #DEFAULT_PRIVATE_KEY}
     * @param publicKey  its public key, or null for the one beside it
     */
    public static KeyPair read(Path privateKey, Path publicKey) throws ToolException {
        return read(privateKey != null ? privateKey : DEFAULT_PRIVATE_KEY, publicKey,
                privateKey != null ? "--key" : "the default", "give --key FILE", "give it with --public-key FILE");
    }

    /**
     * Reads a key pair and checks that its halves belong together.
     *
     * @param privateKey   the private key file
     * @param publicKey    its public key, or null for the one {@linkplain #publicKeyBeside beside it}
     * @param origin       how the private key was named, for messages: {@code "the default"}, {@code "--key"}, ...
     * @param howToNameKey what to do to name another private key, e.g. {@code "give --key FILE"}
     * @param howToNamePub what to do to name another public key
     * @throws ToolException (exit 1) saying which file is missing or wrong and what to do
     */
    public static KeyPair read(Path privateKey, Path publicKey, String origin, String howToNameKey, String howToNamePub)
            throws ToolException {
        Path pub = publicKey != null ? publicKey : publicKeyBeside(privateKey);
        if (!Files.exists(privateKey)) {
            throw ToolException.failure("no private key at " + privateKey + " (" + origin + "): make one with `pirt keygen`, or "
                    + howToNameKey);
        }
        if (!Files.exists(pub)) {
            throw ToolException.failure("no public key at " + pub + " beside the private key " + privateKey + ": " + howToNamePub);
        }
        try {
            return SigningKeys.readKeyPair(privateKey, pub);
        } catch (IOException e) {
            throw ToolException.failure(e.getMessage(), e);
        }
    }
}
