package io.pirt.tools.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.wire.Response;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.Refusal;
import io.pirt.virtualboard.CableFaults;
import io.pirt.tools.Pirt;
import io.pirt.tools.Pirt.Run;
import io.pirt.tools.bench.LoopbackBoard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@code pirt flash} against the board's protocol endpoint on a virtual cable: each verdict
 * with its exit code, a bundle the board's store refuses, and a transfer resumed after the
 * cable was cut.
 */
@Timeout(60)
@Execution(ExecutionMode.CONCURRENT) // mostly waiting for paced and cut cables: beside the others (pom.xml); each test has a board of its own
class FlashCommandTest {
    @TempDir
    Path dir;

    private Path file(int bytes) throws IOException {
        byte[] b = new byte[bytes];
        new Random(7).nextBytes(b);
        return Files.write(dir.resolve("app.pirt"), b);
    }

    private LoopbackBoard board(int baud, CableFaults faults, String verdict, AtomicReference<Path> stored) throws Exception {
        return new LoopbackBoard(dir.resolve("board"), baud, faults,
                (session, command, argument) -> command.equals("install-wait") ? Response.ok(Messages.encode(verdictOf(verdict)))
                        : Response.failed(Messages.encode(new Refusal(Refusal.NOT_SUPPORTED, "no"))),
                (name, file, sha) -> {
                    if (verdict.startsWith("refused")) throw new IOException("refused: not signed by a trusted key (UNSIGNED)");
                    stored.set(Files.copy(file, dir.resolve("stored-" + name)));
                });
    }

    /** The typed verdict the board would keep for a bundle, from how a person writes it. */
    private static InstallVerdict verdictOf(String said) {
        if (said.startsWith("committed ")) {
            String[] w = said.split(" ");
            return InstallVerdict.committed(w[1], w[2]);
        }
        if (said.startsWith("rolled back: ")) return InstallVerdict.rolledBack(said.substring("rolled back: ".length()));
        return InstallVerdict.refused(Refusal.BUNDLE_PREFIX + "UNSIGNED", "not signed by a trusted key (UNSIGNED)");
    }

    @Test
    void committedExitsZeroAndTheBoardHasTheFile() throws Exception {
        AtomicReference<Path> stored = new AtomicReference<>();
        Path bundle = file(20_000);
        try (LoopbackBoard b = board(0, CableFaults.NONE, "committed demo 1.0.0", stored)) {
            Run run = Pirt.run("flash", "--port", b.port().toString(), bundle.toString());
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals("committed demo 1.0.0\n", run.out());
            assertTrue(run.err().contains("[##############################] 100%"), run.err());
        }
        assertEquals(-1, Files.mismatch(bundle, stored.get()));
    }

    @Test
    void refusedByTheStoreExitsThreeWithTheBoardsReason() throws Exception {
        try (LoopbackBoard b = board(0, CableFaults.NONE, "refused: unsigned", new AtomicReference<>())) {
            Run run = Pirt.run("flash", "--port", b.port().toString(), file(5_000).toString());
            assertEquals(3, run.exitCode(), run.toString());
            assertTrue(run.err().contains("not signed by a trusted key (UNSIGNED)"), run.err());
            assertEquals("", run.out());
        }
    }

    @Test
    void rolledBackExitsFour() throws Exception {
        try (LoopbackBoard b = board(0, CableFaults.NONE, "rolled back: demo did not start within 20 s", new AtomicReference<>())) {
            Run run = Pirt.run("flash", "--port", b.port().toString(), file(5_000).toString());
            assertEquals(4, run.exitCode(), run.toString());
            assertTrue(run.err().contains("rolled " + dir.resolve("app.pirt") + " back: demo did not start within 20 s"), run.err());
            assertEquals("", run.out());
        }
    }

