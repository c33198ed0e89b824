package io.pirt.runtime.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Bundles "demo 1.N" whose jars are distinct per version, and checks that a slot holds exactly one. */
final class TestBundles {
    private TestBundles() {}

    static SlotContent content(int version) {
        return new SlotContent("demo", "1." + version, "demo.Main", 5,
                CheckedFile.sha256(("bundle " + version).getBytes(StandardCharsets.UTF_8)));
    }

    /** The jars of version {@code version}: path under jars/ to bytes. */
    static Map<String, byte[]> jars(int version) {
        Random r = new Random(version);
        byte[] app = new byte[3000 + version];
        byte[] lib = new byte[1500];
        r.nextBytes(app);
        r.nextBytes(lib);
        Map<String, byte[]> jars = new TreeMap<>();
        jars.put("app.jar", app);
        jars.put("lib/dep.jar", lib);
        return jars;
    }

    /** Writes version {@code version}'s jars through {@code ops}, so each write is a cut point. */
    static BundleStore.Extractor extractor(FileOps ops, int version) {
        return dir -> {
            for (Map.Entry<String, byte[]> jar : jars(version).entrySet()) {
                Path file = dir.resolve(jar.getKey());
                if (!Files.isDirectory(file.getParent())) {
                    ops.createDirectory(file.getParent());
                }
                ops.write(file, jar.getValue());
            }
        };
    }

    static Slot install(BundleStore store, FileOps ops, int version) throws IOException {
        return store.install(content(version), extractor(ops, version));
    }

    /** The version {@code slot} holds, after checking its jars are exactly that version's, byte for byte. */
    static int versionOf(Slot slot) throws IOException {
        int version = Integer.parseInt(slot.content().version().substring(2));
        assertEquals(content(version), slot.content());
        Map<String, byte[]> expected = jars(version);
        Map<String, byte[]> actual = new TreeMap<>();
        try (Stream<Path> all = Files.walk(slot.jarsDir())) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                actual.put(slot.jarsDir().relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        assertEquals(expected.keySet(), actual.keySet(), "files in " + slot.jarsDir());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), actual.get(name), name + " in " + slot.jarsDir());
        }
        return version;
    }
}
