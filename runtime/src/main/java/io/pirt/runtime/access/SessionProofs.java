package io.pirt.runtime.access;

import io.pirt.bundle.TrustedKeys;
import io.pirt.wire.message.AuthChallenge;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.Done;
import io.pirt.wire.message.Refusal;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.HexFormat;

/**
 * Which tool session proved a trusted key (docs/protocol.md §5.7). A session asks for a
 * challenge, signs it with its key and sends {@code auth KEYID SIGNATURE}; if the key is
 * trusted and the signature is of this challenge, the session may change the board until it
 * ends: all of it with a key of the trusted keys directory (the release keys), only what a
 * test run needs ({@link #TEST_SCOPE}) with a key of the test keys directory, so a machine
 * that runs tests on a board cannot install, roll back or stop its application. Thread-safe.
 *
 * <p>Implementation notes: the board has one console, so one tool session at a time; the
 * state here belongs to the last session that asked ({@code session}), and a request of any
 * other session finds nothing proven. Session numbers are never reused
 * (io.pirt.runtime.endpoint.RequestHandler), so a proof dies with its session. A challenge
 * is answered once: {@code auth} consumes it whether it succeeds or not, so a signature
 * cannot be replayed and a wrong guess costs a new challenge. The trusted keys are read
 * again at each {@code auth}, so a key copied into the directory counts without a restart.
 */
public final class SessionProofs {
    /** What a session that proved a test key may do: start, stop and serve a test run, and drive pins and simulated sensors for it. */
    public static final Set<Command> TEST_SCOPE = Set.copyOf(EnumSet.of(Command.TEST_RUN, Command.TEST_STOP,
            Command.TEST_HOST_REPLY, Command.GPIO, Command.I2C, Command.SPI));

    private final Path trustedKeysDir;
    private final Path testKeysDir;
    private final String boardId;
    private final SecureRandom random = new SecureRandom();

    /** The session the fields below belong to; 0 before any. Guarded by this. */
    private long session;
    /** The challenge outstanding for {@code session}, null when none. Guarded by this. */
    private byte[] nonce;
    /** The key {@code session} proved, null until it did. Guarded by this. */
    private String provenKeyId;
    /** Whether {@link #provenKeyId} is a test key, which allows only {@link #TEST_SCOPE}. Guarded by this. */
    private boolean provenTestKey;

    /**
     * @param trustedKeysDir the keys that allow every request ({@code *.pub}, the release keys)
     * @param testKeysDir    the keys that allow what a test run needs ({@code *.pub}, the test keys)
     * @param boardId        the board id the signed message names (the board's HELLO name)
     */
    public SessionProofs(Path trustedKeysDir, Path testKeysDir, String boardId) {
        this.trustedKeysDir = trustedKeysDir;
        this.testKeysDir = testKeysDir;
        this.boardId = boardId;
    }

    /** {@code auth-challenge}: a fresh nonce for {@code session}, replacing one it had. */
    public synchronized AuthChallenge challenge(long session) {
        byte[] fresh = new byte[AuthChallenge.NONCE_BYTES];
        random.nextBytes(fresh);
        belongTo(session);
        nonce = fresh;
        return new AuthChallenge(AuthChallenge.SCHEME, boardId, HexFormat.of().formatHex(fresh));
    }

