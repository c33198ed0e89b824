package io.pirt.bundle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;

import static io.pirt.bundle.TestBundles.*;
import static org.junit.jupiter.api.Assertions.*;

/** Bundles of format 2: libraries referenced by SHA-256 in the signed list, taken from a cache at extraction. */
class LibraryReferenceBundleTest {
    @TempDir
    Path dir;

    @Test
    void referencedLibraryIsSignedListedNotCarriedAndLinkedAtExtraction() throws Exception {
        Path app = jar(dir, "blink.jar", 1, 2000);
        Path lib = jar(dir, "junit-api.jar", 2, 50_000);
        LibraryReference ref = BundleWriter.referenceTo(lib);
        Path bundle = dir.resolve("app.pirt");
        BundleWriter.write(bundle, manifest("1.4.0"), List.of(app), List.of(ref), SIGNER);

        try (ZipFile zip = new ZipFile(bundle.toFile())) {
            assertNull(zip.getEntry("lib/junit-api.jar"), "a referenced library is not carried");
            String list = new String(zip.getInputStream(zip.getEntry("pirt-bundle.sha256")).readAllBytes());
            assertTrue(list.contains(ref.sha256() + " " + ref.sizeBytes() + " lib/junit-api.jar\n"), list);
            assertTrue(new String(zip.getInputStream(zip.getEntry("pirt-bundle.properties")).readAllBytes())
                    .startsWith("format=2\n"));
        }
        assertTrue(Files.size(bundle) < 10_000, "the bundle stays small: " + Files.size(bundle));

        VerifiedBundle verified = BundleVerifier.verify(bundle, trust(dir), board());
        assertEquals(List.of(ref), verified.libraries());
        assertEquals(List.of("blink.jar"), verified.jarNames());
        Path slot = dir.resolve("slot");
        verified.extractTo(slot, r -> lib);
        assertArrayEquals(Files.readAllBytes(lib), Files.readAllBytes(slot.resolve("junit-api.jar")));
        assertArrayEquals(Files.readAllBytes(app), Files.readAllBytes(slot.resolve("blink.jar")));
    }

    @Test
    void cachedLibraryThatDiffersFromItsReferenceIsRefusedAndNothingIsLeft() throws Exception {
        Path app = jar(dir, "blink.jar", 1, 2000);
        Path lib = jar(dir, "junit-api.jar", 2, 5000);
        Path other = jar(dir, "other.jar", 3, 5000);
        Path bundle = dir.resolve("app.pirt");
        BundleWriter.write(bundle, manifest("1.4.0"), List.of(app), List.of(BundleWriter.referenceTo(lib)), SIGNER);
        VerifiedBundle verified = BundleVerifier.verify(bundle, trust(dir), board());

        Path slot = dir.resolve("slot");
        BundleRejectedException e = assertThrows(BundleRejectedException.class, () -> verified.extractTo(slot, r -> other));
        assertEquals(BundleRejectedException.Reason.CONTENT_CHANGED, e.reason());
        assertTrue(e.getMessage().contains("junit-api.jar"), e.getMessage());
        assertFalse(Files.exists(slot));
        IOException none = assertThrows(IOException.class, () -> verified.extractTo(slot));
        assertTrue(none.getMessage().contains("no library cache"), none.getMessage());
    }

