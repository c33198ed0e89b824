package io.pirt.tools.board.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.tools.Pirt;
import io.pirt.tools.Pirt.Run;
import io.pirt.wire.Response;
import io.pirt.wire.message.BoardInfo;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.Refusal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssh://} addresses end to end in this process: the tool's SSH client against a MINA
 * server on 127.0.0.1 that forwards {@code direct-streamlocal} channels to a board's protocol
 * endpoint on a Unix socket. The tool's home ({@code user.home}) is a temporary directory
 * holding the test's key, so the real {@code ~/.ssh} is never read or written.
 */
@Timeout(60)
class SshAddressTest {
    @TempDir
    Path dir;

    private String realHome;
    private Path home;
    private java.security.PublicKey userKey;

    @BeforeAll
    static void fixDefaultsThatReadTheHomeOnce() throws Exception {
        Class.forName("io.pirt.tools.bundle.KeygenCommand"); // its default directory is read once, from the real home
    }

    @BeforeEach
    void home() throws Exception {
        home = Files.createDirectories(dir.resolve("home"));
        userKey = TestSshd.makeUserKey(home);
        realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
    }

    @AfterEach
    void restoreHome() {
        System.setProperty("user.home", realHome);
    }

    private static SocketBoard infoBoard(Path dir) throws Exception {
        return new SocketBoard(dir, (session, command, argument) -> command.equals("info")
                ? Response.ok(Messages.encode(new BoardInfo("virtual", "Virtual board", "0.1.0", 25, "OTHER", "none",
                        new BoardInfo.AppStatus("NONE", "no application"), null, 1000, null, null, null)))
                : Response.failed(Messages.encode(new Refusal(Refusal.NOT_SUPPORTED, "no"))), (name, file, sha) -> { });
    }

    private String address(TestSshd sshd, Path socket) {
        return "ssh://tester@127.0.0.1:" + sshd.port() + socket;
    }

    private Path knownHosts() {
        return home.resolve(".ssh/known_hosts");
    }

