package io.pirt.runtime.store;

import io.pirt.bundle.LibraryReference;
import io.pirt.bundle.VerifiedBundle;
import io.pirt.wire.message.CachedLibraries;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The board's library cache (docs/testing.md, "The library cache"): jars stored by their
 * SHA-256, so a tool sends a test runner or an application's dependencies once and later
 * bundles only reference them (bundle format 2). Bounded: beyond {@code capacityBytes} the
 * least recently used library is evicted, never one that {@code inUse} names (the files of
 * the store's slots, the libraries of the test bundle waiting or running). Survives restarts:
 * the use order is kept in a checked index file written atomically.
 *
 * <p>A library's hash is checked when it is stored (against the name it was sent under) and
 * again every time a bundle takes it ({@link VerifiedBundle#extractTo(Path, VerifiedBundle.LibrarySource)}
 * reads the linked file whole); at {@link #open} an indexed file's size is checked, and a
 * file the index does not name is hashed and kept only if it matches its name. Thread-safe.
 */
public final class LibraryCache implements VerifiedBundle.LibrarySource {
    /** The bound when the runtime is given none: 64 MiB, some dozens of test runners and dependency sets. */
    public static final long DEFAULT_CAPACITY_BYTES = 64L * 1024 * 1024;
    static final String INDEX_FILE = "index.properties";
    private static final String INDEX_TMP = "index.tmp";
    private static final String JAR_SUFFIX = ".jar";
    private static final String TMP_SUFFIX = ".tmp";
    private static final String SHA256 = "[0-9a-f]{64}";

    /*
     * Implementation notes.
     *
     * The files are the truth for what is cached, the index for the order of use. A library
     * is written as SHA.tmp, fsynced, renamed to SHA.jar, the directory fsynced, and then the
     * index names it; an eviction deletes the file and then writes the index. So at any cut
     * the index names at most a file that is gone (dropped at open) or misses one that is
     * there (hashed at open and kept at the least recent place if it matches its name). The
     * index is the store's checked key-value text (CheckedFile), written with the same recipe
     * as state.properties: index.tmp, fsync, rename, fsync of the directory.
     *
     * Uses are counted by a number that only grows (nextUse), not by the clock: a board without
     * a real-time clock may boot in 1970 and then jump to today.
     */

    /** One cached library. {@code lastUse} orders evictions: the smallest goes first. */
    private record Entry(long sizeBytes, long lastUse) {
    }

    private final Path dir;
    private final FileOps ops;
    private final long capacityBytes;
    /** SHA-256s that must not be evicted; asked outside this object's lock, as it takes other locks. */
    private final Supplier<Set<String>> inUse;
    private final List<String> bootNotes;

    // guarded by this
    /** Every cached library by SHA-256; each has its file {@code SHA.jar} in {@link #dir} with that size. */
    private final Map<String, Entry> entries;
    /** Greater than every {@code lastUse} in {@link #entries}. */
    private long nextUse;
    /** The sum of {@link #entries}' sizes. */
    private long usedBytes;
    /** Whether {@link #entries} holds uses the index file does not have yet. */
    private boolean usesUnsaved;
    /** Libraries stored since open, and how many were asked for and found (for the console). */
    private long stored;
    private long hits;

    private LibraryCache(Path dir, FileOps ops, long capacityBytes, Supplier<Set<String>> inUse, Map<String, Entry> entries,
                         long nextUse, List<String> bootNotes) {
        this.dir = dir;
        this.ops = ops;
        this.capacityBytes = capacityBytes;
        this.inUse = inUse;
        this.entries = entries;
        this.nextUse = nextUse;
        this.usedBytes = entries.values().stream().mapToLong(Entry::sizeBytes).sum();
        this.bootNotes = List.copyOf(bootNotes);
    }

    /**
     * Opens the cache in {@code dir} (created if missing): removes what a store cut short left,
     * drops index lines whose file is gone or has another size, keeps unindexed jars that hash
     * to their name, and evicts down to {@code capacityBytes} (it may have been lowered).
     *
     * @param inUse what must not be evicted now, asked before each eviction
     * @throws IOException if the directory cannot be read or the index cannot be written
     */
    public static LibraryCache open(Path dir, long capacityBytes, FileOps ops, Supplier<Set<String>> inUse) throws IOException {
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(inUse, "inUse");
        if (capacityBytes <= 0) throw new IllegalArgumentException("the library cache's capacity must be > 0, not " + capacityBytes);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.toAbsolutePath().getParent());
            ops.createDirectory(dir);
            ops.fsyncDirectory(dir.toAbsolutePath().getParent());
        }
        List<String> notes = new ArrayList<>();
        Map<String, Entry> entries = new HashMap<>();
        long nextUse = 1;
        boolean rewrite = false;
        Path index = dir.resolve(INDEX_FILE);
        if (Files.exists(index)) {
            try {
                SequencedMap<String, String> e = CheckedFile.decode(Files.readAllBytes(index), INDEX_FILE);
                if (!CheckedFile.require(e, "format", INDEX_FILE).equals("1")) {
                    throw new CheckedFile.Corrupt(INDEX_FILE + ": format " + e.get("format") + " is not 1");
                }
                nextUse = CheckedFile.requireLong(e, "nextUse", INDEX_FILE);
                long count = CheckedFile.requireLong(e, "libraries", INDEX_FILE);
                for (long i = 0; i < count; i++) {
                    String line = CheckedFile.require(e, "library." + i, INDEX_FILE);
                    String[] w = line.split(" ");
                    if (w.length != 3 || !w[0].matches(SHA256) || !w[1].matches("[0-9]{1,18}") || !w[2].matches("[0-9]{1,18}")) {
                        throw new CheckedFile.Corrupt(INDEX_FILE + ": library." + i + " is not 'SHA256 SIZE LASTUSE': " + line);
                    }
                    entries.put(w[0], new Entry(Long.parseLong(w[1]), Long.parseLong(w[2])));
                }
            } catch (CheckedFile.Corrupt e) {
                notes.add(e.getMessage() + "; the order of use is lost, the jars are checked by their hashes");
                entries.clear();
                nextUse = 1;
                rewrite = true;
            }
        }
        // what the index names must be there, with its size
        for (var it = entries.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Path jar = dir.resolve(e.getKey() + JAR_SUFFIX);
            if (!Files.isRegularFile(jar, LinkOption.NOFOLLOW_LINKS)) {
                notes.add("library " + e.getKey() + " is in the index but not on disk; dropped");
                it.remove();
                rewrite = true;
            } else if (Files.size(jar) != e.getValue().sizeBytes()) {
                notes.add("library " + e.getKey() + " is " + Files.size(jar) + " bytes, the index says "
                        + e.getValue().sizeBytes() + "; deleted");
                ops.delete(jar);
                it.remove();
                rewrite = true;
            }
        }
        // what is on disk must be indexed, or be a jar whose content is its name
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                if (name.equals(INDEX_FILE)) continue;
                String sha = name.endsWith(JAR_SUFFIX) ? name.substring(0, name.length() - JAR_SUFFIX.length()) : "";
                if (sha.matches(SHA256) && entries.containsKey(sha)) continue;
                if (sha.matches(SHA256) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && sha256(p).equals(sha)) {
                    entries.put(sha, new Entry(Files.size(p), 0)); // used least recently of all: its use was never recorded
                    notes.add("library " + sha + " was not in the index; its hash matches, kept");
                } else {
                    if (!name.endsWith(TMP_SUFFIX)) notes.add(name + " is not a library of this cache; deleted");
                    ops.delete(p);
                }
                rewrite = true;
            }
        }
        LibraryCache cache = new LibraryCache(dir, ops, capacityBytes, inUse, entries, nextUse, notes);
        Set<String> pinned = inUse.get();
        synchronized (cache) {
            if (rewrite) cache.usesUnsaved = true;
            cache.evictBeyondCapacity(pinned, null);
            cache.saveUsesLocked();
        }
        return cache;
    }

    /** What {@link #open} found and did, one console line each. */
    public List<String> bootNotes() {
        return bootNotes;
    }

    /**
     * The tool's {@code libs-have}: which of {@code sha256s} are cached. Each of them counts as
     * used now (durably), so storing the libraries the tool sends next evicts them last.
     */
    public synchronized CachedLibraries have(List<String> sha256s) throws IOException {
        List<String> have = new ArrayList<>();
        for (String sha : sha256s) {
            if (entries.containsKey(sha)) {
                have.add(sha);
                touch(sha);
            }
        }
        hits += have.size();
        saveUsesLocked();
        return new CachedLibraries(have, capacityBytes, usedBytes);
    }

    /**
     * Stores the verified transfer {@code file} as the library {@code sha256Hex}, moving it
     * into the cache, then evicts the least recently used libraries that are not in use until
     * the cache is within its bound again.
     *
     * @param file a file the caller gives up (it is moved)
     * @throws IOException naming what is wrong: the file's content does not hash to {@code sha256Hex},
     *                     it is larger than the whole cache, or the disk failed
     */
    public void store(String sha256Hex, Path file) throws IOException {
        if (!sha256Hex.matches(SHA256)) throw new IOException("'" + sha256Hex + "' is not a SHA-256 (64 lowercase hex digits)");
        String actual = sha256(file);
        if (!actual.equals(sha256Hex)) {
            throw new IOException("the library sent as " + sha256Hex + " hashes to " + actual
                    + "; nothing was stored: send it under the name lib-<its SHA-256>.jar");
        }
        long sizeBytes = Files.size(file);
        if (sizeBytes > capacityBytes) {
            throw new IOException("the library " + sha256Hex + " is " + sizeBytes + " bytes, more than the whole library cache ("
                    + capacityBytes + " bytes); start the runtime with a larger --library-cache-mib, or send a bundle that carries it");
        }
        Set<String> pinned = inUse.get(); // before the lock: it takes the store's
        synchronized (this) {
            if (!entries.containsKey(sha256Hex)) {
                Path tmp = dir.resolve(sha256Hex + TMP_SUFFIX);
                ops.move(file, tmp);
                ops.fsync(tmp);
                ops.move(tmp, dir.resolve(sha256Hex + JAR_SUFFIX));
                ops.fsyncDirectory(dir);
                entries.put(sha256Hex, new Entry(sizeBytes, 0));
                usedBytes += sizeBytes;
                stored++;
            }
            touch(sha256Hex);
            evictBeyondCapacity(pinned, sha256Hex);
            saveUsesLocked();
        }
    }

    /**
     * The cached file of {@code library}, for a bundle that references it; counts as a use
     * (recorded durably by the next {@link #saveUses}). The caller checks its content.
     *
     * @throws IOException if the cache does not hold it, saying what to do
     */
    @Override
    public synchronized Path fileOf(LibraryReference library) throws IOException {
        if (!entries.containsKey(library.sha256())) {
            throw new IOException("the board's library cache has no " + library.fileName() + " (sha256 " + library.sha256()
                    + "): it was never sent or was evicted since; run pirt again, it sends what the board lacks");
        }
        touch(library.sha256());
        return dir.resolve(library.sha256() + JAR_SUFFIX);
    }

    /** Writes the order of use to the index if it changed since the last write. */
    public synchronized void saveUses() throws IOException {
        saveUsesLocked();
    }

    /** Whether the library is cached. */
    public synchronized boolean contains(String sha256Hex) {
        return entries.containsKey(sha256Hex);
    }

    public long capacityBytes() {
        return capacityBytes;
    }

    public synchronized long usedBytes() {
        return usedBytes;
    }

    /** One line for the console: size, bound, libraries stored and found since the runtime started. */
    public synchronized String summary() {
        return entries.size() + " libraries, " + usedBytes + " of " + capacityBytes + " bytes; since start " + stored
                + " stored, " + hits + " found when asked";
    }

    private void touch(String sha) {
        Entry e = entries.get(sha);
        entries.put(sha, new Entry(e.sizeBytes(), nextUse++));
        usesUnsaved = true;
    }

    /** Evicts least recently used first, never what is pinned or {@code keep}; stops when within the bound or nothing is left to evict. */
    private void evictBeyondCapacity(Set<String> pinned, String keep) throws IOException {
        if (usedBytes <= capacityBytes) return;
        List<Map.Entry<String, Entry>> candidates = new ArrayList<>(entries.entrySet());
        candidates.sort(Comparator.comparingLong(e -> e.getValue().lastUse()));
        for (Map.Entry<String, Entry> c : candidates) {
            if (usedBytes <= capacityBytes) break;
            String sha = c.getKey();
            if (sha.equals(keep) || pinned.contains(sha)) continue;
            ops.delete(dir.resolve(sha + JAR_SUFFIX));
            entries.remove(sha);
            usedBytes -= c.getValue().sizeBytes();
            usesUnsaved = true;
        }
        if (usesUnsaved) ops.fsyncDirectory(dir);
    }

    private void saveUsesLocked() throws IOException {
        if (!usesUnsaved) return;
        SequencedMap<String, String> e = new LinkedHashMap<>();
        e.put("format", "1");
        e.put("nextUse", Long.toString(nextUse));
        e.put("libraries", Integer.toString(entries.size()));
        List<Map.Entry<String, Entry>> sorted = new ArrayList<>(entries.entrySet());
        sorted.sort(Map.Entry.comparingByKey());
        for (int i = 0; i < sorted.size(); i++) {
            Map.Entry<String, Entry> x = sorted.get(i);
            e.put("library." + i, x.getKey() + " " + x.getValue().sizeBytes() + " " + x.getValue().lastUse());
        }
        Path tmp = dir.resolve(INDEX_TMP);
        ops.write(tmp, CheckedFile.encode(e));
        ops.fsync(tmp);
        ops.move(tmp, dir.resolve(INDEX_FILE));
        ops.fsyncDirectory(dir);
        usesUnsaved = false;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = CheckedFile.digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
