package io.pirt.tests.board;

import io.pirt.wire.message.AnswerText;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Messages;
import io.pirt.virtualboard.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.bundle.BundleManifest;
import io.pirt.bundle.BundleWriter;
import io.pirt.bundle.Version;
import io.pirt.tools.board.SerialLink;
import io.pirt.tools.client.BoardClient;
import io.pirt.tools.client.TransferReport;
import io.pirt.wire.Response;
import io.pirt.runtime.supervisor.CrashingApp;
import io.pirt.runtime.supervisor.ExitingApp;
import io.pirt.runtime.supervisor.HangingApp;
import io.pirt.runtime.supervisor.TestApp;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

/**
 * Bundles flashed through the wire protocol to the real runtime on the virtual board:
 * installed, tried, committed; one that crashes, exits or hangs rolled back; a bundle for another board refused
 * with nothing changed.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlashTest {
    @TempDir
    static Path dir;
    static VirtualBoard board;

    @BeforeAll
    static void start() throws Exception {
        board = VirtualBoard.start(VirtualBoard.Options.at(dir.resolve("board")).args(List.of(
                "--app-jvm-flag", "-Xmx64m", "--app-jvm-flag", "-Dpirt.scheduling=none", "--trial-ms", "3000",
                "--hang-timeout-ms", "1500")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (board != null) {
            board.close();
            System.out.println("runtime process output:\n" + board.runtimeOutput());
        }
    }

    /** A jar with one class of the test classes. */
    static Path jarOf(Class<?> c, String name) throws IOException {
        Path jar = dir.resolve(name + ".jar");
        String entry = c.getName().replace('.', '/') + ".class";
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(f)) {
            out.putNextEntry(new JarEntry(entry));
            try (var in = c.getClassLoader().getResourceAsStream(entry)) { // from the runtime's test jar
                if (in == null) throw new IOException(entry + " is not on the test class path");
                in.transferTo(out);
            }
            out.closeEntry();
        }
        return jar;
    }

    static Path bundle(String version, Class<?> main, String boards) throws Exception {
        Path file = dir.resolve("app-" + version + "-" + boards.replace('*', 'x') + ".pirt");
        BundleWriter.write(file, new BundleManifest("test-app", Version.parse(version), main.getName(), List.of(boards),
                Version.parse("0.1.0"), 4), List.of(jarOf(main, "app-" + version)), board.signingKeys());
        return file;
    }

    /** Flashes {@code file} and returns the board's verdict. */
    static String flash(Path file) throws Exception {
        return withClient(client -> {
            TransferReport report = client.transfer(file, "bundle.pirt", p -> { });
            Response verdict = client.request("install-wait", report.sha256Hex() + " 60000");
            assertEquals(Response.Status.OK, verdict.status(), verdict.toString());
            return Messages.decode(verdict.body(), InstallVerdict.class).toString();
        });
    }

    /** What a test does with a session. */
    @FunctionalInterface
    interface ClientCall<T> {
        T apply(BoardClient client) throws Exception;
    }

    /**
     * Runs {@code call} on a session of its own, on the board's port opened as the tool opens
     * it ({@link SerialLink}: closing the client's input ends its reader at once, where
     * jSerialComm's own stream held it for the link's one-second bound at every close). Says
     * hello until the runtime answers (bounded: 60 s): it opens its console a moment after it
     * starts. Each attempt has a port of its own: a failed client's closed input ends reads on it.
     */
    static <T> T withClient(ClientCall<T> call) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        BoardClient.Options o = BoardClient.Options.defaults();
        // generous answers: a loaded CI machine verifies and installs slowly
        o = o.withTimeouts(o.idleTimeoutMs(), o.helloTimeoutMs(), 30_000, 30_000);
        for (;;) {
            try (SerialLink port = SerialLink.open(board.port().toString(), 115_200)) {
                BoardClient client;
                try {
                    client = BoardClient.connect(port.in(), port.out(), o, (source, line) -> { });
                } catch (io.pirt.wire.ProtocolException e) {
                    if (System.nanoTime() - deadline > 0) throw e;
                    continue;
                }
                try (client) {
                    return call.apply(client);
                }
            }
        }
    }

    static String ask(String command) throws Exception {
        return withClient(client -> text(command, client.request(command, "")));
    }

    /**
     * {@code info} once the application runs: after a rollback the board starts the committed
     * bundle at once, and it is RUNNING when its JVM links up, which no event tells the tool;
     * so ask again, bounded (30 s), while it is STARTING.
     */
    static String infoOnceRunning() throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        String info;
        do {
            info = ask("info");
        } while (info.contains("application: STARTING") && System.nanoTime() - deadline < 0);
        return info;
    }

    @Test
    @Order(1)
    void healthyBundleIsInstalledTriedAndCommitted() throws Exception {
        assertEquals("committed test-app 1.0.0", flash(bundle("1.0.0", TestApp.class, "virtual")));
        String info = ask("info");
        assertTrue(info.contains("bundle:      test-app 1.0.0 (slot A, committed)"), info);
        assertTrue(ask("bundles").contains("committed, test-app 1.0.0"));
    }

    @Test
    @Order(2)
    void bundleThatCrashesIsRolledBackToTheCommittedOne() throws Exception {
        assertEquals("rolled back: it crashed (exit status 1)", flash(bundle("2.0.0", CrashingApp.class, "virtual")));
        String info = infoOnceRunning();
        assertTrue(info.contains("bundle:      test-app 1.0.0 (slot A, committed)"), info);
        assertTrue(info.contains("application: RUNNING"), info);
    }

    @Test
    @Order(3)
    void bundleThatExitsIsRolledBack() throws Exception {
        assertEquals("rolled back: it exited (status 0)", flash(bundle("2.1.0", ExitingApp.class, "virtual")));
        String info = ask("info");
        assertTrue(info.contains("bundle:      test-app 1.0.0 (slot A, committed)"), info);
    }

    @Test
    @Order(4)
    void bundleThatHangsIsRolledBack() throws Exception {
        String verdict = flash(bundle("2.2.0", HangingApp.class, "virtual"));
        assertTrue(verdict.startsWith("rolled back: it hung: no heartbeat for "), verdict);
        String info = ask("info");
        assertTrue(info.contains("bundle:      test-app 1.0.0 (slot A, committed)"), info);
    }

    @Test
    @Order(5)
    void bundleForAnotherBoardIsRefusedAndNothingChanges() throws Exception {
        Path wrong = bundle("3.0.0", TestApp.class, "rpi-4b");
        IOException e = assertThrows(IOException.class, () -> flash(wrong));
        assertTrue(e.getMessage().contains("rpi-4b"), e.getMessage());
        String info = ask("info");
        assertTrue(info.contains("bundle:      test-app 1.0.0 (slot A, committed)"), info);
    }

    @Test
    @Order(6)
    void rollbackWithNothingToGoBackToIsRefusedAndTheApplicationKeepsRunning() throws Exception {
        String answer = ask("rollback");
        assertTrue(answer.startsWith("error: ") && answer.contains("nothing to roll back to"), answer);
        String info = infoOnceRunning(); // the hang's rollback (order 4) may still be starting the committed bundle
        assertTrue(info.contains("application: RUNNING") && info.contains("test-app 1.0.0 (slot A, committed)"), info);
    }

    /** The board's typed answer to {@code command} as the shell shows it, or its refusal as {@code error: ...}. */
    static String text(String command, Response r) throws Exception {
        Class<?> type = Command.of(command).orElseThrow().answerType("");
        return AnswerText.of(r.status() == Response.Status.OK ? Messages.decode(r.body(), type) : Messages.refusalIn(r));
    }
}