    @Test
    void anUnknownHostKeyIsRefusedWithItsFingerprintAndTheOptionThatAcceptsIt() throws Exception {
        try (TestSshd sshd = new TestSshd(); SocketBoard board = infoBoard(dir.resolve("board"))) {
            sshd.authorize(userKey);
            Run run = Pirt.run("info", "--json", "--port", address(sshd, board.socket()));
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().contains(KeyUtils.getFingerPrint(sshd.hostKey())), "the fingerprint: " + run);
            assertTrue(run.err().contains("--accept-new-host-key"), "how to accept it: " + run);
            assertFalse(Files.exists(knownHosts()), "nothing recorded without the option");
            assertEquals(0, board.connections(), "no channel to the board before the host is trusted");
        }
    }

    @Test

    void acceptNewRecordsTheKeyAndTheNextRunNeedsNoOption() throws Exception {
        try (TestSshd sshd = new TestSshd(); SocketBoard board = infoBoard(dir.resolve("board"))) {
            sshd.authorize(userKey);
            Run first = Pirt.run("info", "--json", "--accept-new-host-key", "--port", address(sshd, board.socket()));
            assertEquals(0, first.exitCode(), first.toString());
            BoardInfo info = Messages.decode(first.out(), BoardInfo.class);
            assertEquals("virtual", info.board());
            String recorded = Files.readString(knownHosts());
            assertTrue(recorded.contains("[127.0.0.1]:" + sshd.port()), "the host as [host]:port: " + recorded);
            assertTrue(recorded.contains(org.apache.sshd.common.config.keys.PublicKeyEntry.toString(sshd.hostKey())),
                    "the key: " + recorded);
            Run second = Pirt.run("info", "--json", "--port", address(sshd, board.socket()));
            assertEquals(0, second.exitCode(), second.toString());
            assertEquals(recorded, Files.readString(knownHosts()), "a known host adds nothing");
        }
    }

    @Test
    void aChangedHostKeyIsRefusedEvenWithAcceptNewNamingTheKnownHostsLine() throws Exception {
        try (TestSshd sshd = new TestSshd(); SocketBoard board = infoBoard(dir.resolve("board"))) {
            sshd.authorize(userKey);
            KeyPair before = TestSshd.hostKeyPair();
            Files.writeString(knownHosts(), "# the board before it was reinstalled\n" + sshd.knownHostsLine(before.getPublic()) + "\n");
            Run run = Pirt.run("info", "--accept-new-host-key", "--port", address(sshd, board.socket()));
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().contains("HAS CHANGED"), run.toString());
            assertTrue(run.err().contains(knownHosts() + " line 2"), "the line to look at: " + run);
            assertTrue(run.err().contains(KeyUtils.getFingerPrint(sshd.hostKey())), run.toString());
            assertEquals(2, Files.readAllLines(knownHosts()).size(), "known_hosts left as it was");
        }
    }

    @Test
    void aKeyTheHostDoesNotTakeFailsNamingTheKeysTried() throws Exception {
        try (TestSshd sshd = new TestSshd(); SocketBoard board = infoBoard(dir.resolve("board"))) {
            Files.writeString(knownHosts(), sshd.knownHostsLine(sshd.hostKey()) + "\n");
            Run run = Pirt.run("info", "--port", address(sshd, board.socket()));
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().contains("did not accept any of this user's SSH keys"), run.toString());
            assertTrue(run.err().contains(home.resolve(".ssh/id_ed25519").toString()), "the key tried: " + run);
            assertTrue(run.err().contains("authorized_keys"), "what to do: " + run);
        }
    }

    @Test
    void aMissingSocketSaysTheRuntimeServesNoneThere() throws Exception {
        try (TestSshd sshd = new TestSshd()) {
            sshd.authorize(userKey);
            Files.writeString(knownHosts(), sshd.knownHostsLine(sshd.hostKey()) + "\n");
            Path nowhere = dir.resolve("no-runtime/wire.sock");
            Run run = Pirt.run("info", "--port", address(sshd, nowhere));
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().contains("no pirt runtime socket at " + nowhere), run.toString());
            assertTrue(run.err().contains("--wire-socket"), run.toString());
        }
    }

    @Test

    void aFlashCutWithItsConnectionResumesOnTheNext() throws Exception {
        byte[] b = new byte[512 * 1024];
        new Random(21).nextBytes(b);
        Path bundle = Files.write(dir.resolve("app.pirt"), b);
        AtomicReference<Path> stored = new AtomicReference<>();
        try (TestSshd sshd = new TestSshd();
             SocketBoard board = new SocketBoard(dir.resolve("board"), (session, command, argument) -> command.equals("install-wait")
                     ? Response.ok(Messages.encode(InstallVerdict.committed("app", "1.0.0")))
                     : Response.failed(Messages.encode(new Refusal(Refusal.NOT_SUPPORTED, "no"))),
                     (name, file, sha) -> stored.set(Files.copy(file, dir.resolve("stored"))))) {
            sshd.authorize(userKey);
            Files.writeString(knownHosts(), sshd.knownHostsLine(sshd.hostKey()) + "\n");
            sshd.cutAfter(200 * 1024);
            Run run = Pirt.run("flash", "--progress", "none", "--port", address(sshd, board.socket()), bundle.toString());
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.out().contains("committed app 1.0.0"), run.toString());
            assertTrue(run.err().contains("lost the board"), "the cut was seen: " + run);
            assertTrue(run.err().matches("(?s).*resumed from byte [1-9]\\d* of .*"), "resumed, not restarted: " + run);
            assertEquals(-1, Files.mismatch(bundle, stored.get()), "the board got the file whole");
            assertTrue(board.connections() >= 2, "a second connection after the cut");
        }
    }
}
