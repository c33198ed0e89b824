package io.pirt.bundle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static io.pirt.bundle.TestBundles.*;
import static org.junit.jupiter.api.Assertions.*;

class BundleRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void builtBundleVerifiesAndExtractsIdenticalJars() throws Exception {
        Path bundle = validBundle(dir.resolve("build"));
        VerifiedBundle verified = BundleVerifier.verify(bundle, trust(dir), board());

        assertEquals(manifest("1.4.0"), verified.manifest());
        assertEquals(HexFormat.of().formatHex(BundleVerifier.sha256().digest(Files.readAllBytes(bundle))), verified.sha256());
        assertEquals(Optional.of(SigningKeys.keyId(SIGNER.getPublic())), verified.signerKeyId());
        assertEquals(List.of("blink.jar", "lib-util.jar"), verified.jarNames());

        Path slot = dir.resolve("slots/a");
        verified.extractTo(slot);
        for (String jar : verified.jarNames()) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("build").resolve(jar)), Files.readAllBytes(slot.resolve(jar)), jar);
        }
        try (Stream<Path> files = Files.list(slot); Stream<Path> siblings = Files.list(slot.getParent())) {
            assertEquals(2, files.count());
            assertEquals(1, siblings.count(), "no temporary directory is left beside the slot");
        }
    }

    @Test
    void bundleIsAPlainZipWithTheDocumentedEntries() throws Exception {
        Path bundle = validBundle(dir.resolve("build"));
        try (ZipFile zip = new ZipFile(bundle.toFile())) {
            assertEquals(List.of("app/blink.jar", "app/lib-util.jar", "pirt-bundle.properties",
                    "pirt-bundle.sha256", "pirt-bundle.sig"), zip.stream().map(e -> e.getName()).toList());
            String manifest = new String(zip.getInputStream(zip.getEntry("pirt-bundle.properties")).readAllBytes());
            assertEquals("""
                    format=1
                    name=blink
                    version=1.4.0
                    mainClass=com.example.Blink
                    boards=rpi-4b,rpi-zero-2w
                    minRuntime=0.1.0
                    mainPriority=4
                    """, manifest);
            String list = new String(zip.getInputStream(zip.getEntry("pirt-bundle.sha256")).readAllBytes());
            assertTrue(list.matches("([0-9a-f]{64} [0-9]+ (app/blink.jar|app/lib-util.jar|pirt-bundle.properties)\n){3}"), list);
        }
    }

    @Test
    void extractingIntoAnEmptyDirectoryFillsItAndAChangedBundleLeavesItEmpty() throws Exception {
        Path bundle = validBundle(dir.resolve("build"));
        VerifiedBundle verified = BundleVerifier.verify(bundle, trust(dir), board());
        Path slot = Files.createDirectories(dir.resolve("store/slot-a.tmp"));
        verified.extractTo(slot);
        assertArrayEquals(Files.readAllBytes(dir.resolve("build/blink.jar")), Files.readAllBytes(slot.resolve("blink.jar")));

        Path other = Files.createDirectories(dir.resolve("other"));
        BundleWriter.write(bundle, manifest("1.4.0"), List.of(jar(other, "blink.jar", 1, 3000),
                jar(other, "lib-util.jar", 77, 1000)), SIGNER); // the second jar changes
        Path slotB = Files.createDirectories(dir.resolve("store/slot-b.tmp"));
        BundleRejectedException e = assertThrows(BundleRejectedException.class, () -> verified.extractTo(slotB));
        assertEquals(BundleRejectedException.Reason.CONTENT_CHANGED, e.reason());
        assertTrue(e.getMessage().contains("app/lib-util.jar"), e.getMessage());
        try (Stream<Path> left = Files.list(slotB)) {
            assertEquals(List.of(), left.toList(), "blink.jar, written before the change was found, is removed");
        }
    }

    @Test
    void extractingTwiceIntoTheSameDirectoryIsRefusedAndLeavesItAlone() throws Exception {
        VerifiedBundle verified = BundleVerifier.verify(validBundle(dir.resolve("build")), trust(dir), board());
        Path slot = dir.resolve("slot");
        verified.extractTo(slot);
        assertThrows(FileAlreadyExistsException.class, () -> verified.extractTo(slot));
        assertEquals(2, Files.list(slot).count());
    }

    @Test
    void bundleChangedBetweenVerifyAndExtractLeavesNoSlot() throws Exception {
        Path bundle = validBundle(dir.resolve("build"));
        VerifiedBundle verified = BundleVerifier.verify(bundle, trust(dir), board());
        // Same names and sizes, different bytes: only the re-check while writing can notice.
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        BundleWriter.write(bundle, manifest("1.4.0"), List.of(jar(other, "blink.jar", 99, 3000),
                jar(other, "lib-util.jar", 2, 1000)), SIGNER);

        Path slot = dir.resolve("slots/a");
        BundleRejectedException e = assertThrows(BundleRejectedException.class, () -> verified.extractTo(slot));
        assertEquals(BundleRejectedException.Reason.CONTENT_CHANGED, e.reason());
        assertFalse(Files.exists(slot));
        try (Stream<Path> left = Files.list(dir.resolve("slots"))) {
            assertEquals(List.of(), left.toList(), "the partial directory is removed");
        }
    }

    @Test
    void writerReplacesAnOlderBundleAtomicallyAndLeavesNoTemporaryFile() throws Exception {
        Path build = dir.resolve("build");
        Path bundle = validBundle(build);
        BundleWriter.write(bundle, manifest("1.5.0"), List.of(build.resolve("blink.jar")), SIGNER);
        assertEquals(Version.parse("1.5.0"), BundleVerifier.verify(bundle, trust(dir), board()).manifest().version());
        try (Stream<Path> files = Files.list(build)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".partial")).toList());
        }
    }

    @Test
    void writerRefusesJarNamesTheFormatDoesNotAllow() throws IOException {
        Path odd = Files.writeString(dir.resolve("my app.jar"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BundleWriter.write(dir.resolve("b.pirt"), manifest("1.0.0"), List.of(odd), SIGNER));
        assertTrue(e.getMessage().contains("my app.jar"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("b.pirt")));
    }
}
