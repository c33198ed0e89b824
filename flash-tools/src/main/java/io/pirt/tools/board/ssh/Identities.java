package io.pirt.tools.board.ssh;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The user's SSH keys, as OpenSSH's default identities: {@code ~/.ssh/id_ed25519},
 * {@code id_ecdsa}, {@code id_rsa}, in that order. An encrypted key is unlocked with a
 * passphrase asked on the terminal, and only when there is one; otherwise, or when a file
 * cannot be read, the key is left out and {@link #skipped} says why. Immutable.
 *
 * @param keys    the keys loaded
 * @param tried   the files loaded, for an authentication failure's message
 * @param skipped one line per key file that exists and could not be used
 */
record Identities(List<KeyPair> keys, List<Path> tried, List<String> skipped) {
    static final List<String> NAMES = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    /** Reads the default identities in {@code sshDir}; asks for passphrases on {@code terminal} if not null. */
    static Identities load(Path sshDir, Console terminal) {
        List<KeyPair> keys = new ArrayList<>();
        List<Path> tried = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String name : NAMES) {
            Path file = sshDir.resolve(name);
            if (!Files.isRegularFile(file)) continue;
            boolean[] encrypted = {false};
            FilePasswordProvider passphrase = (session, resource, retry) -> {
                encrypted[0] = true;
                if (terminal == null || retry > 0) return null;
                char[] typed = terminal.readPassword("Passphrase for %s: ", file);
                return typed == null ? null : new String(typed);
            };
            try (InputStream in = Files.newInputStream(file)) {
                int before = keys.size();
                for (KeyPair k : SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, passphrase)) {
                    keys.add(k);
                }
                if (keys.size() > before) tried.add(file);
                else skipped.add(file + ": " + (encrypted[0] ? noPassphrase(terminal) : "no key in it"));
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                skipped.add(file + ": " + (encrypted[0] ? noPassphrase(terminal) + " (" + e.getMessage() + ")"
                        : "cannot be read (" + e.getMessage() + ")"));
            }
        }
        return new Identities(List.copyOf(keys), List.copyOf(tried), List.copyOf(skipped));
    }

    private static String noPassphrase(Console terminal) {
        return terminal == null
                ? "encrypted, and there is no terminal to ask its passphrase on: add it to ssh-agent (ssh-add) instead"
                : "encrypted, and the passphrase did not unlock it";
    }
}
