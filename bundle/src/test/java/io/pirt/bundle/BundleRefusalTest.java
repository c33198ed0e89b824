package io.pirt.bundle;

import io.pirt.bundle.BundleRejectedException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.zip.ZipFile;

import static io.pirt.bundle.TestBundles.*;
import static org.junit.jupiter.api.Assertions.*;

/** Each kind of bad bundle of docs/bundle.md, section 5, refused with its reason and a message that names it. */
class BundleRefusalTest {
    @TempDir
    Path dir;

    private BundleRejectedException refused(Path bundle, Target target, Reason reason, String... words) throws IOException {
        BundleRejectedException e = assertThrows(BundleRejectedException.class,
                () -> BundleVerifier.verify(bundle, trust(dir), target));
        assertEquals(reason, e.reason(), e.getMessage());
        for (String w : words) assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
        return e;
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] manifestText(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static final String GOOD_MANIFEST = """
            format=1
            name=blink
            version=1.4.0
            mainClass=com.example.Blink
            boards=rpi-4b
            minRuntime=0.1.0
            mainPriority=4
            """;

    @Test
    void unsignedBundleIsRefusedUnlessTheBoardIsInDevelopmentMode() throws Exception {
        Path build = dir.resolve("build");
        Files.createDirectories(build);
        Path bundle = build.resolve("u.pirt");
        BundleWriter.writeUnsigned(bundle, manifest("1.0.0"), List.of(jar(build, "blink.jar", 1, 100)));
        refused(bundle, board(), Reason.UNSIGNED, "unsigned", "development mode");
        VerifiedBundle v = BundleVerifier.verify(bundle, trust(dir), developmentBoard());
        assertEquals(Optional.empty(), v.signerKeyId());
    }

    @Test
    void bundleSignedByAnUnknownKeyIsRefusedEvenInDevelopmentMode() throws Exception {
        Path build = dir.resolve("build");
        Files.createDirectories(build);
        Path bundle = build.resolve("s.pirt");
        BundleWriter.write(bundle, manifest("1.0.0"), List.of(jar(build, "blink.jar", 1, 100)), STRANGER);
        String id = SigningKeys.keyId(STRANGER.getPublic());
        refused(bundle, board(), Reason.UNKNOWN_KEY, "signed by an unknown key " + id,
                dir.resolve("keys").toString(), SigningKeys.keyId(SIGNER.getPublic()));
        refused(bundle, developmentBoard(), Reason.UNKNOWN_KEY, id);
    }

    @Test
    void jarReplacedAfterSigningIsRefused() throws Exception {
        Map<String, byte[]> app = oneJar();
        TestZip zip = assemble(manifestText(GOOD_MANIFEST), app, SIGNER);
        // Keep the signed list, swap the jar's bytes: rebuild with another jar but the old list and signature.
        Path original = file("orig.pirt", zip.build());
        String sameLength = new String(app.get("app/blink.jar"), StandardCharsets.UTF_8).toUpperCase();
        refused(file("t.pirt", swapJar(original, sameLength)), board(), Reason.CONTENT_CHANGED,
                "content changed after signing", "app/blink.jar", "differs from the signed list");
        refused(file("t2.pirt", swapJar(original, "shorter")), board(), Reason.CONTENT_CHANGED,
                "app/blink.jar", "is 7 bytes but the signed list says 35");
    }

    /** The bundle with its jar's bytes replaced and its signed list and signature kept. */
    private static byte[] swapJar(Path original, String jar) throws IOException {
        TestZip tampered = new TestZip();
        tampered.add("app/blink.jar", jar.getBytes(StandardCharsets.UTF_8));
        try (ZipFile z = new ZipFile(original.toFile())) {
            for (String n : List.of(BundleLayout.MANIFEST, BundleLayout.CONTENT_LIST, BundleLayout.SIGNATURE)) {
                tampered.add(n, z.getInputStream(z.getEntry(n)).readAllBytes());
            }
        }
        return tampered.build();
    }

    @Test
    void manifestEditedAfterSigningIsRefused() throws Exception {
        Path original = file("orig.pirt", assemble(manifestText(GOOD_MANIFEST), oneJar(), SIGNER).build());
        TestZip tampered = new TestZip();
        try (ZipFile z = new ZipFile(original.toFile())) {
            for (var e : z.stream().toList()) {
                byte[] b = z.getInputStream(e).readAllBytes();
                if (e.getName().equals(BundleLayout.MANIFEST)) {
                    b = new String(b, StandardCharsets.UTF_8).replace("1.4.0", "9.4.0").getBytes(StandardCharsets.UTF_8);
                }
                tampered.add(e.getName(), b);
            }
        }
        refused(file("t.pirt", tampered.build()), board(), Reason.CONTENT_CHANGED, BundleLayout.MANIFEST);
    }

    @Test
    void listEditedAfterSigningIsRefusedBySignature() throws Exception {
        byte[] manifest = manifestText(GOOD_MANIFEST);
        Map<String, byte[]> app = oneJar();
        TestZip signed = assemble(manifest, app, SIGNER);
        // A second, unsigned assembly of different content, carrying the first one's signature.
        Map<String, byte[]> other = Map.of("app/blink.jar", "evil".getBytes(StandardCharsets.UTF_8));
        TestZip evil = assemble(manifest, other, null);
        Path s = file("s.pirt", signed.build());
        try (ZipFile z = new ZipFile(s.toFile())) {
            evil.add(BundleLayout.SIGNATURE, z.getInputStream(z.getEntry(BundleLayout.SIGNATURE)).readAllBytes());
        }
        refused(file("e.pirt", evil.build()), board(), Reason.CONTENT_CHANGED, "does not match", "changed after it was signed");
    }

    @Test
    void entryMissingFromTheSignedListIsRefused() throws Exception {
        TestZip zip = assemble(manifestText(GOOD_MANIFEST), oneJar(), SIGNER);
        zip.add("app/extra.jar", new byte[] {1, 2, 3});
        refused(file("x.pirt", zip.build()), board(), Reason.CONTENT_CHANGED, "app/extra.jar", "not in the signed list");
    }

    @Test
    void listedEntryMissingFromTheArchiveIsRefused() throws Exception {
        Map<String, byte[]> app = new LinkedHashMap<>(oneJar());
        app.put("app/gone.jar", new byte[] {4});
        TestZip full = assemble(manifestText(GOOD_MANIFEST), app, SIGNER);
        Path f = file("full.pirt", full.build());
        TestZip partial = new TestZip();
        try (ZipFile z = new ZipFile(f.toFile())) {
            for (var e : z.stream().toList()) {
                if (!e.getName().equals("app/gone.jar")) partial.add(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        refused(file("p.pirt", partial.build()), board(), Reason.CONTENT_CHANGED, "app/gone.jar", "not in the archive");
    }

    @Test
    void truncationAnywhereIncludingInsideTheSignatureIsRefused() throws Exception {
        byte[] whole = Files.readAllBytes(validBundle(dir.resolve("build")));
        long signatureStart = signatureDataOffset(whole);
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int i = 0; i < whole.length; i += 97) cuts.add(i);
        for (int i = Math.max(0, whole.length - 200); i < whole.length; i++) cuts.add(i);
        for (int i = 0; i < 90; i++) cuts.add((int) signatureStart + i); // the signature entry's data
        Path cut = dir.resolve("cut.pirt");
        TrustedKeys trust = trust(dir);
        List<String> wrong = new ArrayList<>();
        for (int length : cuts) {
            Files.write(cut, java.util.Arrays.copyOf(whole, length));
            try {
                BundleVerifier.verify(cut, trust, board());
                wrong.add(length + ": accepted");
            } catch (BundleRejectedException e) {
                if (e.reason() != Reason.TRUNCATED || !e.getMessage().contains("truncated")) {
                    wrong.add(length + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), wrong, "cuts of a " + whole.length + "-byte bundle at " + cuts.size() + " offsets");
        assertTrue(cuts.size() > 250);
    }

    /** Where pirt-bundle.sig's data starts: after its local header (30 bytes + name). */
    private static long signatureDataOffset(byte[] zip) {
        byte[] name = BundleLayout.SIGNATURE.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + 30 + name.length < zip.length; i++) {
            if (zip[i] != 0x50 || zip[i + 1] != 0x4b || zip[i + 2] != 3 || zip[i + 3] != 4) continue;
            for (int j = 0; j < name.length; j++) if (zip[i + 30 + j] != name[j]) continue outer;
            return i + 30 + name.length;
        }
        throw new AssertionError("no signature entry");
    }

    @Test
    void bundleForAnotherBoardIsRefusedAndStarRunsEverywhere() throws Exception {
        Path bundle = validBundle(dir.resolve("build"));
        Target pi3 = new Target("rpi-3b", RUNTIME, false, Optional.empty(), false);
        refused(bundle, pi3, Reason.WRONG_BOARD, "wrong board", "rpi-3b", "rpi-4b");
        Path any = file("any.pirt", assemble(manifestText(GOOD_MANIFEST.replace("boards=rpi-4b", "boards=*")),
                oneJar(), SIGNER).build());
        assertEquals(List.of("*"), BundleVerifier.verify(any, trust(dir), pi3).manifest().boards());
    }

    @Test
    void bundleNeedingANewerRuntimeIsRefused() throws Exception {
        Path b = file("new.pirt", assemble(manifestText(GOOD_MANIFEST.replace("minRuntime=0.1.0", "minRuntime=0.10.0")),
                oneJar(), SIGNER).build());
        refused(b, board(), Reason.RUNTIME_TOO_OLD, "0.10.0", "update the runtime");
        Target newer = new Target("rpi-4b", Version.parse("0.10.0"), false, Optional.empty(), false);
        BundleVerifier.verify(b, trust(dir), newer);
    }

    @Test
    void downgradeIsRefusedUnlessForcedOrInDevelopmentMode() throws Exception {
        Path bundle = validBundle(dir.resolve("build")); // 1.4.0
        Optional<Version> committed = Optional.of(Version.parse("1.10.0"));
        refused(bundle, new Target("rpi-4b", RUNTIME, false, committed, false), Reason.DOWNGRADE,
                "1.4.0", "1.10.0", "--force");
        TrustedKeys trust = trust(dir);
        BundleVerifier.verify(bundle, trust, new Target("rpi-4b", RUNTIME, false, committed, true));
        BundleVerifier.verify(bundle, trust, new Target("rpi-4b", RUNTIME, true, committed, false));
        BundleVerifier.verify(bundle, trust, new Target("rpi-4b", RUNTIME, false, Optional.of(Version.parse("1.4.0")), false));
        BundleVerifier.verify(bundle, trust, new Target("rpi-4b", RUNTIME, false, Optional.of(Version.parse("1.4.0-rc.1")), false));
    }

    @Test
    void aTestBundleIsNeverRefusedAsADowngradeAndSaysItsKind() throws Exception {
        Path b = file("t.pirt", assemble(manifestText(GOOD_MANIFEST.replace("version=1.4.0", "version=0.0.0") + "kind=test\n"),
                oneJar(), SIGNER).build());
        VerifiedBundle v = BundleVerifier.verify(b, trust(dir),
                new Target("rpi-4b", RUNTIME, false, Optional.of(Version.parse("1.10.0")), false));
        assertEquals(BundleManifest.Kind.TEST, v.manifest().kind());
        Path app = file("a.pirt", assemble(manifestText(GOOD_MANIFEST), oneJar(), SIGNER).build());
        assertEquals(BundleManifest.Kind.APPLICATION, BundleVerifier.verify(app, trust(dir), board()).manifest().kind(),
                "no kind key: an application");
    }

    @Test
    void forceDoesNotAdmitAnUnsignedBundle() throws Exception {
        Path b = file("u.pirt", assemble(manifestText(GOOD_MANIFEST), oneJar(), null).build());
        refused(b, new Target("rpi-4b", RUNTIME, false, Optional.of(Version.parse("2.0.0")), true), Reason.UNSIGNED);
    }

    @Test
    void malformedOrIncompleteManifestsAreRefusedNamingTheField() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(GOOD_MANIFEST.replace("mainPriority=4\n", ""), "'mainPriority' is missing");
        cases.put(GOOD_MANIFEST.replace("mainPriority=4", "mainPriority=9"), "mainPriority");
        cases.put(GOOD_MANIFEST.replace("version=1.4.0", "version=1.4"), "version");
        cases.put(GOOD_MANIFEST.replace("format=1", "format=3"), "format '3'");
        cases.put(GOOD_MANIFEST + "name=again\n", "appears twice");
        cases.put(GOOD_MANIFEST + "mainclass=x\n", "unknown key 'mainclass'");
        cases.put(GOOD_MANIFEST.replace("mainClass=com.example.Blink", "mainClass=com/example/Blink"), "mainClass");
        cases.put(GOOD_MANIFEST.replace("boards=rpi-4b", "boards=rpi-4b,*"), "boards");
        cases.put(GOOD_MANIFEST + "just words\n", "not key=value");
        cases.put(GOOD_MANIFEST + "kind=library\n", "kind: 'library' is not application or test");
        cases.put(GOOD_MANIFEST + "kind=test\nkind=test\n", "appears twice");
        int i = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path b = file("m" + i++ + ".pirt", assemble(manifestText(c.getKey()), oneJar(), SIGNER).build());
            refused(b, board(), Reason.MALFORMED_MANIFEST, BundleLayout.MANIFEST, c.getValue());
        }
        Path notUtf8 = file("bin.pirt", assemble(new byte[] {(byte) 0xff, (byte) 0xfe}, oneJar(), SIGNER).build());
        refused(notUtf8, board(), Reason.MALFORMED_MANIFEST, "not UTF-8");
    }

    @Test
    void bundleWithoutAManifestIsRefused() throws Exception {
        TestZip zip = new TestZip();
        zip.add("app/blink.jar", new byte[] {1});
        zip.add(BundleLayout.CONTENT_LIST, new byte[0]);
        refused(file("nm.pirt", zip.build()), board(), Reason.MALFORMED_MANIFEST, "no " + BundleLayout.MANIFEST);
    }
}