    /**
     * {@code auth KEYID SIGNATURE}: checks the signature of the outstanding challenge.
     *
     * @throws Refusal.RefusedException {@code BAD_ARGUMENT} for a malformed argument, {@code
     *     PROOF_REFUSED} when no challenge is outstanding, the key is not trusted or the signature
     *     is not of the challenge
     */
    public Done prove(long session, String argument) {
        String[] w = argument.strip().split("\\s+");
        if (w.length != 2) throw refused(Refusal.BAD_ARGUMENT, "usage: auth KEYID SIGNATURE (the signature in base64)");
        String keyId = w[0];
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(w[1]);
        } catch (IllegalArgumentException e) {
            throw refused(Refusal.BAD_ARGUMENT, "the signature of 'auth' is not base64: " + e.getMessage());
        }
        byte[] challenged;
        synchronized (this) {
            if (this.session != session || nonce == null) {
                throw refused(Refusal.PROOF_REFUSED, "no challenge is outstanding in this session (each is answered once): "
                        + "ask 'auth-challenge' and sign the new one");
            }
            challenged = nonce;
            nonce = null; // one answer per challenge, right or wrong
        }
        TrustedKeys release;
        TrustedKeys test;
        try {
            release = TrustedKeys.load(trustedKeysDir);
            test = TrustedKeys.load(testKeysDir);
        } catch (IOException e) {
            throw refused(Refusal.FAILED, "the board's trusted keys cannot be read: " + e.getMessage());
        }
        boolean testKey = !release.contains(keyId);
        TrustedKeys keys = testKey ? test : release;
        if (!keys.contains(keyId)) {
            throw refused(Refusal.PROOF_REFUSED, "this key (id " + keyId + ") is not trusted by the board: copy its .pub file "
                    + "into " + trustedKeysDir + "/ on the board (trusted now: " + ids(release) + "; test keys in "
                    + testKeysDir + "/: " + ids(test) + ")");
        }
        byte[] message = new AuthChallenge(AuthChallenge.SCHEME, boardId, HexFormat.of().formatHex(challenged)).signedMessage();
        if (!keys.verifies(keyId, message, signature)) {
            throw refused(Refusal.PROOF_REFUSED, "the signature by key " + keyId + " is not of this session's challenge "
                    + "(a signature of another challenge, another board, or by another key): ask 'auth-challenge' again "
                    + "and sign the new one; the pirt tool does this by itself");
        }
        synchronized (this) {
            if (this.session != session) {
                throw refused(Refusal.PROOF_REFUSED, "another session began while the proof was checked; prove the key again");
            }
            provenKeyId = keyId;
            provenTestKey = testKey;
        }
        if (testKey) {
            return new Done("this session proved test key " + keyId + ": it may run tests (test-run, test-stop, test-host-reply, "
                    + "gpio) until it ends");
        }
        return new Done("this session proved key " + keyId + ": it may change the board until it ends");
    }

    /**
     * Refuses {@code command} unless it does not change the board or {@code session} proved a
     * trusted key.
     *
     * @throws Refusal.RefusedException {@code PROOF_REQUIRED}, saying how to prove a key
     */
    public void require(long session, Command command, String argument) {
        if (!command.changesBoard(argument)) return;
        synchronized (this) {
            if (this.session == session && session != 0 && provenKeyId != null) {
                if (!provenTestKey || TEST_SCOPE.contains(command)) return;
                throw refused(Refusal.PROOF_REFUSED, "'" + (command.wireName() + " " + argument).strip() + "' needs a key in "
                        + trustedKeysDir + "/; this session proved key " + provenKeyId + ", a test key, which may only run tests");
            }
        }
        throw refused(Refusal.PROOF_REQUIRED, "'" + (command.wireName() + " " + argument).strip() + "' changes the board, and "
                + "this board takes such requests only from a session that proved a key it trusts. The pirt tool proves one "
                + "by itself with your signing key (~/.pirt/signing.key, or --key; make one with `pirt keygen`) when its .pub "
                + "is in " + trustedKeysDir + "/ on the board; a tool older than this board cannot: update it");
    }

    private static String ids(TrustedKeys keys) {
        return keys.keyIds().isEmpty() ? "none" : String.join(", ", keys.keyIds());
    }

    /** Under this: the state is {@code s}'s from now on; another session's proof and challenge are forgotten. */
    private void belongTo(long s) {
        if (session == s) return;
        session = s;
        nonce = null;
        provenKeyId = null;
        provenTestKey = false;
    }

    private static Refusal.RefusedException refused(String code, String message) {
        return new Refusal(code, message).exception();
    }
}
