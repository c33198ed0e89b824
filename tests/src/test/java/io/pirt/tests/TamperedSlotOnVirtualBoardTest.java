package io.pirt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.bundle.BundleManifest;
import io.pirt.bundle.BundleWriter;
import io.pirt.bundle.Version;
import io.pirt.tools.board.SerialLink;
import io.pirt.tools.client.BoardClient;
import io.pirt.tools.client.TransferReport;
import io.pirt.virtualboard.VirtualBoard;
import io.pirt.wire.Response;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 on the virtual board, runtime process and all: the application (played by the
 * test, between two runs of the runtime) rewrites the jar of the committed bundle with code of
 * its own and the slot's record to match. The restarted runtime does not run it, says why, and
 * runs the bundle committed before, which is intact.
 */
class TamperedSlotOnVirtualBoardTest {
    private static final long STEP_TIMEOUT_MS = 60_000;
    private static final String APP = "test-app";

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void aRewrittenCommittedSlotIsNotRunAfterARestartAndTheIntactOneRuns() throws Exception {
        Path state = dir.resolve("board");
        VirtualBoard board = VirtualBoard.start(options(state));
        try {
            assertEquals("committed " + APP + " 1.0.0", flash(board, bundle(board, "1.0.0")));
            assertEquals("committed " + APP + " 2.0.0", flash(board, bundle(board, "2.0.0")));
        } finally {
            board.close();
        }
        Path slot = committedSlot(state);
        Path jar = slot.resolve("jars/app-2.0.0.jar");
        assertTrue(Files.exists(jar), "the committed slot " + slot + " holds 2.0.0's jar");
        rewriteAsTheApplicationWould(slot, jar);

        int linesBefore = logLines(state).size();
        board = VirtualBoard.start(options(state));
        try {
            String refused = awaitLogged(state, linesBefore, "no longer matches what was signed", board);
            assertTrue(refused.contains("(" + APP + " 2.0.0)") && refused.contains("app-2.0.0.jar"), refused);
            awaitLogged(state, linesBefore, "starting bundle " + APP + " 1.0.0", board);
        } finally {
            board.close();
        }
    }

    private static VirtualBoard.Options options(Path state) {
        return VirtualBoard.Options.at(state).development(false).args(List.of("--app-jvm-flag", "-Xmx64m", "--app-jvm-flag",
                "-Dpirt.scheduling=none", "--app-jvm-flag", "-XX:TieredStopAtLevel=1", "--trial-ms", "30000"));
    }

    /** The committed slot's directory, from the store's state file. */
    private static Path committedSlot(Path state) throws IOException {
        for (String line : Files.readAllLines(state.resolve("store/state.properties"))) {
            if (line.startsWith("committed=")) {
                return state.resolve("store/slot-" + line.substring("committed=".length(), "committed=".length() + 1).toLowerCase());
            }
        }
        throw new AssertionError("no committed= line in state.properties");
    }

    /** Other bytes (a jar of its own) in place of {@code jar}, and the slot's slot.properties rewritten to match (docs/store.md). */
    private static void rewriteAsTheApplicationWould(Path slot, Path jar) throws Exception {
        byte[] old = Files.readAllBytes(jar);
        byte[] mine = jarBytes(new byte[0], new byte[4096], 5);
        Files.write(jar, mine);
        String name = jar.getFileName().toString();
        Path record = slot.resolve("slot.properties");
        String text = Files.readString(record);
        String body = text.substring(0, text.lastIndexOf("checksum="));
        String oldLine = sha256(old) + " " + old.length + " " + name + "\n";
        assertTrue(body.contains(oldLine), body);
        String newBody = body.replace(oldLine, sha256(mine) + " " + mine.length + " " + name + "\n");
        Files.writeString(record, newBody + "checksum=" + sha256(newBody.getBytes(StandardCharsets.UTF_8)) + "\n");
    }

    private Path bundle(VirtualBoard board, String version) throws Exception {
        byte[] appClass;
        try (InputStream in = KillTestApp.class.getResourceAsStream(KillTestApp.class.getSimpleName() + ".class")) {
            appClass = in.readAllBytes();
        }
        Path jar = dir.resolve("app-" + version + ".jar");
        Files.write(jar, jarBytes(appClass, new byte[1024], version.hashCode()));
        Path file = dir.resolve("app-" + version + ".pirt");
        BundleWriter.write(file, new BundleManifest(APP, Version.parse(version), KillTestApp.class.getName(), List.of("virtual"),
                Version.parse("0.1.0"), 4), List.of(jar), board.signingKeys());
        return file;
    }

    /** A jar with KillTestApp's class (when given) and its padding entry, the padding random from {@code seed}. */
    private static byte[] jarBytes(byte[] appClass, byte[] padding, int seed) throws IOException {
        new Random(seed).nextBytes(padding);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream f = bytes; JarOutputStream out = new JarOutputStream(f)) {
            if (appClass.length > 0) {
                out.putNextEntry(new JarEntry(KillTestApp.class.getName().replace('.', '/') + ".class"));
                out.write(appClass);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry(KillTestApp.PADDING));
            out.write(padding);
            out.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** Flashes {@code file} as the tool does (transfer, install-wait) and returns the verdict. */
    private static String flash(VirtualBoard board, Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_TIMEOUT_MS);
        while (true) { // the runtime opens its console a moment after it starts
            try (SerialLink port = SerialLink.open(board.port().toString(), 115_200);
                 BoardClient client = BoardClient.connect(port.in(), port.out(),
                         BoardClient.Options.defaults().withTimeouts(3000, 3000, 30_000, 1000), (source, line) -> { })) {
                TransferReport report = client.transfer(file, "bundle.pirt", p -> { });
                Response r = client.request("install-wait", report.sha256Hex() + " 40000");
                return r.status() == Response.Status.OK ? Messages.decode(r.body(), InstallVerdict.class).toString() : "failed: " + r;
            } catch (IOException | io.pirt.tools.ToolException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("could not flash " + file + " within " + STEP_TIMEOUT_MS + " ms: " + e
                            + "\nruntime output:\n" + board.runtimeOutput(), e);
                }
            }
        }
    }

    /** Waits (bounded) for a console log line after the first {@code skip} containing {@code part}; the log file has no event to wait on. */
    private static String awaitLogged(Path state, int skip, String part, VirtualBoard board) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_TIMEOUT_MS);
        while (true) {
            List<String> lines = logLines(state);
            for (String l : lines.subList(Math.min(skip, lines.size()), lines.size())) if (l.contains(part)) return l;
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no log line with '" + part + "' within " + STEP_TIMEOUT_MS + " ms; log since the restart:\n"
                        + String.join("\n", lines.subList(Math.min(skip, lines.size()), lines.size())) + "\nruntime output:\n"
                        + board.runtimeOutput());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** The runtime's console log, oldest first (the ring's previous file, then the current one). */
    private static List<String> logLines(Path state) throws IOException {
        List<String> all = new ArrayList<>();
        for (String name : new String[] {"console.log.1", "console.log"}) {
            Path f = state.resolve("log").resolve(name);
            if (Files.exists(f)) all.addAll(Files.readAllLines(f));
        }
        return all;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
