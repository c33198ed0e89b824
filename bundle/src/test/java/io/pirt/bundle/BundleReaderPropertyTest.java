package io.pirt.bundle;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random and mutated bundles against the reader: every input ends in a verified bundle or
 * a {@link BundleRejectedException}, never another exception, never a hang, and an
 * extraction that fails leaves no slot behind.
 */
class BundleReaderPropertyTest {
    /** One verification of a bundle of a few KiB; anything near this is a hang. */
    private static final long BOUND_NANOS = 2_000_000_000L;

    private static Path dir;
    private static TrustedKeys trust;
    private static byte[] valid;

    @BeforeContainer
    static void makeBundle() throws IOException {
        dir = Files.createTempDirectory("pirt-bundle-properties");
        trust = TestBundles.trust(dir);
        valid = Files.readAllBytes(TestBundles.validBundle(dir.resolve("build")));
    }

    @AfterContainer
    static void removeFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Property(tries = 150)
    void randomBytesAreRefused(@ForAll @Size(max = 4096) byte[] input) throws IOException {
        assertRefusedOrVerified(input, false);
    }

    @Property(tries = 100)
    void randomBytesEndingInAPlausibleEndRecordAreRefused(@ForAll @Size(max = 2048) byte[] input,
                                                          @ForAll @Size(value = 18) byte[] endFields) throws IOException {
        byte[] withEnd = TestBundles.concat(input, new byte[] {0x50, 0x4b, 0x05, 0x06}, endFields);
        assertRefusedOrVerified(withEnd, false);
    }

    @Property(tries = 300)
    void mutatedBundlesAreRefusedOrStillVerify(@ForAll("mutations") List<Mutation> mutations) throws IOException {
        byte[] bytes = valid;
        for (Mutation m : mutations) bytes = m.apply(bytes);
        assertRefusedOrVerified(bytes, true);
    }

    private static void assertRefusedOrVerified(byte[] bytes, boolean extract) throws IOException {
        Path file = Files.createTempFile(dir, "try", ".pirt");
        Path slot = dir.resolve("slot-" + file.getFileName());
        try {
            Files.write(file, bytes);
            long start = System.nanoTime();
            try {
                VerifiedBundle v = BundleVerifier.verify(file, trust, TestBundles.board());
                // Practically unreachable with a signature: the mutation left the bundle valid.
                if (extract) {
                    v.extractTo(slot);
                    assertArrayEquals(Files.readAllBytes(dir.resolve("build/blink.jar")),
                            Files.readAllBytes(slot.resolve("blink.jar")));
                }
                Statistics.collect("verified");
            } catch (BundleRejectedException e) {
                assertTrue(e.getMessage().startsWith("bundle refused ("), e.getMessage());
                assertTrue(Files.notExists(slot));
                Statistics.collect(e.reason());
            } catch (RuntimeException | IOException e) {
                fail("not a clean refusal: " + e, e);
            }
            assertTrue(System.nanoTime() - start < BOUND_NANOS, "verification took too long");
        } finally {
            Files.deleteIfExists(file);
            if (Files.exists(slot)) {
                try (Stream<Path> files = Files.walk(slot)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
                }
            }
        }
    }

    /** A change to a byte array: flip, truncate, insert, duplicate a range, overwrite with a small number. */
    sealed interface Mutation {
        byte[] apply(byte[] b);
    }

    record Flip(double at, int mask) implements Mutation {
        public byte[] apply(byte[] b) {
            if (b.length == 0) return b;
            byte[] c = b.clone();
            c[index(at, c.length)] ^= (byte) mask;
            return c;
        }
    }

    record Truncate(double at) implements Mutation {
        public byte[] apply(byte[] b) {
            return java.util.Arrays.copyOf(b, index(at, b.length + 1));
        }
    }

    record Insert(double at, byte[] bytes) implements Mutation {
        public byte[] apply(byte[] b) {
            int i = index(at, b.length + 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(b, 0, i);
            out.writeBytes(bytes);
            out.write(b, i, b.length - i);
            return out.toByteArray();
        }
    }

    record Duplicate(double from, int length, double to) implements Mutation {
        public byte[] apply(byte[] b) {
            int f = index(from, b.length + 1);
            int n = Math.min(length, b.length - f);
            byte[] range = java.util.Arrays.copyOfRange(b, f, f + n);
            return new Insert(to, range).apply(b);
        }
    }

    /** Writes a 32-bit little-endian value such as 0xFFFFFFFF or 2^31, where size fields live. */
    record Overwrite(double at, int value) implements Mutation {
        public byte[] apply(byte[] b) {
            if (b.length < 4) return b;
            byte[] c = b.clone();
            int i = index(at, c.length - 3);
            for (int k = 0; k < 4; k++) c[i + k] = (byte) (value >>> (8 * k));
            return c;
        }
    }

    private static int index(double at, int length) {
        return Math.min(length - 1, (int) (at * length));
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Double> at = Arbitraries.doubles().between(0, 1);
        Arbitrary<Mutation> flip = Combinators.combine(at, Arbitraries.integers().between(1, 255)).as(Flip::new);
        Arbitrary<Mutation> truncate = at.map(Truncate::new);
        Arbitrary<Mutation> insert = Combinators.combine(at, Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
                .as(Insert::new);
        Arbitrary<Mutation> duplicate = Combinators.combine(at, Arbitraries.integers().between(1, 400), at)
                .as(Duplicate::new);
        Arbitrary<Mutation> overwrite = Combinators.combine(at,
                        Arbitraries.of(0, 1, -1, 0x7FFFFFFF, 0x80000000, 0xFFFF, 0x04034b50, 0x02014b50, 0x06054b50))
                .as(Overwrite::new);
        return Arbitraries.oneOf(flip, truncate, insert, duplicate, overwrite).list().ofMinSize(1).ofMaxSize(4);
    }
}
