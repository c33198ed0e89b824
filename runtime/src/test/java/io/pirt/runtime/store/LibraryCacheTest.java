package io.pirt.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.bundle.LibraryReference;
import io.pirt.wire.message.CachedLibraries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryCacheTest {
    private static final FileOps REAL = FileOps.durable(warning -> {
        throw new AssertionError("unexpected warning: " + warning);
    });
    private static final long KIB = 1024;

    @TempDir
    Path dir;
    /** What the cache must not evict, as a test sets it. */
    private final Set<String> pinned = new HashSet<>();
    private int sent;

    private LibraryCache open(long capacityBytes) throws IOException {
        return LibraryCache.open(dir.resolve("libs"), capacityBytes, REAL, () -> Set.copyOf(pinned));
    }

    /** A transfer that arrived: a file of {@code sizeBytes} random bytes; returns its SHA-256. */
    private String arrive(LibraryCache cache, int seed, long sizeBytes) throws IOException {
        Path file = incoming(seed, sizeBytes);
        String sha = sha256(Files.readAllBytes(file));
        cache.store(sha, file);
        return sha;
    }

    private Path incoming(int seed, long sizeBytes) throws IOException {
        byte[] bytes = new byte[(int) sizeBytes];
        new Random(seed).nextBytes(bytes);
        Path file = Files.createDirectories(dir.resolve("incoming")).resolve("t" + sent++);
        Files.write(file, bytes);
        return file;
    }

    private static LibraryReference ref(String sha, long size) {
        return new LibraryReference("x.jar", sha, size);
    }

    @Test
    void storedLibraryIsFoundByItsHashAndHeldAsItsContent() throws IOException {
        LibraryCache cache = open(64 * KIB);
        String sha = arrive(cache, 1, 10 * KIB);

        CachedLibraries answer = cache.have(List.of("0".repeat(64), sha));
        assertEquals(List.of(sha), answer.have());
        assertEquals(10 * KIB, answer.usedBytes());
        assertEquals(64 * KIB, answer.capacityBytes());
        Path file = cache.fileOf(ref(sha, 10 * KIB));
        assertEquals(sha, sha256(Files.readAllBytes(file)));
        assertEquals(dir.resolve("libs").resolve(sha + ".jar"), file);
    }

    @Test
    void libraryWhoseContentDoesNotMatchItsNameIsRefusedAndNothingIsStored() throws IOException {
        LibraryCache cache = open(64 * KIB);
        Path file = incoming(1, 4 * KIB);
        String wrong = "ab".repeat(32);

        IOException e = assertThrows(IOException.class, () -> cache.store(wrong, file));
        assertTrue(e.getMessage().contains("hashes to " + sha256(Files.readAllBytes(file))), e.getMessage());
        assertFalse(cache.contains(wrong));
        assertEquals(0, cache.usedBytes());
        try (Stream<Path> files = Files.list(dir.resolve("libs"))) {
            assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".jar")).toList());
        }
    }

    @Test
    void leastRecentlyUsedIsEvictedToStayWithinTheBound() throws IOException {
        LibraryCache cache = open(30 * KIB);
        String a = arrive(cache, 1, 10 * KIB);
        String b = arrive(cache, 2, 10 * KIB);
        String c = arrive(cache, 3, 10 * KIB);
        cache.have(List.of(a)); // a is now more recent than b

        String d = arrive(cache, 4, 10 * KIB);

        assertTrue(cache.contains(a));
        assertFalse(cache.contains(b), "b was the least recently used");
        assertTrue(cache.contains(c));
        assertTrue(cache.contains(d));
        assertEquals(30 * KIB, cache.usedBytes());
        assertFalse(Files.exists(dir.resolve("libs").resolve(b + ".jar")), "an evicted library's file is deleted");
    }

    @Test
    void whatASlotOrATestUsesIsNeverEvicted() throws IOException {
        LibraryCache cache = open(20 * KIB);
        String a = arrive(cache, 1, 10 * KIB);
        String b = arrive(cache, 2, 10 * KIB);
        pinned.add(a);
        pinned.add(b);

        String c = arrive(cache, 3, 10 * KIB);

        assertTrue(cache.contains(a) && cache.contains(b) && cache.contains(c),
                "nothing unpinned to evict: the cache stays over its bound rather than break a slot");
        assertEquals(30 * KIB, cache.usedBytes());
        pinned.remove(b);
        arrive(cache, 4, 10 * KIB);
        assertFalse(cache.contains(b), "unpinned, b goes first");
        assertTrue(cache.contains(a));
    }

    @Test
    void aLibraryLargerThanTheWholeCacheIsRefused() throws IOException {
        LibraryCache cache = open(8 * KIB);
        Path file = incoming(1, 9 * KIB);
        IOException e = assertThrows(IOException.class, () -> cache.store(sha256(Files.readAllBytes(file)), file));
        assertTrue(e.getMessage().contains("--library-cache-mib"), e.getMessage());
    }

    @Test
    void cacheAndItsOrderOfUseSurviveReopening() throws IOException {
        LibraryCache first = open(30 * KIB);
        String a = arrive(first, 1, 10 * KIB);
        String b = arrive(first, 2, 10 * KIB);
        String c = arrive(first, 3, 10 * KIB);
        first.fileOf(ref(a, 10 * KIB)); // a used by an install ...
        first.saveUses(); // ... and recorded, as Deployment does after extracting

        LibraryCache again = open(30 * KIB);
        assertEquals(List.of(), again.bootNotes());
        assertEquals(List.of(a, b, c), again.have(List.of(a, b, c)).have());
        assertEquals(30 * KIB, again.usedBytes());
        again.have(List.of(a, c)); // b is now the least recently used, across the restart
        arrive(again, 4, 10 * KIB);
        assertFalse(again.contains(b));
        assertTrue(again.contains(a) && again.contains(c));
    }

    @Test
    void reopeningWithASmallerBoundEvictsDownToIt() throws IOException {
        LibraryCache first = open(30 * KIB);
        String a = arrive(first, 1, 10 * KIB);
        String b = arrive(first, 2, 10 * KIB);
        arrive(first, 3, 10 * KIB);
        first.have(List.of(a));

        LibraryCache smaller = open(10 * KIB);
        assertTrue(smaller.contains(a), "the most recently used stays");
        assertFalse(smaller.contains(b));
        assertEquals(10 * KIB, smaller.usedBytes());
    }

    @Test
    void atOpenDamagedAndStrayFilesAreDroppedAndAnUnindexedGoodJarIsKept() throws IOException {
        LibraryCache first = open(64 * KIB);
        String a = arrive(first, 1, 10 * KIB);
        String b = arrive(first, 2, 10 * KIB);
        Path libs = dir.resolve("libs");
        Files.write(libs.resolve(a + ".jar"), new byte[5]); // cut short behind the cache's back
        byte[] good = new byte[3000];
        new Random(7).nextBytes(good);
        String unindexed = sha256(good);
        Files.write(libs.resolve(unindexed + ".jar"), good); // stored, then the power went before the index named it
        Files.write(libs.resolve("cafe".repeat(16) + ".jar"), good); // a name its content does not match
        Files.write(libs.resolve(b + ".tmp"), good); // a store cut short

        LibraryCache again = open(64 * KIB);
        assertFalse(again.contains(a));
        assertTrue(again.contains(b));
        assertTrue(again.contains(unindexed));
        assertFalse(again.contains("cafe".repeat(16)));
        assertEquals(10 * KIB + 3000, again.usedBytes());
        assertEquals(3, again.bootNotes().size(), again.bootNotes().toString());
        try (Stream<Path> files = Files.list(libs)) {
            assertEquals(Set.of(b + ".jar", unindexed + ".jar", LibraryCache.INDEX_FILE),
                    Set.copyOf(files.map(p -> p.getFileName().toString()).toList()));
        }
        IOException missing = assertThrows(IOException.class, () -> again.fileOf(ref(a, 10 * KIB)));
        assertTrue(missing.getMessage().contains("run pirt again"), missing.getMessage());
    }

    @Test
    void aDamagedIndexLosesOnlyTheOrderOfUse() throws IOException {
        LibraryCache first = open(64 * KIB);
        String a = arrive(first, 1, 10 * KIB);
        Files.writeString(dir.resolve("libs").resolve(LibraryCache.INDEX_FILE), "format=1\n");

        LibraryCache again = open(64 * KIB);
        assertTrue(again.contains(a), "the jar is checked by its hash and kept");
        assertTrue(again.bootNotes().get(0).contains("checksum"), again.bootNotes().toString());
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
