package io.pirt.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.bundle.BundleManifest;
import io.pirt.bundle.BundleWriter;
import io.pirt.bundle.LibraryReference;
import io.pirt.bundle.SigningKeys;
import io.pirt.bundle.Version;
import io.pirt.runtime.log.ConsoleLog;
import io.pirt.runtime.store.BundleStore;
import io.pirt.runtime.store.FileOps;
import io.pirt.runtime.store.Slot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application runs as the runtime's user and can write the store; it must still not make
 * unsigned code survive a restart. It is played here by the test: it rewrites a jar of the
 * committed slot (or a library the slot links from the cache) with code of its own and then
 * the slot's own record (slot.properties) to match, as its documented format allows. At the
 * next start of the runtime the slot is not run, the log says why, and the board falls back to
 * the intact bundle it committed before.
 */
@Timeout(60)
class SignedSlotTest {
    private static final KeyPair SIGNER = SigningKeys.generate();

    @TempDir
    Path dir;
    private final List<ConsoleLog> logs = new ArrayList<>();
    private final List<Deployment> deployments = new ArrayList<>();
    /** What each runtime started, in order. */
    private final List<Slot> started = new ArrayList<>();
    private ConsoleLog log;

    @BeforeEach
    void keys() throws IOException {
        Files.createDirectories(dir.resolve("keys"));
        SigningKeys.writePublicKey(SIGNER.getPublic(), dir.resolve("keys/signer.pub"));
    }

    @AfterEach
    void close() {
        deployments.forEach(Deployment::close);
        logs.forEach(ConsoleLog::close);
    }

    /** One start of the runtime on the same state directory: its store, cache and deployment, with a launcher that records. */
    private Deployment boot() throws IOException {
        log = new ConsoleLog(dir.resolve("log-" + logs.size()), 200);
        logs.add(log);
        BundleStore store = BundleStore.open(dir.resolve("store"), FileOps.durable(w -> log.runtime("disk: " + w)));
        Deployment d = new Deployment(store, dir.resolve("libs"), 64L << 20,
                new io.pirt.runtime.access.Access(false, false, true, dir.resolve("keys"), dir.resolve("test-keys")), "virtual", "1.0.0",
                60_000, log);
        d.launcher(new Deployment.Launcher() {
            @Override
            public void run(Slot slot) {
                started.add(slot);
            }

            @Override
            public void stopApp() {
            }
        });
        deployments.add(d);
        return d;
    }

    @Test
    void aCommittedSlotRewrittenWithItsRecordIsNotRunAndTheBoardFallsBackToThePreviousBundle() throws Exception {
        Deployment d = boot();
        installAndCommit(d, "1.0.0", List.of());
        installAndCommit(d, "1.1.0", List.of());
        Slot v11 = last();
        Path appJar = v11.jarsDir().resolve("app.jar");
        rewriteAsTheApplicationWould(v11, appJar, "app.jar");

        boot().startFromStore();
        assertEquals("1.0.0", last().content().version(), "the previous, intact bundle runs: " + log.recent(20));
        assertTrue(logged("slot " + v11.id() + " (demo 1.1.0) no longer matches what was signed: "), log.recent(20).toString());
        assertTrue(logged("app.jar (" + Files.size(appJar) + " bytes, sha256 " + sha256(appJar) + ") differs from the signed list"),
                log.recent(20).toString());
        int runs = started.size();
        boot().startFromStore(); // and at every later start: the intact bundle is still committed
        assertEquals(runs + 1, started.size());
        assertEquals("1.0.0", last().content().version());
    }

    @Test
    void aCachedLibraryRewrittenUnderACommittedSlotStopsThatSlotAndTheBoardFallsBackToThePreviousBundle() throws Exception {
        Deployment d = boot();
        installAndCommit(d, "1.0.0", List.of());
        Path lib = jar(dir.resolve("src/dep.jar"), 7);
        String libSha = sha256(lib);
        Path sent = Files.copy(lib, dir.resolve("lib-sent.jar"));
        d.accept("lib-" + libSha + ".jar", sent, libSha);
        installAndCommit(d, "1.1.0", List.of(BundleWriter.referenceTo(lib)));
        Slot v11 = last();
        Path cached = dir.resolve("libs/" + libSha + ".jar");
        rewriteAsTheApplicationWould(v11, cached, "dep.jar"); // the slot links the cache's file: the same bytes change in both

        boot().startFromStore();
        assertEquals("1.0.0", last().content().version(), "the previous, intact bundle runs: " + log.recent(20));
        assertTrue(logged("slot " + v11.id() + " (demo 1.1.0) no longer matches what was signed: "), log.recent(20).toString());
        assertTrue(logged("dep.jar (" + Files.size(cached) + " bytes, sha256 " + sha256(cached) + ") differs from the signed list"),
                log.recent(20).toString());
    }

