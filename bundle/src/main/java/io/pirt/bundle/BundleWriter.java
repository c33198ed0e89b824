package io.pirt.bundle;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds a bundle (docs/bundle.md) from jars and a manifest, signed or, for development
 * boards only, unsigned. The file appears atomically: it is written to a temporary file
 * beside it, fsync'ed, and renamed over {@code bundleFile}. One pass: each jar is hashed
 * as it is copied, and the list and signature are written last. Stateless and thread-safe.
 */
public final class BundleWriter {
    /** Entry times are fixed so that the same inputs give the same bytes (2020-01-01, local time). */
    private static final long ENTRY_TIME_MS = 1_577_836_800_000L;

    private BundleWriter() {
    }

    /**
     * Writes a bundle signed by {@code signer}.
     *
     * @param jars the application jars, distinct file names {@code [A-Za-z0-9][A-Za-z0-9._-]*.jar}
     * @throws IllegalArgumentException naming the jar, or if {@code signer} is not an Ed25519 pair
     * @throws IOException              if a jar cannot be read, exceeds a limit, or the file cannot be written
     */
    public static void write(Path bundleFile, BundleManifest manifest, List<Path> jars, KeyPair signer) throws IOException {
        write(bundleFile, manifest, jars, Objects.requireNonNull(signer, "signer"), BundleLimits.DEFAULT);
    }

    /**
     * Writes an unsigned bundle: only a board in development mode accepts it.
     *
     * @throws IllegalArgumentException naming the jar
     * @throws IOException              if a jar cannot be read, exceeds a limit, or the file cannot be written
     */
    public static void writeUnsigned(Path bundleFile, BundleManifest manifest, List<Path> jars) throws IOException {
        write(bundleFile, manifest, jars, null, BundleLimits.DEFAULT);
    }

    /**
     * Writes a bundle of format 2 that carries {@code jars} and references {@code libraries} by
     * SHA-256 and size (docs/bundle.md §3): the board takes those from its library cache, so they
     * must be there (sent before) when the bundle arrives. Signed by {@code signer}, or unsigned
     * when it is null. With no libraries this is {@link #write(Path, BundleManifest, List, KeyPair)}
     * (format 1, which every runtime reads).
     *
     * @throws IllegalArgumentException naming the jar, or if a jar and a library share a file name
     * @throws IOException              if a jar cannot be read, exceeds a limit, or the file cannot be written
     */
    public static void write(Path bundleFile, BundleManifest manifest, List<Path> jars, List<LibraryReference> libraries,
                             KeyPair signer) throws IOException {
        write(bundleFile, manifest, jars, libraries, signer, BundleLimits.DEFAULT);
    }

    /**
     * Writes a self-contained bundle of format 2: {@code jars} as {@code app/} entries and
     * {@code libraries} as {@code lib/} entries, each also a line of the signed list, so that
     * {@link BundleLibraries#split} can later leave the libraries out for a board whose cache
     * holds them, without the signing key. Signed by {@code signer}, or unsigned when it is null.
     *
     * @throws IllegalArgumentException naming the jar, or if two share a file name
     * @throws IOException              if a jar cannot be read, exceeds a limit, or the file cannot be written
     */
    public static void writeWithLibraries(Path bundleFile, BundleManifest manifest, List<Path> jars, List<Path> libraries,
                                          KeyPair signer) throws IOException {
        write(bundleFile, manifest, jars, libraries, List.of(), signer, BundleLimits.DEFAULT);
    }

