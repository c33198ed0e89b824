package io.pirt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.tools.board.ssh.TestSshd;
import io.pirt.virtualboard.VirtualBoard;
import io.pirt.wire.message.BoardInfo;
import io.pirt.wire.message.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The tool over the network (issue #21, docs/tool.md) against the real runtime on a virtual
 * board, which serves its wire protocol on a Unix socket as a Pi's does: {@code ssh://} through
 * an SSH server in this process forwarding {@code direct-streamlocal} channels to that socket
 * (as a Pi's sshd does), and {@code unix:PATH} straight to it. The tool's home
 * ({@code user.home}) is a temporary directory with the test's key and known_hosts, so the real
 * {@code ~/.ssh} is never read; {@link Isolated} because that property is the whole JVM's.
 */
@Timeout(180)
@Isolated
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkOnVirtualBoardTest {
    @TempDir
    static Path dir;
    static VirtualBoard board;
    static TestSshd sshd;
    static Path key;
    static Path pub;
    static Path bundle;
    static String realHome;
    static final Path HELLO = Path.of(System.getProperty("pirt.hello.dir"));

    static ToolRun pirt(String... args) {
        return ToolRun.pirt(args);
    }

    static String ssh() {
        return "ssh://tester@127.0.0.1:" + sshd.port() + board.wireSocket();
    }

    @BeforeAll
    static void start() throws Exception {
        Class.forName("io.pirt.tools.bundle.KeygenCommand"); // its default directory is read once, from the real home
        Path home = Files.createDirectories(dir.resolve("home"));
        var userKey = TestSshd.makeUserKey(home);
        sshd = new TestSshd();
        sshd.authorize(userKey);
        Files.writeString(home.resolve(".ssh/known_hosts"), sshd.knownHostsLine(sshd.hostKey()) + "\n");
        realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());

        Path wiring = Files.writeString(dir.resolve("wiring"), """
                button BTN0 BTN0 low
                led LED0 LED0
                jumper D22 D23
                """);
        Path state = dir.resolve("board");
        board = VirtualBoard.start(VirtualBoard.Options.at(state).wiring(wiring).args(List.of(
                "--app-jvm-flag", "-Xmx96m", "--app-jvm-flag", "-Dpirt.scheduling=none", "--trial-ms", "1500")));
        key = state.resolve("dev-signing-key.pem");
        pub = state.resolve("config/keys/dev.pub");
        // hello-world's jar with 2 MiB of incompressible data in it, so a flash is long enough to cut in the middle
        Path app = dir.resolve("hello-world-big.jar");
        byte[] noise = new byte[2 * 1024 * 1024];
        new Random(21).nextBytes(noise);
        try (var hello = new java.util.jar.JarFile(System.getProperty("pirt.hello.jar"));
             OutputStream f = Files.newOutputStream(app); JarOutputStream jar = new JarOutputStream(f)) {
            for (JarEntry e : java.util.Collections.list(hello.entries())) {
                jar.putNextEntry(new JarEntry(e.getName()));
                try (InputStream in = hello.getInputStream(e)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
            jar.putNextEntry(new JarEntry("noise.bin"));
            jar.write(noise);
            jar.closeEntry();
        }
        bundle = dir.resolve("hello.pirt");
        ToolRun made = pirt("bundle", "--jar", app.toString(),
                "--main", "io.pirt.examples.hello.HelloWorld", "--name", "hello-world", "--version", "1.0.0",
                "--key", key.toString(), "--public-key", pub.toString(), "--out", bundle.toString());
        assertEquals(0, made.exitCode(), made.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (realHome != null) System.setProperty("user.home", realHome);
        try {
            if (sshd != null) sshd.close();
        } finally {
            if (board != null) {
                board.close();
                System.out.println("runtime process output:\n" + board.runtimeOutput());
            }
        }
    }

    @Test
    @Order(1)
    void infoJsonOverSsh() throws Exception {
        ToolRun run = pirt("info", "--json", "--port", ssh());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("virtual", Messages.decode(run.out(), BoardInfo.class).board(), run.out());
        assertEquals(1, sshd.socketsOpened(), "one channel to the board's socket");
    }

    @Test
    @Order(2)
    void aFlashOverSshCutInTheMiddleResumesLikeACutCable() {
        int before = sshd.socketsOpened();
        sshd.cutAfter(700 * 1024);
        ToolRun run = pirt("flash", "--progress", "none", "--port", ssh(), bundle.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("committed hello-world 1.0.0\n", run.out(), run.toString());
        assertTrue(run.err().contains("lost the board"), "the cut was seen: " + run);
        assertTrue(run.err().matches("(?s).*resumed from byte [1-9]\\d* of .*"), "resumed, not restarted: " + run);
        assertTrue(sshd.socketsOpened() - before >= 2, "a new channel after the cut: " + run);
    }

    @Test
    @Order(3)
    void consoleOverSshTypesIntoTheShellAndShowsItsAnswer() throws Exception {
        InputStream keyboard = System.in;
        Path log = dir.resolve("console.log");
        try (PipedOutputStream typing = new PipedOutputStream(); PipedInputStream in = new PipedInputStream(typing)) {
            System.setIn(in);
            CompletableFuture<ToolRun> run = CompletableFuture.supplyAsync(() -> pirt("console", "--port", ssh(), "--log", log.toString()));
            typing.write("info\n".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // the log is a file the console writes as lines come: poll it, bounded
            while (!(Files.exists(log) && Files.readString(log).contains("bundle:      hello-world 1.0.0"))) {
                if (System.nanoTime() - deadline > 0) {
                    typing.write("\u001d\n".getBytes(StandardCharsets.UTF_8));
                    typing.flush();
                    throw new AssertionError("info's answer did not reach the console; it showed:\n" + run.get(20, TimeUnit.SECONDS));
                }
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
            }
            typing.write("\u001d\n".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            ToolRun r = run.get(20, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.out().contains("board:       virtual"), r.out());
        } finally {
            System.setIn(keyboard);
        }
    }

    @Test
    @Order(4)
    void pirtTestOverSshRunsTheExamplesTestsOnTheBoard() throws Exception {
        Path reports = dir.resolve("reports");
        ToolRun run = pirt("test", "--port", ssh(), "--key", key.toString(), "--public-key", pub.toString(),
                "--reports", reports.toString(), "--classpath", HELLO.resolve("target/classes").toString(),
                "--exclude-tag", "fails-on-purpose", "--exclude-tag", "hangs-on-purpose",
                HELLO.resolve("target/test-classes").toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("PASS  io.pirt.examples.hello.OnBoardTest.theButtonPressIsSeenByAnEdgeCallback"), run.out());
        assertTrue(Files.exists(reports.resolve("TEST-io.pirt.examples.hello.OnBoardTest.xml")), run.toString());
        assertTrue(run.out().contains("the board runs hello-world 1.0.0 again"), run.toString());
    }

    @Test
    @Order(5)
    void unixAddressReachesTheBoardsSocketDirectly() throws Exception {
        int channels = sshd.socketsOpened();
        String address = "unix:" + board.wireSocket();
        ToolRun info = pirt("info", "--json", "--port", address);
        assertEquals(0, info.exitCode(), info.toString());
        BoardInfo b = Messages.decode(info.out(), BoardInfo.class);
        assertEquals("virtual", b.board(), info.out());
        assertEquals("hello-world", b.bundle().name(), info.out());
        ToolRun logs = pirt("logs", "--port", address, "-n", "200");
        assertEquals(0, logs.exitCode(), logs.toString());
        assertTrue(logs.out().contains("[app]"), "the application's output: " + logs);
        assertEquals(channels, sshd.socketsOpened(), "not through the SSH server");
    }

    @Test
    @Order(6)
    void aMissingSocketUnderUnixSaysWhatToRun() throws IOException {
        Path nowhere = dir.resolve("no-runtime.sock");
        ToolRun run = pirt("info", "--port", "unix:" + nowhere);
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("no runtime socket at " + nowhere), run.toString());
        assertTrue(run.err().contains("--wire-socket"), run.toString());
    }
}
