package io.pirt.tools.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.bundle.BundleRejectedException;
import io.pirt.bundle.BundleVerifier;
import io.pirt.bundle.Target;
import io.pirt.bundle.TrustedKeys;
import io.pirt.bundle.VerifiedBundle;
import io.pirt.bundle.Version;
import io.pirt.tools.Pirt;
import io.pirt.tools.Pirt.Run;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pirt keygen} and {@code pirt bundle}: the files they make, checked by the board's own verifier. */
class KeygenAndBundleTest {
    @TempDir
    Path dir;

    static Path jar(Path file) throws Exception {
        try (OutputStream o = Files.newOutputStream(file); JarOutputStream j = new JarOutputStream(o)) {
            j.putNextEntry(new ZipEntry("com/example/App.class"));
            j.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
            j.closeEntry();
        }
        return file;
    }

    @Test
    void keygenWritesAnOwnerOnlyPrivateKeyAndSaysHowToTrustThePublicOne() throws Exception {
        Run run = Pirt.run("keygen", "--out", dir.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("signing.key"))));
        assertTrue(Files.readString(dir.resolve("signing.pub")).startsWith("-----BEGIN PUBLIC KEY-----"));
        assertTrue(run.out().contains("public key:  " + dir.resolve("signing.pub")), run.out());
        assertTrue(run.out().contains("/etc/pirt/keys/"), run.out());
    }

    @Test
    void keygenNeverOverwritesAKey() throws Exception {
        assertEquals(0, Pirt.run("keygen", "--out", dir.toString()).exitCode());
        String before = Files.readString(dir.resolve("signing.key"));
        Run again = Pirt.run("keygen", "--out", dir.toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.err().startsWith("pirt: " + dir.resolve("signing.key") + " exists; a key is never overwritten"), again.err());
        assertEquals(before, Files.readString(dir.resolve("signing.key")));
    }

    @Test
    void bundleIsSignedAndPassesTheBoardsVerifier() throws Exception {
        assertEquals(0, Pirt.run("keygen", "--out", dir.toString()).exitCode());
        Path app = jar(dir.resolve("app.jar"));
        Path out = dir.resolve("app.pirt");
        Run run = Pirt.run("bundle", "--jar", app.toString(), "--main", "com.example.App", "--name", "app", "--version", "1.2.3",
                "--boards", "virtual,rpi-4b", "--priority", "5", "--key", dir.resolve("signing.key").toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("bundle: " + out), run.out());
        Path keys = Files.createDirectories(dir.resolve("trusted"));
        Files.copy(dir.resolve("signing.pub"), keys.resolve("me.pub"));
        VerifiedBundle b = BundleVerifier.verify(out, TrustedKeys.load(keys),
                new Target("virtual", Version.parse("0.1.0"), false, java.util.Optional.empty(), false));
        assertEquals("app", b.manifest().name());
        assertEquals(5, b.manifest().mainThreadPriority());
    }

    @Test
    void bundleFromAMavenProjectTakesTheJarsInTarget() throws Exception {
        assertEquals(0, Pirt.run("keygen", "--out", dir.toString()).exitCode());
        Path project = dir.resolve("proj");
        Files.createDirectories(project.resolve("target"));
        jar(project.resolve("target/proj-1.0.jar"));
        jar(project.resolve("target/proj-1.0-sources.jar"));
        Path out = dir.resolve("p.pirt");
        Run run = Pirt.run("bundle", "--project", project.toString(), "--main", "com.example.App", "--name", "proj",
                "--version", "1.0.0", "--key", dir.resolve("signing.key").toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        Path keys = Files.createDirectories(dir.resolve("trusted"));
        Files.copy(dir.resolve("signing.pub"), keys.resolve("me.pub"));
        try {
            BundleVerifier.verify(out, TrustedKeys.load(keys), new Target("virtual", Version.parse("0.1.0"), false, java.util.Optional.empty(), false));
        } catch (BundleRejectedException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void aBadVersionIsAUsageErrorNamingTheField() throws Exception {
        assertEquals(0, Pirt.run("keygen", "--out", dir.toString()).exitCode());
        Run run = Pirt.run("bundle", "--jar", jar(dir.resolve("a.jar")).toString(), "--main", "A", "--name", "a",
                "--version", "one", "--key", dir.resolve("signing.key").toString());
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("pirt: cannot make the manifest"), run.err());
    }

    @Test
    void aMissingKeySaysToRunKeygen() throws Exception {
        Run run = Pirt.run("bundle", "--jar", jar(dir.resolve("a.jar")).toString(), "--main", "A", "--name", "a",
                "--version", "1.0.0", "--key", dir.resolve("none.key").toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("make one with `pirt keygen`"), run.err());
    }
}
