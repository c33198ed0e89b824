package io.pirt.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Keys, manifests, jars and targets shared by the bundle tests. */
final class TestBundles {
    static final KeyPair SIGNER = SigningKeys.generate();
    static final KeyPair STRANGER = SigningKeys.generate();
    static final Version RUNTIME = Version.parse("0.1.0");

    private TestBundles() {
    }

    static BundleManifest manifest(String version) {
        return new BundleManifest("blink", Version.parse(version), "com.example.Blink",
                List.of("rpi-4b", "rpi-zero-2w"), Version.parse("0.1.0"), 4);
    }

    static Target board() {
        return new Target("rpi-4b", RUNTIME, false, Optional.empty(), false);
    }

    static Target developmentBoard() {
        return new Target("rpi-4b", RUNTIME, true, Optional.empty(), false);
    }

    /** A trust directory holding SIGNER's public key. */
    static TrustedKeys trust(Path dir) throws IOException {
        Path keys = dir.resolve("keys");
        Files.createDirectories(keys);
        Path pub = keys.resolve("ci.pub");
        if (!Files.exists(pub)) SigningKeys.writePublicKey(SIGNER.getPublic(), pub);
        return TrustedKeys.load(keys);
    }

    /** A small real jar whose contents depend on {@code seed}. */
    static Path jar(Path dir, String fileName, int seed, int classBytes) throws IOException {
        Path jar = dir.resolve(fileName);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("com/example/Blink.class"));
            byte[] body = new byte[classBytes];
            new java.util.Random(seed).nextBytes(body);
            out.write(body);
            out.closeEntry();
        }
        return jar;
    }

    /** A signed bundle with two jars, written by the real writer. */
    static Path validBundle(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path a = jar(dir, "blink.jar", 1, 3000);
        Path b = jar(dir, "lib-util.jar", 2, 1000);
        Path bundle = dir.resolve("blink.pirt");
        BundleWriter.write(bundle, manifest("1.4.0"), List.of(a, b), SIGNER);
        return bundle;
    }

    /**
     * A bundle assembled entry by entry, so a test can make exactly one thing wrong: the
     * list covers the manifest and {@code app}, the signature (if {@code signer} is not null) is real.
     */
    static TestZip assemble(byte[] manifest, Map<String, byte[]> app, KeyPair signer) {
        Map<String, ContentList.Line> lines = new TreeMap<>();
        lines.put(BundleLayout.MANIFEST, line(manifest));
        app.forEach((name, bytes) -> lines.put(name, line(bytes)));
        byte[] list = new ContentList(lines).toBytes();
        TestZip zip = new TestZip();
        app.forEach(zip::add);
        zip.add(BundleLayout.MANIFEST, manifest);
        zip.add(BundleLayout.CONTENT_LIST, list);
        if (signer != null) {
            try {
                zip.add(BundleLayout.SIGNATURE,
                        BundleSignature.sign(list, signer.getPrivate(), signer.getPublic()).toBytes());
            } catch (GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }
        return zip;
    }

    static Map<String, byte[]> oneJar() {
        return Map.of("app/blink.jar", "not really a jar, but bytes to hash".getBytes(StandardCharsets.UTF_8));
    }

    static ContentList.Line line(byte[] bytes) {
        return new ContentList.Line(BundleVerifier.sha256().digest(bytes), bytes.length);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
