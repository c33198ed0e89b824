package io.pirt.tools.board;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which key a command proves a board's trust with (docs/tool.md, "Access"): a picocli mixin
 * for the commands that may change a board. Without options, the user's signing key.
 */
public final class ProofKeyOptions {
    @Option(names = "--key", paramLabel = "PRIVATE_KEY",
            description = "Prove the board's trust with this key when it asks (default: ~/.pirt/signing.key); its .pub must be "
                    + "in the board's /etc/pirt/keys/. A board in development mode asks for none.")
    Path key;

    @Option(names = "--public-key", paramLabel = "PUB", description = "The public key of --key, when it is not KEY's name with .pub.")
    Path publicKey;

    /** The proof these options name. */
    public KeyFileProof proof() {
        return new KeyFileProof(key, publicKey);
    }
}
