package io.pirt.runtime.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.bundle.SigningKeys;
import io.pirt.wire.message.AuthChallenge;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.Refusal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A session's proof of a trusted key (docs/protocol.md §5.7), with real keys in real directories. */
@Timeout(10)
class SessionProofsTest {
    @TempDir
    Path dir;
    KeyPair release;
    KeyPair test;
    KeyPair stranger;
    SessionProofs proofs;

    @BeforeEach
    void keys() throws Exception {
        release = SigningKeys.generate();
        test = SigningKeys.generate();
        stranger = SigningKeys.generate();
        SigningKeys.writePublicKey(release.getPublic(), Files.createDirectories(dir.resolve("keys")).resolve("laptop.pub"));
        SigningKeys.writePublicKey(test.getPublic(), Files.createDirectories(dir.resolve("test-keys")).resolve("ci.pub"));
        proofs = new SessionProofs(dir.resolve("keys"), dir.resolve("test-keys"), "rpi-4b");
    }

    static String auth(KeyPair keys, AuthChallenge challenge) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(keys.getPrivate());
        s.update(challenge.signedMessage());
        return SigningKeys.keyId(keys.getPublic()) + " " + Base64.getEncoder().encodeToString(s.sign());
    }

    static String code(org.junit.jupiter.api.function.Executable refused) {
        return assertThrows(Refusal.RefusedException.class, refused).refusal().code();
    }

    @Test
    void readingNeedsNoProofChangingDoes() {
        proofs.require(1, Command.INFO, "");
        proofs.require(1, Command.GPIO, "read D5");
        assertEquals(Refusal.PROOF_REQUIRED, code(() -> proofs.require(1, Command.RESTART, "")));
        assertEquals(Refusal.PROOF_REQUIRED, code(() -> proofs.require(1, Command.GPIO, "write D5 1")));
        assertEquals(Refusal.PROOF_REQUIRED, code(() -> proofs.require(1, Command.ALLOW_DOWNGRADE, "ab")));
    }

    @Test
    void aTrustedKeyProvesTheSessionUntilItEnds() throws Exception {
        AuthChallenge c = proofs.challenge(7);
        assertEquals(AuthChallenge.NONCE_BYTES * 2, c.nonce().length());
        assertNotEquals(c.nonce(), proofs.challenge(7).nonce(), "a fresh nonce each time");
        proofs.prove(7, auth(release, proofs.challenge(7)));
        proofs.require(7, Command.RESTART, "");
        proofs.require(7, Command.ROLLBACK, "");
        assertEquals(Refusal.PROOF_REQUIRED, code(() -> proofs.require(8, Command.RESTART, "")), "another session proved nothing");
        proofs.challenge(8); // the next session asks: the old one's proof is gone for good
        assertEquals(Refusal.PROOF_REQUIRED, code(() -> proofs.require(7, Command.RESTART, "")));
    }

    @Test
    void aChallengeIsAnsweredOnceAndOnlyInItsSession() throws Exception {
        AuthChallenge c = proofs.challenge(3);
        String signed = auth(release, c);
        assertEquals(Refusal.PROOF_REFUSED, code(() -> proofs.prove(4, signed)), "another session's challenge");
        proofs.prove(3, signed);
        assertEquals(Refusal.PROOF_REFUSED, code(() -> proofs.prove(3, signed)), "replayed");
        AuthChallenge next = proofs.challenge(3);
        assertEquals(Refusal.PROOF_REFUSED, code(() -> proofs.prove(3, signed)), "a signature of an older challenge");
        assertEquals(Refusal.PROOF_REFUSED, code(() -> proofs.prove(3, auth(release, next))), "the failure used the challenge up");
    }

    @Test
    void anUntrustedKeyIsRefusedSayingWhereItsPubGoes() throws Exception {
        AuthChallenge c = proofs.challenge(5);
        Refusal r = assertThrows(Refusal.RefusedException.class, () -> proofs.prove(5, auth(stranger, c))).refusal();
        assertEquals(Refusal.PROOF_REFUSED, r.code());
        assertTrue(r.message().contains("(id " + SigningKeys.keyId(stranger.getPublic()) + ") is not trusted by the board"), r.message());
        assertTrue(r.message().contains(dir.resolve("keys") + "/"), r.message());
        assertEquals(Refusal.PROOF_REQUIRED, code(() -> proofs.require(5, Command.STOP, "")));
    }

    @Test
    void aSignatureByAnotherKeyUnderATrustedKeysIdIsRefused() throws Exception {
        AuthChallenge c = proofs.challenge(6);
        String forged = SigningKeys.keyId(release.getPublic()) + " " + auth(stranger, c).split(" ")[1];
        assertEquals(Refusal.PROOF_REFUSED, code(() -> proofs.prove(6, forged)));
        assertEquals(Refusal.BAD_ARGUMENT, code(() -> proofs.prove(6, "only-one-word")));
    }

    @Test
    void aTestKeyMayRunTestsButNotChangeTheApplication() throws Exception {
        proofs.prove(9, auth(test, proofs.challenge(9)));
        proofs.require(9, Command.TEST_RUN, "ab 1000");
        proofs.require(9, Command.TEST_STOP, "");
        proofs.require(9, Command.GPIO, "press BTN0");
        Refusal r = assertThrows(Refusal.RefusedException.class, () -> proofs.require(9, Command.ROLLBACK, "")).refusal();
        assertEquals(Refusal.PROOF_REFUSED, r.code());
        assertTrue(r.message().contains("a test key"), r.message());
        assertEquals(Refusal.PROOF_REFUSED, code(() -> proofs.require(9, Command.ALLOW_DOWNGRADE, "ab")));
    }
}