    @Test
    void changingAReferenceBreaksTheSignature() throws Exception {
        Path app = jar(dir, "blink.jar", 1, 2000);
        LibraryReference ref = BundleWriter.referenceTo(jar(dir, "junit-api.jar", 2, 5000));
        Path bundle = dir.resolve("app.pirt");
        BundleWriter.write(bundle, manifest("1.4.0"), List.of(app), List.of(ref), SIGNER);
        // the list is deflated in the archive: rebuild the archive with one hash changed, keeping the original signature
        try (ZipFile zip = new ZipFile(bundle.toFile())) {
            byte[] list = zip.getInputStream(zip.getEntry("pirt-bundle.sha256")).readAllBytes();
            byte[] manifest = zip.getInputStream(zip.getEntry("pirt-bundle.properties")).readAllBytes();
            byte[] sig = zip.getInputStream(zip.getEntry("pirt-bundle.sig")).readAllBytes();
            byte[] jarBytes = zip.getInputStream(zip.getEntry("app/blink.jar")).readAllBytes();
            String changed = new String(list).replace(ref.sha256(), "0".repeat(64));
            Path forged = dir.resolve("forged.pirt");
            try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(forged))) {
                for (var e : new Object[][] {{"app/blink.jar", jarBytes}, {"pirt-bundle.properties", manifest},
                        {"pirt-bundle.sha256", changed.getBytes()}, {"pirt-bundle.sig", sig}}) {
                    out.putNextEntry(new java.util.zip.ZipEntry((String) e[0]));
                    out.write((byte[]) e[1]);
                    out.closeEntry();
                }
            }
            BundleRejectedException e = assertThrows(BundleRejectedException.class,
                    () -> BundleVerifier.verify(forged, trust(dir), board()));
            assertEquals(BundleRejectedException.Reason.CONTENT_CHANGED, e.reason(), e.getMessage());
        }
    }

    @Test
    void aReferenceInAFormat1BundleIsMalformed() throws Exception {
        Path app = jar(dir, "blink.jar", 1, 2000);
        byte[] manifest = manifest("1.4.0").toBytes(false);
        ContentList list = new ContentList(java.util.Map.of(
                "app/blink.jar", line(Files.readAllBytes(app)),
                "pirt-bundle.properties", line(manifest),
                "lib/x.jar", line(new byte[] {1, 2, 3})));
        BundleRejectedException e = assertThrows(BundleRejectedException.class,
                () -> BundleManifest.parse(manifest, list.hasReferences()));
        assertEquals(BundleRejectedException.Reason.MALFORMED_MANIFEST, e.reason());
        assertTrue(e.getMessage().contains("format 2"), e.getMessage());
    }

    @Test
    void aJarBothCarriedAndReferencedIsRefusedByTheWriter() throws Exception {
        Path app = jar(dir, "blink.jar", 1, 2000);
        LibraryReference same = BundleWriter.referenceTo(app);
        assertThrows(IllegalArgumentException.class,
                () -> BundleWriter.write(dir.resolve("x.pirt"), manifest("1.4.0"), List.of(app), List.of(same), SIGNER));
    }

    @Test
    void selfContainedBundleCarriesItsLibrariesAndExtractsWithoutACache() throws Exception {
        Path app = jar(dir, "blink.jar", 1, 2000);
        Path lib = jar(dir, "dep.jar", 2, 30_000);
        Path bundle = dir.resolve("fat.pirt");
        BundleWriter.writeWithLibraries(bundle, manifest("1.4.0"), List.of(app), List.of(lib), SIGNER);

        VerifiedBundle verified = BundleVerifier.verify(bundle, trust(dir), board());
        assertEquals(List.of(BundleWriter.referenceTo(lib)), verified.libraries());
        Path slot = dir.resolve("slot");
        verified.extractTo(slot); // no cache: the carried copy serves
        assertArrayEquals(Files.readAllBytes(lib), Files.readAllBytes(slot.resolve("dep.jar")));
    }

    @Test
    void splitLeavesTheLibrariesOutAndTheThinBundleStillVerifiesWithTheSameSignature() throws Exception {
        Path app = jar(dir, "blink.jar", 1, 2000);
        Path lib = jar(dir, "dep.jar", 2, 30_000);
        Path bundle = dir.resolve("fat.pirt");
        BundleWriter.writeWithLibraries(bundle, manifest("1.4.0"), List.of(app), List.of(lib), SIGNER);
        Path work = Files.createDirectories(dir.resolve("work"));

        BundleLibraries.Split split = BundleLibraries.split(bundle, work);

        assertEquals(List.of(BundleWriter.referenceTo(lib)), split.references());
        assertEquals(1, split.jars().size());
        assertArrayEquals(Files.readAllBytes(lib), Files.readAllBytes(split.jars().get(0)));
        assertTrue(Files.size(split.thin()) < Files.size(bundle) - 20_000, "the thin bundle leaves the library out");
        VerifiedBundle thin = BundleVerifier.verify(split.thin(), trust(dir), board());
        assertEquals(BundleVerifier.verify(bundle, trust(dir), board()).signerKeyId(), thin.signerKeyId());
        Path slot = dir.resolve("slot");
        thin.extractTo(slot, r -> split.jars().get(0));
        assertArrayEquals(Files.readAllBytes(lib), Files.readAllBytes(slot.resolve("dep.jar")));

        BundleLibraries.Split again = BundleLibraries.split(split.thin(), work);
        assertEquals(split.thin(), again.thin(), "a thin bundle has nothing to split");
        assertEquals(List.of(), again.jars());
    }
}
