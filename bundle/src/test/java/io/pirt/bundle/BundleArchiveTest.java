package io.pirt.bundle;

import io.pirt.bundle.BundleRejectedException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static io.pirt.bundle.TestBundles.*;
import static org.junit.jupiter.api.Assertions.*;

/** Hostile archives: paths, links, duplicates, sizes and bombs, each refused before anything is written. */
class BundleArchiveTest {
    private static final byte[] MANIFEST = manifest("1.0.0").toBytes(false);

    @TempDir
    Path dir;

    private BundleRejectedException refused(byte[] zip, Target target, Reason reason, String... words) throws IOException {
        Path f = Files.write(dir.resolve("b" + System.nanoTime() + ".pirt"), zip);
        BundleRejectedException e = assertThrows(BundleRejectedException.class,
                () -> BundleVerifier.verify(f, trust(dir), target));
        assertEquals(reason, e.reason(), e.getMessage());
        for (String w : words) assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
        return e;
    }

    @Test
    void namesThatCouldEscapeTheSlotAreRefused() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("../evil", "'..'");
        cases.put("app/../../etc/passwd", "'..'");
        cases.put("/abs", "absolute");
        cases.put("/etc/pirt/keys/evil.pub", "absolute");
        cases.put("C:/Windows/evil.jar", "drive letter");
        cases.put("app\\..\\evil.jar", "backslash");
        cases.put("app//x.jar", "empty or '.'");
        cases.put("app/./x.jar", "empty or '.'");
        cases.put("app/x\u0000.jar", "control character");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            TestZip zip = assemble(MANIFEST, oneJar(), SIGNER);
            zip.add(c.getKey(), new byte[] {1});
            refused(zip.build(), board(), Reason.UNSAFE_PATH, c.getValue());
        }
    }

    @Test
    void nameThatIsNotUtf8IsRefused() throws Exception {
        TestZip zip = assemble(MANIFEST, oneJar(), SIGNER);
        zip.add("app/x.jar", new byte[] {1}).name = new byte[] {'a', (byte) 0xc3, '.', 'j'};
        refused(zip.build(), board(), Reason.UNSAFE_PATH, "not UTF-8");
    }

    @Test
    void symlinkEntryIsRefused() throws Exception {
        TestZip zip = assemble(MANIFEST, oneJar(), SIGNER);
        TestZip.Entry link = zip.add("app/link.jar", "/etc/shadow".getBytes(StandardCharsets.UTF_8));
        link.madeBy = TestZip.MADE_BY_UNIX;
        link.externalAttributes = (long) 0120777 << 16;
        refused(zip.build(), board(), Reason.SYMLINK, "app/link.jar", "symbolic link");
    }

    @Test
    void unixRegularFileModeIsAccepted() throws Exception {
        TestZip zip = assemble(MANIFEST, oneJar(), SIGNER);
        TestZip.Entry jar = zip.get("app/blink.jar");
        jar.madeBy = TestZip.MADE_BY_UNIX;
        jar.externalAttributes = (long) 0100644 << 16;
        Path f = Files.write(dir.resolve("ok.pirt"), zip.build());
        BundleVerifier.verify(f, trust(dir), board());
    }

    @Test
    void duplicateNamesAreRefusedIncludingCaseOnlyDifferences() throws Exception {
        TestZip zip = assemble(MANIFEST, oneJar(), SIGNER);
        zip.add("app/blink.jar", "a second body for the same name".getBytes(StandardCharsets.UTF_8));
        refused(zip.build(), board(), Reason.DUPLICATE_ENTRY, "'app/blink.jar' appears twice");

        TestZip caseOnly = assemble(MANIFEST, oneJar(), SIGNER);
        caseOnly.add("app/BLINK.jar", new byte[] {1});
        refused(caseOnly.build(), board(), Reason.DUPLICATE_ENTRY, "differ only in case");
    }

    @Test
    void sizesDeclaredNear2To31And2To63AreRefusedWithoutAllocating() throws Exception {
        for (long declared : new long[] {1L << 31, (1L << 31) - 1, (1L << 32) - 2}) {
            TestZip zip = assemble(MANIFEST, oneJar(), SIGNER);
            zip.add("app/huge.jar", new byte[] {1}).uncompressedBytes = declared;
            assertAllocatesLittle(() -> refused(zip.build(), board(), Reason.OVERSIZED,
                    "app/huge.jar", Long.toString(declared), "64 MiB"));
        }
        for (long declared : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1L, (1L << 62) + 7}) {
            TestZip zip = assemble(MANIFEST, oneJar(), SIGNER);
            zip.add("app/huge.jar", new byte[] {1}).zip64UncompressedBytes = declared;
            assertAllocatesLittle(() -> refused(zip.build(), board(), Reason.OVERSIZED,
                    "app/huge.jar", Long.toUnsignedString(declared)));
        }
        // The metadata entries have a smaller limit, checked before reading them.
        TestZip zip = new TestZip();
        zip.add("app/blink.jar", new byte[] {1});
        zip.add(BundleLayout.MANIFEST, MANIFEST).uncompressedBytes = (1L << 31) + 5;
        zip.add(BundleLayout.CONTENT_LIST, new byte[0]);
        refused(zip.build(), board(), Reason.OVERSIZED, BundleLayout.MANIFEST);
    }

    private interface Check {
        void run() throws Exception;
    }

    /** Asserts that the check allocates far less than the sizes it deals with (a few MiB at most). */
    private static void assertAllocatesLittle(Check check) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(tid);
        check.run();
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < (8L << 20), "allocated " + allocated + " bytes");
    }

    @Test
    void oversizedFileIsRefusedBeforeReadingIt() throws Exception {
        Path big = dir.resolve("big.pirt");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength((64L << 20) + 1); // sparse: no 64 MiB written
        }
        BundleRejectedException e = assertThrows(BundleRejectedException.class,
                () -> BundleVerifier.verify(big, trust(dir), board()));
        assertEquals(Reason.OVERSIZED, e.reason());
        assertTrue(e.getMessage().contains("64 MiB"), e.getMessage());
    }

    @Test
    void tooManyEntriesAreRefused() throws Exception {
        TestZip zip = assemble(MANIFEST, oneJar(), SIGNER);
        for (int i = 0; i < 260; i++) zip.add("app/x" + i + ".jar", new byte[0]);
        refused(zip.build(), board(), Reason.OVERSIZED, "entries", "256");
    }

    /** 1 GiB of zeros from about 1 MiB of deflate data, the best deflate can do (about 1030:1). */
    private static final byte[] BOMB = TestZip.zerosBomb(1024);

    @Test
    void gibibyteBombDeclaringItsSizeIsRefusedWithoutInflating() throws Exception {
        TestZip zip = assemble(MANIFEST, oneJar(), null);
        TestZip.Entry bomb = zip.add("app/bomb.jar", new byte[0]);
        bomb.data = BOMB;
        bomb.compressedBytes = BOMB.length;
        bomb.uncompressedBytes = 1L << 30;
        long start = System.nanoTime();
        refused(zip.build(), developmentBoard(), Reason.OVERSIZED, "app/bomb.jar");
        assertTrue(System.nanoTime() - start < 2_000_000_000L);
    }

    @Test
    void bombDeclaringARatioAboveTheLimitIsRefusedWithoutInflating() throws Exception {
        TestZip zip = assemble(MANIFEST, oneJar(), null);
        TestZip.Entry bomb = zip.add("app/bomb.jar", new byte[0]);
        byte[] data = TestZip.zerosBomb(32);
        bomb.data = data;
        bomb.compressedBytes = data.length;
        bomb.uncompressedBytes = 32L << 20;
        refused(zip.build(), developmentBoard(), Reason.COMPRESSION_BOMB, "app/bomb.jar", "ratio", "100:1");
    }

    @Test
    void gibibyteBombLyingAboutItsSizeIsStoppedAtItsDeclaredSize() throws Exception {
        // An unsigned bundle on a development board whose list agrees with the lie, so the
        // reader gets as far as inflating: it must stop right after the declared 1 KiB.
        byte[] kib = new byte[1024];
        Map<String, byte[]> app = Map.of("app/bomb.jar", kib);
        TestZip zip = new TestZip();
        TestZip.Entry bomb = zip.add("app/bomb.jar", kib);
        bomb.data = BOMB;
        bomb.compressedBytes = BOMB.length;
        TestZip listed = assemble(MANIFEST, app, null);
        // take the manifest and list from the honest assembly
        byte[] honest = listed.build();
        Path h = Files.write(dir.resolve("honest.pirt"), honest);
        try (var z = new java.util.zip.ZipFile(h.toFile())) {
            for (String n : List.of(BundleLayout.MANIFEST, BundleLayout.CONTENT_LIST)) {
                zip.add(n, z.getInputStream(z.getEntry(n)).readAllBytes());
            }
        }
        long start = System.nanoTime();
        refused(zip.build(), developmentBoard(), Reason.COMPRESSION_BOMB, "app/bomb.jar", "1024 bytes", "stopped");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 2000, "took " + ms + " ms");
    }

    @Test
    void entriesOtherThanTheDocumentedOnesAreRefused() throws Exception {
        TestZip zip = assemble(MANIFEST, oneJar(), SIGNER);
        zip.add("app/notes.txt", new byte[] {1});
        refused(zip.build(), board(), Reason.MALFORMED_ARCHIVE, "unexpected entry 'app/notes.txt'");

        TestZip dirEntry = assemble(MANIFEST, oneJar(), SIGNER);
        dirEntry.add("app/", new byte[0]);
        refused(dirEntry.build(), board(), Reason.MALFORMED_ARCHIVE, "directory");

        TestZip noJar = assemble(MANIFEST, Map.of(), SIGNER);
        refused(noJar.build(), board(), Reason.MALFORMED_ARCHIVE, "no app/NAME.jar");
    }

    @Test
    void unsupportedMethodAndEncryptionAreRefused() throws Exception {
        TestZip zip = assemble(MANIFEST, oneJar(), SIGNER);
        zip.add("app/x.jar", new byte[] {1}).method = 12; // bzip2
        refused(zip.build(), board(), Reason.MALFORMED_ARCHIVE, "method 12");
    }

    @Test
    void storedEntriesAreAccepted() throws Exception {
        byte[] jar = "stored jar bytes".getBytes(StandardCharsets.UTF_8);
        TestZip zip = assemble(MANIFEST, Map.of("app/blink.jar", jar), SIGNER);
        Path f = Files.write(dir.resolve("stored.pirt"), restore(zip, jar));
        VerifiedBundle v = BundleVerifier.verify(f, trust(dir), board());
        v.extractTo(dir.resolve("slot"));
        assertArrayEquals(jar, Files.readAllBytes(dir.resolve("slot/blink.jar")));
    }

    /** Rebuilds the zip with the jar stored instead of deflated. */
    private static byte[] restore(TestZip zip, byte[] content) {
        TestZip.Entry e = zip.get("app/blink.jar");
        e.method = 0;
        e.data = content;
        e.compressedBytes = content.length;
        CRC32 c = new CRC32();
        c.update(content);
        e.crc = c.getValue();
        return zip.build();
    }

    @Test
    void overlappingEntriesAreRefused() throws Exception {
        // The jar claims more compressed bytes than it has, so its data covers the next
        // entry's local header: the shape of overlapping-file bombs.
        TestZip zip = assemble(MANIFEST, oneJar(), SIGNER);
        zip.get("app/blink.jar").compressedBytes += 40;
        refused(zip.build(), board(), Reason.MALFORMED_ARCHIVE, "overlap");
    }

    @Test
    void archiveCommentIsRefusedAsNotABundle() throws Exception {
        byte[] good = assemble(MANIFEST, oneJar(), SIGNER).build();
        byte[] withComment = TestBundles.concat(good, "hi".getBytes(StandardCharsets.US_ASCII));
        withComment[good.length - 2] = 2; // comment length
        refused(withComment, board(), Reason.TRUNCATED);
    }
}
