package io.pirt.bundle;

import io.pirt.bundle.BundleRejectedException.Reason;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A bundle that passed every check of {@link BundleVerifier#verify}: its manifest, the
 * SHA-256 of the whole file, and the means to write its jars into a new directory.
 * Immutable; {@link #extractTo} may be called from any thread.
 */
public final class VerifiedBundle {
    /**
     * Where the board keeps the libraries a bundle references (its library cache): the file
     * of a reference, which {@link #extractTo(Path, LibrarySource)} links or copies beside the
     * bundle's jars and checks against the signed line.
     */
    @FunctionalInterface
    public interface LibrarySource {
        /**
         * @return a file said to hold {@code library}; it is checked, not trusted
         * @throws IOException if there is none (the message says what to do), or it cannot be read
         */
        Path fileOf(LibraryReference library) throws IOException;
    }

    private final Path file;
    private final BundleManifest manifest;
    /** Hex SHA-256 of the whole file as verified. */
    private final String fileSha256;
    /** Empty for an unsigned bundle accepted in development mode. */
    private final Optional<String> signerKeyId;
    /** The signed list; {@link #extractTo} checks every byte it writes against it. */
    private final ContentList contentList;
    private final BundleLimits limits;
    /** The signed record as verified, byte for byte: manifest, content list, signature (null when unsigned). */
    private final byte[] manifestBytes, listBytes, signatureBytes;

    VerifiedBundle(Path file, BundleManifest manifest, String fileSha256, Optional<String> signerKeyId,
                   ContentList contentList, BundleLimits limits, byte[] manifestBytes, byte[] listBytes, byte[] signatureBytes) {
        this.file = file;
        this.manifest = manifest;
        this.fileSha256 = fileSha256;
        this.signerKeyId = signerKeyId;
        this.contentList = contentList;
        this.limits = limits;
        this.manifestBytes = manifestBytes.clone();
        this.listBytes = listBytes.clone();
        this.signatureBytes = signatureBytes == null ? null : signatureBytes.clone();
    }

    /**
     * Writes the bundle's signed record into {@code dir} beside its extracted jars, as the
     * bundle names them: {@code pirt-bundle.properties}, {@code pirt-bundle.sha256} and, when
     * signed, {@code pirt-bundle.sig} (docs/bundle.md, section 9). With it,
     * {@link BundleVerifier#verifyExtracted} can check later that the directory still holds
     * exactly what the signer signed. Each file is new and fsynced; the caller fsyncs the directory.
     *
     * @throws FileAlreadyExistsException if one of them exists
     * @throws IOException                if writing fails
     */
    public void writeSignedRecord(Path dir) throws IOException {
        write(dir.resolve(BundleLayout.MANIFEST), manifestBytes);
        write(dir.resolve(BundleLayout.CONTENT_LIST), listBytes);
        if (signatureBytes != null) write(dir.resolve(BundleLayout.SIGNATURE), signatureBytes);
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /** The SHA-256 of the whole bundle file, 64 lowercase hex digits. */
    public String sha256() {
        return fileSha256;
    }

    /** The id of the key that signed the bundle; empty if it was accepted unsigned (development mode). */
    public Optional<String> signerKeyId() {
        return signerKeyId;
    }

    /** The jar file names carried in the bundle, as {@link #extractTo} writes them, sorted. */
    public List<String> jarNames() {
        return jarEntries().keySet().stream().map(VerifiedBundle::jarFileName).sorted().toList();
    }

    /**
     * The libraries of the bundle's {@code lib/} lines (format 2), sorted by file name, whether the
     * archive carries them or leaves them to the board's library cache; empty in format 1.
     */
    public List<LibraryReference> libraries() {
        return contentList.references();
    }

    /**
     * {@link #extractTo(Path, LibrarySource)} for a bundle that references no library.
     *
     * @throws IOException if the bundle references libraries (it needs a {@link LibrarySource}), or as there
     */
    public void extractTo(Path dir) throws IOException, BundleRejectedException {
        extractTo(dir, library -> {
            throw new IOException("the bundle references the library " + library.fileName() + " (sha256 " + library.sha256()
                    + ") and this board has no library cache to take it from");
        });
    }

    /**
     * Writes the jars as {@code dir/NAME.jar}. Every byte is checked again against the
     * signed list as it is written (the file may have changed since it was verified), and
     * every file and the directory are fsync'ed. If {@code dir} does not exist, the jars are
     * written into a temporary sibling that is renamed to {@code dir} when complete; if it
     * is an empty directory (a caller that makes its own slot, such as the bundle store),
     * they are written into it. Either way, on any failure {@code dir} is afterwards as it
     * was before: absent, or empty. Each referenced library is taken from {@code libraries}: hard
     * linked (or copied, on a file system without links) as {@code dir/NAME.jar}, then read
     * whole and checked against its signed size and SHA-256, so a cache that lost or damaged
     * a jar fails the extraction instead of installing it.
     *
     * @throws FileAlreadyExistsException if {@code dir} exists and is not an empty directory
     * @throws BundleRejectedException    {@code CONTENT_CHANGED} if the file no longer matches what was verified
     * @throws IOException                if reading or writing fails
     */
    public void extractTo(Path dir, LibrarySource libraries) throws IOException, BundleRejectedException {
        Objects.requireNonNull(libraries, "libraries");
        Path target = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(target)) {
                if (children.findAny().isPresent()) {
                    throw new FileAlreadyExistsException(target.toString(), null,
                            "not empty; extract into a new or an empty directory");
                }
            }
            try {
                linkLibraries(target, libraries, writeJars(target));
                Durable.syncDirectory(target);
            } catch (IOException | BundleRejectedException | RuntimeException e) {
                Durable.deleteChildrenInto(target, e);
                throw e;
            }
            return;
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "not a directory; extract into a new or an empty directory");
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path partial = parent.resolve("." + target.getFileName() + ".partial-" + UUID.randomUUID());
        Files.createDirectory(partial);
        try {
            linkLibraries(partial, libraries, writeJars(partial));
            Durable.syncDirectory(partial);
            Durable.moveAtomically(partial, target);
            Durable.syncDirectory(parent);
        } catch (IOException | BundleRejectedException | RuntimeException e) {
            Durable.deleteQuietlyInto(partial, e);
            throw e;
        }
    }

    /** Writes the carried jars ({@code app/}, and {@code lib/} entries present); returns the library file names written. */
    private java.util.Set<String> writeJars(Path into) throws IOException, BundleRejectedException {
        java.util.Set<String> carriedLibraries = new java.util.HashSet<>();
        try (FileChannel bundle = FileChannel.open(file, StandardOpenOption.READ)) {
            Map<String, ZipEntryRecord> present = ZipDirectory.read(bundle, limits).stream()
                    .collect(Collectors.toMap(ZipEntryRecord::name, e -> e));
            Map<String, ContentList.Line> toWrite = new TreeMap<>(jarEntries());
            for (Map.Entry<String, ContentList.Line> line : contentList.entries().entrySet()) {
                if (ContentList.isReference(line.getKey()) && present.containsKey(line.getKey())) {
                    toWrite.put(line.getKey(), line.getValue());
                    carriedLibraries.add(jarFileName(line.getKey()));
                }
            }
            for (Map.Entry<String, ContentList.Line> jar : toWrite.entrySet()) {
                ZipEntryRecord entry = present.get(jar.getKey());
                if (entry == null) {
                    throw new BundleRejectedException(Reason.CONTENT_CHANGED, "the entry '" + jar.getKey()
                            + "' is gone from " + file + " since it was verified");
                }
                Path out = into.resolve(jarFileName(jar.getKey()));
                MessageDigest digest = BundleVerifier.sha256();
                long[] written = {0};
                try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    EntryStream.copy(bundle, entry, (b, off, len) -> {
                        digest.update(b, off, len);
                        written[0] += len;
                        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(b, off, len);
                        while (bytes.hasRemaining()) ch.write(bytes);
                    });
                    ch.force(true);
                }
                BundleVerifier.checkLine(jar.getKey(), jar.getValue(), written[0], digest.digest());
            }
        }
        return carriedLibraries;
    }

    private void linkLibraries(Path into, LibrarySource source, java.util.Set<String> carried)
            throws IOException, BundleRejectedException {
        for (LibraryReference library : libraries()) {
            if (carried.contains(library.fileName())) continue;
            Path from = source.fileOf(library);
            Path out = into.resolve(library.fileName());
            try {
                Files.createLink(out, from);
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException noLinks) {
                // another file system, or one without hard links: a copy of our own serves as well
                try {
                    Files.deleteIfExists(out);
                    Files.copy(from, out);
                    Durable.syncFile(out);
                } catch (IOException copyFailed) {
                    copyFailed.addSuppressed(noLinks);
                    throw copyFailed;
                }
            }
            MessageDigest digest = BundleVerifier.sha256();
            long sizeBytes = 0;
            try (java.io.InputStream in = Files.newInputStream(out)) {
                byte[] buffer = new byte[EntryStream.BUFFER_BYTES];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    sizeBytes += n;
                }
            }
            byte[] actual = digest.digest();
            if (sizeBytes != library.sizeBytes() || !hex(actual).equals(library.sha256())) {
                throw new BundleRejectedException(Reason.CONTENT_CHANGED, "the cached library " + library.fileName() + " ("
                        + sizeBytes + " bytes, sha256 " + hex(actual) + ") differs from the signed reference ("
                        + library.sizeBytes() + " bytes, sha256 " + library.sha256() + "); the board's cache is damaged:"
                        + " send the library again (pirt does when the board does not list it)");
            }
        }
    }

    private Map<String, ContentList.Line> jarEntries() {
        return contentList.entries().entrySet().stream()
                .filter(e -> BundleLayout.APP_JAR.matcher(e.getKey()).matches())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    static String jarFileName(String entryName) {
        return entryName.substring(entryName.indexOf('/') + 1);
    }

    @Override
    public String toString() {
        return manifest.name() + " " + manifest.version() + " (" + file + ", sha256 " + fileSha256 + ")";
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