    @Test
    void aTamperedSlotWithNothingBehindItRunsNothingAndSaysWhy() throws Exception {
        Deployment d = boot();
        installAndCommit(d, "1.0.0", List.of());
        Slot v10 = last();
        rewriteAsTheApplicationWould(v10, v10.jarsDir().resolve("app.jar"), "app.jar");
        int runs = started.size();

        boot().startFromStore();
        assertEquals(runs, started.size(), "nothing runs");
        assertTrue(logged("no intact bundle to fall back to"), log.recent(20).toString());
    }

    @Test
    void aCrashRestartOfARewrittenSlotStartsTheIntactBundleInstead() throws Exception {
        Deployment d = boot();
        installAndCommit(d, "1.0.0", List.of());
        installAndCommit(d, "1.1.0", List.of());
        assertTrue(d.mayRestart(), "an intact slot may be started again");
        Slot v11 = last();
        rewriteAsTheApplicationWould(v11, v11.jarsDir().resolve("app.jar"), "app.jar");

        assertTrue(!d.mayRestart(), "the rewritten slot is not started again");
        assertEquals("1.0.0", last().content().version(), "the previous, intact bundle runs: " + log.recent(20));
        assertTrue(logged("slot " + v11.id() + " (demo 1.1.0) no longer matches what was signed: "), log.recent(20).toString());
    }

    private Slot last() {
        return started.getLast();
    }

    private boolean logged(String part) {
        return log.recent(200).stream().anyMatch(l -> l.contains(part));
    }

    /** Sends a signed bundle of demo {@code version} (one app jar, the given library references) and commits it. */
    private void installAndCommit(Deployment d, String version, List<LibraryReference> libraries) throws Exception {
        Path bundle = dir.resolve("demo-" + version + ".pirt");
        BundleWriter.write(bundle, new BundleManifest("demo", Version.parse(version), "demo.Main", List.of("*"),
                Version.parse("0.1.0"), 4), List.of(jar(dir.resolve("src-" + version + "/app.jar"), version.hashCode())), libraries, SIGNER);
        int before = started.size();
        d.accept("demo-" + version + ".pirt", bundle, sha256(bundle));
        assertEquals(before + 1, started.size(), "the bundle was started on trial: " + log.recent(20));
        assertEquals(version, last().content().version());
        d.healthy();
        assertTrue(logged("bundle demo " + version + " committed"), log.recent(20).toString());
    }

    /**
     * What an application that wants its own code to survive does: writes other bytes (the same
     * size) into {@code file} in place (a hard link in the slot sees them too), then rewrites the
     * slot's slot.properties so that its line for {@code nameInSlot} and its checksum match again
     * (docs/store.md documents the encoding).
     */
    private static void rewriteAsTheApplicationWould(Slot slot, Path file, String nameInSlot) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String oldLine = sha256(bytes) + " " + bytes.length + " " + nameInSlot + "\n";
        new Random(99).nextBytes(bytes);
        Files.write(file, bytes);
        String newLine = sha256(bytes) + " " + bytes.length + " " + nameInSlot + "\n";
        assertEquals(newLine.substring(0, 64), sha256(slot.jarsDir().resolve(nameInSlot)), "the slot's file changed");
        Path record = slot.jarsDir().resolveSibling("slot.properties");
        String text = Files.readString(record);
        String body = text.substring(0, text.lastIndexOf("checksum="));
        assertTrue(body.contains(oldLine), "the slot's record names " + nameInSlot + ":\n" + body);
        String newBody = body.replace(oldLine, newLine);
        Files.writeString(record, newBody + "checksum=" + sha256(newBody.getBytes(StandardCharsets.UTF_8)) + "\n");
    }

    private static Path jar(Path file, int seed) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] payload = new byte[4096];
        new Random(seed).nextBytes(payload);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry("demo/payload.bin"));
            jar.write(payload);
            jar.closeEntry();
        }
        return file;
    }

    private static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
