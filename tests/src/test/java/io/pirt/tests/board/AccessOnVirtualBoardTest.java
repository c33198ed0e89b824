package io.pirt.tests.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.bundle.SigningKeys;
import io.pirt.runtime.supervisor.TestApp;
import io.pirt.tools.Main;
import io.pirt.tools.board.BoardSession;
import io.pirt.tools.client.BoardClient;
import io.pirt.virtualboard.VirtualBoard;
import io.pirt.wire.Response;
import io.pirt.wire.message.AuthChallenge;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.Done;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.Refusal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what through a board's console port (docs/protocol.md §5.7, docs/raspberry-pi.md
 * "What the port gives"), on virtual boards that are not in development mode unless said: a
 * request that changes the board needs a session that proved a trusted key, which the tool
 * does by itself with the user's key; an untrusted key, a replayed or a wrong signature is
 * refused; a person at the shell reads but does not change unless the configuration opens the
 * shell; test bundles need a test key, and test runs can be turned off; development mode
 * opens everything and says so.
 */
@Timeout(120)
class AccessOnVirtualBoardTest {
    @TempDir
    static Path dir;
    /** Not in development mode, every access setting at the package's default. */
    static VirtualBoard board;
    /** The key pair the board trusts (its keys/dev.pub) and an unknown one. */
    static Path key, pub, strangerKey, strangerPub;

    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    static Run pirt(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    static VirtualBoard start(String name, boolean development, String... options) throws Exception {
        Path appJar = Path.of(TestApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> args = new ArrayList<>(List.of("--app-jar", appJar.toString(), "--app-main", TestApp.class.getName(),
                "--app-jvm-flag", "-Xmx64m", "--app-jvm-flag", "-Dpirt.scheduling=none"));
        args.addAll(List.of(options));
        return VirtualBoard.start(VirtualBoard.Options.at(dir.resolve(name)).development(development).args(args));
    }

    @BeforeAll
    static void startBoard() throws Exception {
        board = start("board", false);
        key = dir.resolve("board/dev-signing-key.pem");
        pub = dir.resolve("board/config/keys/dev.pub");
        KeyPair stranger = SigningKeys.generate();
        strangerKey = dir.resolve("stranger.key");
        strangerPub = dir.resolve("stranger.pub");
        SigningKeys.writePrivateKey(stranger.getPrivate(), strangerKey);
        SigningKeys.writePublicKey(stranger.getPublic(), strangerPub);
    }

    @AfterAll
    static void stopBoard() throws Exception {
        if (board != null) {
            board.close();
            System.out.println("runtime process output:\n" + board.runtimeOutput());
        }
    }

    static String port(VirtualBoard b) {
        return b.port().toString();
    }

    @Test
    void aRequestThatChangesTheBoardIsRefusedWithoutAProofAndSaysHowToMakeAKey() {
        Run run = pirt("restart", "--port", port(board), "--key", dir.resolve("no-such.key").toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("'restart' changes the board"), run.err());
        assertTrue(run.err().contains("pirt keygen"), "the refusal says how to make a key: " + run.err());
        assertTrue(run.err().contains("/keys/"), "and where the board wants its .pub: " + run.err());
    }

    @Test
    void theToolProvesTheUsersKeyByItselfAndTheRequestRuns() {
        Run run = pirt("restart", "--port", port(board), "--key", key.toString(), "--public-key", pub.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("restarted "), run.out());
    }

    @Test
    void aKeyTheBoardDoesNotTrustIsRefusedSayingWhereToPutIt() {
        Run run = pirt("restart", "--port", port(board), "--key", strangerKey.toString(), "--public-key", strangerPub.toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("is not trusted by the board: copy its .pub file into"), run.err());
    }

    @Test
    void readingNeedsNoKeyAndInfoSaysTheAccessMode() {
        Run run = pirt("info", "--port", port(board), "--key", dir.resolve("no-such.key").toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("access:      changes need a trusted key"), run.out());
        assertTrue(run.out().contains("shell read-only"), run.out());
    }

    /** The protocol itself, with no key proof in the client: each challenge is fresh and answered once, and a proof ends with its session. */
    @Test
    void aReplayedOrWrongSignatureIsRefusedAndAProofEndsWithItsSession() throws Exception {
        KeyPair trusted = SigningKeys.readKeyPair(key, pub);
        BoardClient.Options plain = BoardSession.clientOptions(10_000, 10_000).withKeyProof(null);
        try (BoardSession session = BoardSession.openVirtual(board, plain, (source, line) -> { }, 60_000)) {
            BoardClient client = session.client();
            Refusal without = refusal(client.request("stop", ""));
            assertEquals(Refusal.PROOF_REQUIRED, without.code(), without.message());

            AuthChallenge first = Messages.answer(client.request("auth-challenge", ""), AuthChallenge.class);
            AuthChallenge second = Messages.answer(client.request("auth-challenge", ""), AuthChallenge.class);
            assertEquals(2 * AuthChallenge.NONCE_BYTES, second.nonce().length(), "a nonce of 32 random bytes, in hex");
            assertNotEquals(first.nonce(), second.nonce(), "each challenge is fresh");
            assertEquals("virtual", second.board());

            // the first challenge was replaced by the second: its signature proves nothing
            Refusal stale = refusal(client.request("auth", auth(trusted, first)));
            assertEquals(Refusal.PROOF_REFUSED, stale.code(), stale.message());

            AuthChallenge third = Messages.answer(client.request("auth-challenge", ""), AuthChallenge.class);
            AuthChallenge otherBoard = new AuthChallenge(third.scheme(), "rpi-4b", third.nonce());
            Refusal wrongBoard = refusal(client.request("auth", auth(trusted, otherBoard)));
            assertEquals(Refusal.PROOF_REFUSED, wrongBoard.code(), "a signature for another board's id: " + wrongBoard.message());

            AuthChallenge fourth = Messages.answer(client.request("auth-challenge", ""), AuthChallenge.class);
            String proof = auth(trusted, fourth);
            Messages.answer(client.request("auth", proof), Done.class);
            Refusal replayed = refusal(client.request("auth", proof));
            assertEquals(Refusal.PROOF_REFUSED, replayed.code(), "a challenge is answered once: " + replayed.message());

            Done stopped = Messages.answer(client.request("stop", ""), Done.class);
            assertTrue(stopped.message().contains("stopped") || stopped.message().contains("no application"), stopped.message());
            Messages.answer(client.request("restart", ""), Done.class);
        }
        try (BoardSession next = BoardSession.openVirtual(board, plain, (source, line) -> { }, 60_000)) {
            Refusal again = refusal(next.client().request("restart", ""));
            assertEquals(Refusal.PROOF_REQUIRED, again.code(), "a new session has proved nothing: " + again.message());
        }
    }

    static String auth(KeyPair keys, AuthChallenge challenge) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(keys.getPrivate());
        s.update(challenge.signedMessage());
        return SigningKeys.keyId(keys.getPublic()) + " " + Base64.getEncoder().encodeToString(s.sign());
    }

    static Refusal refusal(Response r) {
        assertEquals(Response.Status.FAILED, r.status(), r.body());
        return Messages.refusalIn(r);
    }

    @Test
    void theShellIsReadOnlyByDefault() throws Exception {
        try (HostTerminal term = new HostTerminal(board.port())) {
            term.type("");
            term.expect("pirt> ", 30_000);
            term.type("info");
            term.expect("access: +changes need a trusted key", 10_000);
            term.type("stop");
            term.expect("error: 'stop' changes the board, and this board's shell is read-only.*--shell operator", 10_000);
            term.type("gpio write D5 1");
            term.expect("error: 'gpio write D5 1' changes the board", 10_000);
            term.type("gpio read D5");
            // reading runs (an application restarted by another test may not answer yet: that is an answer too)
            term.expect("\r\n(D5=[01]|error: no application is running)\r\n", 10_000);
        }
        Run info = pirt("info", "--port", port(board));
        assertTrue(info.out().contains("application: RUNNING") || info.out().contains("application: STARTING"),
                "the application was not stopped: " + info);
    }

    @Test
    void theConfigurationOpensTheShellAndTurnsTestRunsOff() throws Exception {
        try (VirtualBoard open = start("operator", false, "--shell", "operator", "--test-runs", "off")) {
            try (HostTerminal term = new HostTerminal(open.port())) {
                term.type("");
                term.expect("pirt> ", 30_000);
                term.type("stop");
                // A stop typed before the runtime has started the application is answered "no application is
                // running", and the start that follows would hold the pins the shell is about to drive: then
                // wait for that start and stop again.
                if (term.expect("stopped|no application is running", 10_000).contains("no application")) {
                    term.expect("says it is healthy", 30_000);
                    term.type("stop");
                    term.expect("stopped", 10_000);
                }
                term.type("gpio write D5 1");
                term.expect("D5=1", 10_000);
            }
            Run test = onBoardTest(open, dir.resolve("operator/dev-signing-key.pem"), dir.resolve("operator/config/keys/dev.pub"));
            assertEquals(3, test.exitCode(), test.toString());
            assertTrue(test.err().contains("test runs are off on this board"), test.err());
        }
    }

    @Test
    void aTestBundleSignedByAReleaseKeyButNoTestKeyIsRefused() {
        Run test = onBoardTest(board, key, pub);
        assertEquals(3, test.exitCode(), test.toString());
        assertTrue(test.err().contains("is not a test key of this board"), test.err());
        assertTrue(test.err().contains("test-keys/"), "says where a test key goes: " + test.err());
    }

    /** {@code pirt test} of the hello-world example's tests, the test bundle signed with {@code key}. */
    static Run onBoardTest(VirtualBoard b, Path key, Path pub) {
        Path hello = Path.of(System.getProperty("pirt.hello.dir"));
        return pirt("test", "--port", port(b), "--key", key.toString(), "--public-key", pub.toString(),
                "--reports", dir.resolve("reports").toString(), "--classpath", hello.resolve("target/classes").toString(),
                hello.resolve("target/test-classes").toString());
    }

    @Test
    void developmentModeOpensEverythingAndSaysSo() throws Exception {
        try (VirtualBoard dev = start("dev", true)) {
            try (HostTerminal term = new HostTerminal(dev.port())) {
                term.type("");
                term.expect("pirt> ", 30_000);
                term.expect("\\[app\\] running", 30_000); // gpio goes to the application once it runs
                term.type("gpio write D5 1");
                term.expect("D5=1", 10_000);
            }
            Run info = pirt("info", "--port", port(dev), "--key", dir.resolve("no-such.key").toString());
            assertEquals(0, info.exitCode(), info.toString());
            assertTrue(info.out().contains("access:      open (development mode)"), info.out());
            Run restart = pirt("restart", "--port", port(dev), "--key", dir.resolve("no-such.key").toString());
            assertEquals(0, restart.exitCode(), "no key needed: " + restart);
        }
    }
}
