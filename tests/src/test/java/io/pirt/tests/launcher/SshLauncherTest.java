package io.pirt.tests.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.tools.board.ssh.TestSshd;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/tool.md's {@code ssh://} commands through the shipped launcher, each a process of its
 * own: {@code ./pirt sim} prints its runtime's socket, an SSH server in the test's process
 * forwards to it (as a Pi's sshd does), and {@code ./pirt} refuses the unknown host key, accepts
 * it with {@code --accept-new-host-key}, then opens a console over the same address. The tool's
 * home is the test's ({@code -Duser.home} through {@code JAVA_TOOL_OPTIONS}), never the real one.
 */
@Timeout(240)
class SshLauncherTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownHostIsRefusedThenAcceptedThenTheConsoleWorksOverSsh() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        var userKey = TestSshd.makeUserKey(home);
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-Duser.home=" + home);
        Path knownHosts = home.resolve(".ssh/known_hosts");
        try (TestSshd sshd = new TestSshd();
             Launcher.Live sim = new Launcher.Live(dir, Map.of(), "sim", "--baud", "0", "--app-jar",
                     Launcher.required("pirt.hello.jar"), "--app-main", "io.pirt.examples.hello.HelloWorld")) {
            sshd.authorize(userKey);
            String socket = sim.awaitLine(l -> l.startsWith("socket: "), 60_000, "'socket: PATH' line").substring("socket: ".length());
            String address = "ssh://tester@127.0.0.1:" + sshd.port() + socket;

            Launcher.Run refused = Launcher.run(dir, env, 60, "info", "--port", address);
            assertEquals(1, refused.exitCode(), refused::toString);
            assertTrue(refused.err().contains(KeyUtils.getFingerPrint(sshd.hostKey())), refused::toString);
            assertTrue(refused.err().contains("--accept-new-host-key"), refused::toString);
            assertFalse(Files.exists(knownHosts), "nothing recorded without the option");

            Launcher.Run accepted = Launcher.run(dir, env, 60, "info", "--accept-new-host-key", "--port", address);
            assertEquals(0, accepted.exitCode(), accepted::toString);
            assertTrue(accepted.out().contains("board:       virtual"), accepted::toString);
            assertTrue(Files.readString(knownHosts).contains("[127.0.0.1]:" + sshd.port()), "the host recorded");

            try (Launcher.Live console = new Launcher.Live(dir, env, "console", "--port", address)) {
                OutputStream in = console.stdin();
                in.write("info\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                console.awaitLine(l -> l.startsWith("board:       virtual"), 30_000, "the shell's answer to 'info'");
                in.write(0x1d); // Ctrl-]
                in.flush();
                assertEquals(0, console.awaitExit(30), "exit code of console");
            }
        }
    }
}
