package io.pirt.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.bundle.BundleManifest;
import io.pirt.bundle.BundleWriter;
import io.pirt.bundle.SigningKeys;
import io.pirt.bundle.Version;
import io.pirt.runtime.access.Access;
import io.pirt.runtime.log.ConsoleLog;
import io.pirt.runtime.store.BundleStore;
import io.pirt.runtime.store.FileOps;
import io.pirt.runtime.supervisor.AppSpec;
import io.pirt.runtime.testrun.TestRuns;
import io.pirt.wire.message.InstallVerdict;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Release and test bundles are trusted through key sets of their own (docs/bundle.md §7): a
 * test bundle needs a key in test-keys/, a release bundle one in keys/, and test runs can be
 * turned off. The refusals come before anything is installed or run.
 */
@Timeout(30)
class DeploymentKeySetsTest {
    @TempDir
    Path dir;
    KeyPair release;
    KeyPair test;
    ConsoleLog log;
    Deployment deployment;
    TestRuns runs;

    @BeforeEach
    void keys() throws Exception {
        release = SigningKeys.generate();
        test = SigningKeys.generate();
        SigningKeys.writePublicKey(release.getPublic(), Files.createDirectories(dir.resolve("keys")).resolve("laptop.pub"));
        SigningKeys.writePublicKey(test.getPublic(), Files.createDirectories(dir.resolve("test-keys")).resolve("ci.pub"));
        log = new ConsoleLog(dir.resolve("log"), 1000);
    }

    void open(boolean testRuns) throws IOException {
        BundleStore store = BundleStore.open(dir.resolve("store"), FileOps.durable(warning -> {
            throw new AssertionError("unexpected warning: " + warning);
        }));
        deployment = new Deployment(store, dir.resolve("libs"), 64L << 20,
                new Access(false, false, testRuns, dir.resolve("keys"), dir.resolve("test-keys")), "virtual", "0.1.0", 10_000, log);
        runs = new TestRuns(dir.resolve("tests"), new TestRuns.Host() {
            @Override
            public Optional<AppSpec> currentApp() {
                return Optional.empty();
            }

            @Override
            public boolean trialInProgress() {
                return false;
            }

            @Override
            public void startApp(AppSpec app) {
                throw new AssertionError("nothing is run here");
            }

            @Override
            public void stopApp() {
            }

            @Override
            public void tellApp(String line) {
            }

            @Override
            public boolean sendEvent(String json, long timeoutMs) {
                return false;
            }
        }, log, List.of(), List.of());
        deployment.testRuns(runs);
    }

    @AfterEach
    void close() {
        if (runs != null) runs.close();
        if (deployment != null) deployment.close();
        log.close();
    }

    Path bundle(String name, BundleManifest.Kind kind, KeyPair signer) throws Exception {
        Path jar = dir.resolve(name + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new ZipEntry("t/T.class"));
            j.write(new byte[] {1});
        }
        Path file = dir.resolve(name + ".pirt");
        BundleWriter.write(file, new BundleManifest(name, Version.parse("1.0.0"), "t.T", List.of("*"), Version.parse("0.1.0"), 4, kind),
                List.of(jar), signer);
        return file;
    }

    static String sha(Path file) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    InstallVerdict send(Path file) throws Exception {
        String sha = sha(file);
        try {
            deployment.accept(file.getFileName().toString(), file, sha);
        } catch (IOException refused) {
            // the verdict says why
        }
        return deployment.awaitVerdict(sha + " 0");
    }

    @Test
    void aTestBundleSignedByATestKeyIsReady() throws Exception {
        open(true);
        InstallVerdict v = send(bundle("tests", BundleManifest.Kind.TEST, test));
        assertEquals(InstallVerdict.Outcome.TEST_READY, v.outcome(), v.toString());
    }

    @Test
    void aTestBundleSignedByAReleaseKeyOnlyIsRefused() throws Exception {
        open(true);
        InstallVerdict v = send(bundle("tests", BundleManifest.Kind.TEST, release));
        assertEquals(InstallVerdict.Outcome.REFUSED, v.outcome(), v.toString());
        assertEquals("BUNDLE_UNKNOWN_KEY", v.code());
        assertTrue(v.reason().contains("not a test key of this board") && v.reason().contains(dir.resolve("test-keys") + "/"), v.reason());
    }

    @Test
    void anApplicationSignedByATestKeyIsRefused() throws Exception {
        open(true);
        InstallVerdict v = send(bundle("app", BundleManifest.Kind.APPLICATION, test));
        assertEquals(InstallVerdict.Outcome.REFUSED, v.outcome(), v.toString());
        assertEquals("BUNDLE_UNKNOWN_KEY", v.code());
        assertTrue(v.reason().contains("a test key of this board, not a release key"), v.reason());
        assertTrue(deployment.status().slots().stream().allMatch(s -> s.name() == null), "nothing installed: " + deployment.status());
    }

    @Test
    void withTestRunsOffNoTestBundleIsTaken() throws Exception {
        open(false);
        InstallVerdict v = send(bundle("tests", BundleManifest.Kind.TEST, test));
        assertEquals(InstallVerdict.Outcome.REFUSED, v.outcome(), v.toString());
        assertTrue(v.reason().contains("test runs are off on this board"), v.reason());
    }
}