    @Test
    void aCutCableResumesFromWhatTheBoardHasRatherThanRestarting() throws Exception {
        AtomicReference<Path> stored = new AtomicReference<>();
        Path bundle = file(200_000);
        try (LoopbackBoard b = board(921_600, CableFaults.cutAfter(80_000), "committed demo 1.0.0", stored)) {
            java.lang.Thread replug = new java.lang.Thread(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!b.cable().isCut() && System.nanoTime() < deadline) LockSupport.parkNanos(10_000_000);
                // out longer than the idle timeout (3 s), so the session ends and the transfer must resume in a new one
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(4_000));
                b.cable().reconnect();
            }, "test-replug");
            replug.start();
            Run run = Pirt.run("flash", "--port", b.port().toString(), "--baud", "921600", "--progress", "lines", bundle.toString());
            replug.join(30_000);
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.err().matches("(?s).*resumed from byte [1-9]\\d* of 200000.*"), run.err());
        }
        assertEquals(-1, Files.mismatch(bundle, stored.get()));
    }

    @Test
    void aReplugOfTheHostPortReopensItAndResumes() throws Exception {
        AtomicReference<Path> stored = new AtomicReference<>();
        Path bundle = file(300_000);
        try (LoopbackBoard b = board(921_600, CableFaults.NONE, "committed demo 1.0.0", stored)) {
            java.lang.Thread replug = new java.lang.Thread(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (b.cable().bytesCrossed() < 100_000 && System.nanoTime() < deadline) LockSupport.parkNanos(5_000_000);
                b.cable().replugHost(); // the port closes under the tool; the same path comes back at once
            }, "test-replug");
            replug.start();
            Run run = Pirt.run("flash", "--port", b.port().toString(), "--baud", "921600", "--progress", "none", bundle.toString());
            replug.join(30_000);
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.err().contains("reconnecting to " + b.port()), run.err());
            assertTrue(run.err().matches("(?s).*resumed from byte [1-9]\\d* of 300000.*"), run.err());
        }
        assertEquals(-1, Files.mismatch(bundle, stored.get()));
    }

    @Test
    void aMissingBundleFileFailsBeforeTouchingThePort() {
        Run run = Pirt.run("flash", "--port", "/dev/null", dir.resolve("none.pirt").toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("pirt: no such bundle file"), run.err());
    }

    @Test
    void aSecondFlashSendsOnlyTheThinBundleWhenTheBoardsCacheHasTheLibraries() throws Exception {
        java.util.Set<String> cache = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicReference<Path> stored = new AtomicReference<>();
        Path app = dir.resolve("app.jar");
        Path lib = dir.resolve("dep.jar");
        byte[] libBytes = new byte[60_000];
        new Random(3).nextBytes(libBytes);
        Files.write(lib, libBytes);
        Files.write(app, new byte[] {1, 2, 3});
        Path bundle = dir.resolve("v1.pirt");
        io.pirt.bundle.BundleWriter.writeWithLibraries(bundle, new io.pirt.bundle.BundleManifest("demo", io.pirt.bundle.Version.parse("1.0.0"),
                "a.Main", java.util.List.of("*"), io.pirt.bundle.Version.parse("0.1.0"), 4), java.util.List.of(app), java.util.List.of(lib), null);
        try (LoopbackBoard b = new LoopbackBoard(dir.resolve("board"), 0, CableFaults.NONE, (session, command, argument) -> switch (command) {
            case "install-wait" -> Response.ok(Messages.encode(InstallVerdict.committed("demo", "1.0.0")));
            case "libs-have" -> Response.ok(Messages.encode(new io.pirt.wire.message.CachedLibraries(
                    java.util.Arrays.stream(argument.split(" ")).filter(cache::contains).toList(), 1 << 20, 0)));
            default -> Response.failed(Messages.encode(new Refusal(Refusal.NOT_SUPPORTED, "no")));
        }, (name, file, sha) -> {
            if (name.equals(io.pirt.wire.message.CachedLibraries.transferName(sha))) cache.add(sha);
            else stored.set(Files.copy(file, dir.resolve("stored-" + System.nanoTime())));
        })) {
            Run first = Pirt.run("flash", "--port", b.port().toString(), "--progress", "none", bundle.toString());
            assertEquals(0, first.exitCode(), first.toString());
            assertTrue(first.err().contains("libraries: 0 on the board already, 1 sent (60000 bytes)"), first.err());
            Run second = Pirt.run("flash", "--port", b.port().toString(), "--progress", "none", bundle.toString());
            assertEquals(0, second.exitCode(), second.toString());
            assertTrue(second.err().contains("libraries: 1 on the board already, 0 sent (0 bytes)"), second.err());
            stored.set(null);
            // the same through Flashing.flash, as pirt demo and the JUnit extension send bundles
            try (io.pirt.tools.board.BoardSession session = io.pirt.tools.board.BoardSession.open(b.port().toString(), 115200,
                    io.pirt.tools.board.BoardSession.clientOptions(5_000, 5_000), (source, line) -> { })) {
                InstallVerdict v = Flashing.flash(session.client(), bundle, 5_000, p -> { });
                assertEquals(InstallVerdict.Outcome.COMMITTED, v.outcome(), v.toString());
            }
        }
        assertTrue(Files.size(stored.get()) < 10_000, "the board got the bundle without its library: " + Files.size(stored.get()));
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(stored.get().toFile())) {
            assertEquals(null, zip.getEntry("lib/dep.jar"));
        }
    }
}