    /**
     * The reference to {@code jar}: its file name, SHA-256 and size.
     *
     * @throws IllegalArgumentException if its file name is not one a bundle allows
     * @throws IOException if it cannot be read
     */
    public static LibraryReference referenceTo(Path jar) throws IOException {
        MessageDigest digest = BundleVerifier.sha256();
        long sizeBytes = 0;
        try (InputStream in = Files.newInputStream(jar)) {
            byte[] buffer = new byte[EntryStream.BUFFER_BYTES];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                sizeBytes += n;
            }
        }
        return new LibraryReference(jar.getFileName().toString(), VerifiedBundle.hex(digest.digest()), sizeBytes);
    }

    static void write(Path bundleFile, BundleManifest manifest, List<Path> jars, KeyPair signer, BundleLimits limits)
            throws IOException {
        write(bundleFile, manifest, jars, List.of(), List.of(), signer, limits);
    }

    static void write(Path bundleFile, BundleManifest manifest, List<Path> jars, List<LibraryReference> libraries,
                      KeyPair signer, BundleLimits limits) throws IOException {
        write(bundleFile, manifest, jars, List.of(), libraries, signer, limits);
    }

    /**
     * @param carried   library jars written as {@code lib/} entries
     * @param libraries libraries only referenced: {@code lib/} lines without an entry
     */
    static void write(Path bundleFile, BundleManifest manifest, List<Path> jars, List<Path> carried,
                      List<LibraryReference> libraries, KeyPair signer, BundleLimits limits) throws IOException {
        Objects.requireNonNull(manifest, "manifest");
        checkJarNames(jars);
        Set<String> names = new HashSet<>();
        for (Path jar : jars) names.add(jar.getFileName().toString().toLowerCase(java.util.Locale.ROOT));
        for (Path jar : carried) {
            if (!BundleLayout.LIB_JAR.matcher(BundleLayout.LIB_DIR + jar.getFileName()).matches()) {
                throw new IllegalArgumentException(jar + ": a bundled jar's file name must match "
                        + "[A-Za-z0-9][A-Za-z0-9._-]*.jar (at most 104 characters); rename it");
            }
            if (!names.add(jar.getFileName().toString().toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException(jar + ": another jar or library has the same file name (ignoring case)");
            }
        }
        for (LibraryReference library : libraries) {
            if (!names.add(library.fileName().toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("library " + library.fileName()
                        + ": another jar or library has the same file name (ignoring case)");
            }
        }
        Path target = bundleFile.toAbsolutePath();
        Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
        try {
            // zip is closed first (closing ch too); ch's own close is then a no-op
            try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE);
                 ZipOutputStream zip = new ZipOutputStream(
                         new BufferedOutputStream(Channels.newOutputStream(ch), EntryStream.BUFFER_BYTES))) {
                zip.setLevel(Deflater.DEFAULT_COMPRESSION);
                Map<String, ContentList.Line> lines = new TreeMap<>();
                long totalBytes = 0;
                // the application's jars, then the libraries it carries: each copied, hashed, counted
                List<Path> all = new ArrayList<>(jars);
                all.addAll(carried);
                for (int i = 0; i < all.size(); i++) {
                    Path jar = all.get(i);
                    String name = (i < jars.size() ? BundleLayout.APP_DIR : BundleLayout.LIB_DIR) + jar.getFileName();
                    ContentList.Line line = copyHashed(zip, name, jar, limits);
                    totalBytes += line.sizeBytes();
                    if (totalBytes > limits.maxTotalBytes()) {
                        throw new IOException("the jars together exceed " + BundleLimits.mib(limits.maxTotalBytes())
                                + ", the most a bundle may carry (at " + jar + ")");
                    }
                    lines.put(name, line);
                }
                for (LibraryReference library : libraries) {
                    totalBytes += library.sizeBytes();
                    if (totalBytes > limits.maxTotalBytes()) {
                        throw new IOException("the jars and libraries together exceed " + BundleLimits.mib(limits.maxTotalBytes())
                                + ", the most a bundle may carry (at " + library.fileName() + ")");
                    }
                    lines.put(BundleLayout.LIB_DIR + library.fileName(), new ContentList.Line(
                            java.util.HexFormat.of().parseHex(library.sha256()), library.sizeBytes()));
                }
                byte[] manifestBytes = manifest.toBytes(!libraries.isEmpty() || !carried.isEmpty());
                lines.put(BundleLayout.MANIFEST, new ContentList.Line(
                        BundleVerifier.sha256().digest(manifestBytes), manifestBytes.length));
                byte[] listBytes = new ContentList(lines).toBytes();
                putEntry(zip, BundleLayout.MANIFEST, manifestBytes);
                putEntry(zip, BundleLayout.CONTENT_LIST, listBytes);
                if (signer != null) {
                    putEntry(zip, BundleLayout.SIGNATURE, sign(listBytes, signer).toBytes());
                }
                zip.finish();
                zip.flush();
                if (ch.size() > limits.maxFileBytes()) {
                    throw new IOException("the bundle would be " + ch.size() + " bytes; a board accepts at most "
                            + BundleLimits.mib(limits.maxFileBytes()));
                }
                ch.force(true);
            }
            Durable.moveAtomically(partial, target);
            Durable.syncDirectory(target.getParent());
        } catch (IOException | RuntimeException e) {
            Durable.deleteQuietlyInto(partial, e);
            throw e;
        }
    }

    private static void checkJarNames(List<Path> jars) {
        if (jars.isEmpty()) {
            throw new IllegalArgumentException("a bundle needs at least one jar");
        }
        Set<String> seen = new HashSet<>();
        for (Path jar : jars) {
            String name = BundleLayout.APP_DIR + jar.getFileName();
            if (!BundleLayout.APP_JAR.matcher(name).matches()) {
                throw new IllegalArgumentException(jar + ": a bundled jar's file name must match "
                        + "[A-Za-z0-9][A-Za-z0-9._-]*.jar (at most 104 characters); rename it");
            }
            if (!seen.add(name.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException(jar + ": another jar has the same file name (ignoring case)");
            }
        }
    }

    private static ContentList.Line copyHashed(ZipOutputStream zip, String name, Path jar, BundleLimits limits)
            throws IOException {
        MessageDigest digest = BundleVerifier.sha256();
        long sizeBytes = 0;
        zip.putNextEntry(entry(name));
        try (InputStream in = Files.newInputStream(jar)) {
            byte[] buffer = new byte[EntryStream.BUFFER_BYTES];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sizeBytes += n;
                if (sizeBytes > limits.maxEntryBytes()) {
                    throw new IOException(jar + " is larger than " + BundleLimits.mib(limits.maxEntryBytes())
                            + ", the most a bundle entry may be");
                }
                digest.update(buffer, 0, n);
                zip.write(buffer, 0, n);
            }
        }
        zip.closeEntry();
        return new ContentList.Line(digest.digest(), sizeBytes);
    }

    private static void putEntry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(entry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static ZipEntry entry(String name) {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.DEFLATED);
        e.setTime(ENTRY_TIME_MS);
        return e;
    }

    private static BundleSignature sign(byte[] listBytes, KeyPair signer) {
        try {
            BundleSignature signature = BundleSignature.sign(listBytes, signer.getPrivate(), signer.getPublic());
            if (!signature.matches(listBytes, signer.getPublic())) {
                throw new IllegalArgumentException("the signer's public key (key id "
                        + SigningKeys.keyId(signer.getPublic()) + ") does not belong to its private key");
            }
            return signature;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key pair; bundles need an Ed25519 key ("
                    + e.getMessage() + ")", e);
        }
    }
}
