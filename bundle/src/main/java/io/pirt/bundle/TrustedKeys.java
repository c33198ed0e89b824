package io.pirt.bundle;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The public keys a board accepts bundles from: every {@code *.pub} file of one directory
 * (on a board {@code /etc/pirt/keys}; docs/bundle.md, section 7). Immutable once loaded
 * and thread-safe; to pick up a new key, load again.
 */
public final class TrustedKeys {
    /** Where the keys came from, named in refusals so a person knows where to add one. */
    private final Path directory;
    /** Key id to the keys with that id (a list: two keys may share a 64-bit id, however unlikely). */
    private final Map<String, List<PublicKey>> keysById;

    private TrustedKeys(Path directory, Map<String, List<PublicKey>> keysById) {
        this.directory = directory;
        this.keysById = keysById;
    }

    /**
     * Loads every {@code *.pub} file of {@code directory}. A directory that does not exist
     * holds no keys (a fresh board accepts only development-mode bundles).
     *
     * @throws IOException naming the file, if a {@code .pub} file is not an Ed25519 public
     *                     key (it is not skipped: a broken trust store is a fault to fix)
     */
    public static TrustedKeys load(Path directory) throws IOException {
        Map<String, List<PublicKey>> keys = new TreeMap<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.pub")) {
                for (Path file : files) {
                    PublicKey key = SigningKeys.readPublicKey(file);
                    keys.computeIfAbsent(SigningKeys.keyId(key), id -> new ArrayList<>()).add(key);
                }
            }
        }
        keys.replaceAll((id, list) -> List.copyOf(list));
        return new TrustedKeys(directory, Map.copyOf(keys));
    }

    /** The directory the keys were loaded from. */
    public Path directory() {
        return directory;
    }

    /** The ids of the trusted keys, sorted. */
    public List<String> keyIds() {
        return keysById.keySet().stream().sorted().toList();
    }

    /** Whether a key with this id is trusted. */
    public boolean contains(String keyId) {
        return keysById.containsKey(keyId);
    }

    /**
     * Whether a trusted key with id {@code keyId} made {@code signature} (Ed25519) of
     * {@code message}: a board checks a tool's proof of a key with it (docs/protocol.md §5.7).
     * False for an unknown key id or a malformed signature.
     */
    public boolean verifies(String keyId, byte[] message, byte[] signature) {
        for (PublicKey key : withId(keyId)) {
            try {
                java.security.Signature s = java.security.Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(message);
                if (s.verify(signature)) return true;
            } catch (java.security.SignatureException e) {
                return false; // not an Ed25519 signature at all: not a proof
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("this JVM cannot verify Ed25519 signatures (Java 15 or later can): " + e, e);
            }
        }
        return false;
    }

    List<PublicKey> withId(String keyId) {
        return keysById.getOrDefault(keyId, List.of());
    }
}
