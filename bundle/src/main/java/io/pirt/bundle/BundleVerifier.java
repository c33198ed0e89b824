package io.pirt.bundle;

import io.pirt.bundle.BundleRejectedException.Reason;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Checks a bundle file completely before anything on the board changes: structure and
 * limits, signature against the trusted keys, every entry's size and SHA-256, and fit
 * with the target board (docs/bundle.md, section 5). Stateless and thread-safe.
 */
public final class BundleVerifier {
    /**
     * The largest bundle file (64 MiB, docs/bundle.md section 6), which is also a carried
     * library's largest entry: a board takes no larger transfer, so it never writes more for
     * a file it is bound to refuse.
     */
    public static final long MAX_BUNDLE_BYTES = BundleLimits.DEFAULT.maxFileBytes();

    private BundleVerifier() {
    }

    /**
     * @return the verified bundle
     * @throws BundleRejectedException with the reason and a message naming what is wrong and what to do
     * @throws IOException             if the file cannot be read (not a fault of the bundle)
     */
    public static VerifiedBundle verify(Path bundleFile, TrustedKeys trust, Target target)
            throws IOException, BundleRejectedException {
        return verify(bundleFile, trust, target, BundleLimits.DEFAULT);
    }

    static VerifiedBundle verify(Path bundleFile, TrustedKeys trust, Target target, BundleLimits limits)
            throws IOException, BundleRejectedException {
        try (FileChannel file = FileChannel.open(bundleFile, StandardOpenOption.READ)) {
            Map<String, ZipEntryRecord> entries = checkLayout(ZipDirectory.read(file, limits));
            byte[] manifestBytes = readSmall(file, entries.get(BundleLayout.MANIFEST), limits);
            byte[] listBytes = readSmall(file, entries.get(BundleLayout.CONTENT_LIST), limits);
            ZipEntryRecord signatureEntry = entries.get(BundleLayout.SIGNATURE);

            Optional<String> signer = Optional.empty();
            byte[] signatureBytes = null;
            if (signatureEntry == null) {
                if (!target.developmentMode()) {
                    throw new BundleRejectedException(Reason.UNSIGNED, "the bundle has no " + BundleLayout.SIGNATURE
                            + ": sign it with a trusted key (pirt bundle --key ...), or put the board in development mode");
                }
            } else {
                signatureBytes = readSmall(file, signatureEntry, limits);
                BundleSignature signature = BundleSignature.parse(signatureBytes);
                checkSignature(signature, listBytes, trust);
                signer = Optional.of(signature.keyId());
            }

            ContentList list = ContentList.parse(listBytes);
            BundleManifest manifest = BundleManifest.parse(manifestBytes, list.hasReferences());
            checkCoverage(list, entries);
            long totalBytes = 0;
            for (ContentList.Line line : list.entries().values()) {
                totalBytes += line.sizeBytes(); // < 10^18 each, added to at most the limit: no overflow
                if (totalBytes > limits.maxTotalBytes()) {
                    throw new BundleRejectedException(Reason.OVERSIZED, "the signed list's jars and libraries together exceed "
                            + BundleLimits.mib(limits.maxTotalBytes()) + ", the most a bundle may hold");
                }
            }
            for (Map.Entry<String, ContentList.Line> line : list.entries().entrySet()) {
                ZipEntryRecord entry = entries.get(line.getKey());
                if (entry == null) continue; // a library left out: checked where the board takes it from its cache
                if (entry.uncompressedBytes() != line.getValue().sizeBytes()) {
                    throw changed("the entry '" + entry.name() + "' is " + entry.uncompressedBytes()
                            + " bytes but the signed list says " + line.getValue().sizeBytes());
                }
                MessageDigest digest = sha256();
                long[] count = {0};
                if (entry.name().equals(BundleLayout.MANIFEST)) {
                    // the bytes already parsed, not a second read that could differ
                    digest.update(manifestBytes);
                    count[0] = manifestBytes.length;
                } else {
                    EntryStream.copy(file, entry, (b, off, len) -> {
                        digest.update(b, off, len);
                        count[0] += len;
                    });
                }
                checkLine(entry.name(), line.getValue(), count[0], digest.digest());
            }
            String fileSha256 = VerifiedBundle.hex(wholeFileSha256(file));
            checkTarget(manifest, target);
            return new VerifiedBundle(bundleFile, manifest, fileSha256, signer, list, limits, manifestBytes, listBytes,
                    signatureBytes);
        }
    }

    /**
     * Checks that {@code dir} still holds exactly what a bundle's signer signed: the signed
     * record {@link VerifiedBundle#writeSignedRecord} wrote there (signature by a key of
     * {@code trust} over the content list; unsigned only in development mode), the manifest as
     * listed, and every jar the list names ({@code app/NAME.jar} and {@code lib/NAME.jar}, as
     * {@code NAME.jar}) with its signed size and SHA-256, and nothing else (docs/bundle.md,
     * section 9). It reads every jar whole. The board's target (board, versions) is not checked
     * again: it was when the bundle came in.
     *
     * @return the signed manifest
     * @throws BundleRejectedException with the reason and a message naming the file that is wrong
     * @throws IOException             if a file exists but cannot be read
     */
    public static BundleManifest verifyExtracted(Path dir, TrustedKeys trust, boolean developmentMode)
            throws IOException, BundleRejectedException {
        BundleLimits limits = BundleLimits.DEFAULT;
        byte[] listBytes = readRecord(dir, BundleLayout.CONTENT_LIST, limits);
        byte[] manifestBytes = readRecord(dir, BundleLayout.MANIFEST, limits);
        Path signatureFile = dir.resolve(BundleLayout.SIGNATURE);
        if (Files.exists(signatureFile, LinkOption.NOFOLLOW_LINKS)) {
            checkSignature(BundleSignature.parse(readRecord(dir, BundleLayout.SIGNATURE, limits)), listBytes, trust);
        } else if (!developmentMode) {
            throw new BundleRejectedException(Reason.UNSIGNED, dir + " keeps no " + BundleLayout.SIGNATURE
                    + ": it was installed unsigned (development mode) or its signature was removed; flash a signed bundle");
        }
        ContentList list = ContentList.parse(listBytes);
        BundleManifest manifest = BundleManifest.parse(manifestBytes, list.hasReferences());
        ContentList.Line manifestLine = list.entries().get(BundleLayout.MANIFEST);
        if (manifestLine == null) {
            throw changed("the signed list in " + dir + " does not name " + BundleLayout.MANIFEST);
        }
        checkLine(dir.resolve(BundleLayout.MANIFEST).toString(), manifestLine, manifestBytes.length,
                sha256().digest(manifestBytes));
        java.util.Set<String> expected = new java.util.TreeSet<>(List.of(BundleLayout.MANIFEST, BundleLayout.CONTENT_LIST,
                BundleLayout.SIGNATURE));
        for (Map.Entry<String, ContentList.Line> line : list.entries().entrySet()) {
            String name = line.getKey();
            if (!BundleLayout.APP_JAR.matcher(name).matches() && !ContentList.isReference(name)) continue;
            String fileName = VerifiedBundle.jarFileName(name);
            expected.add(fileName);
            Path jar = dir.resolve(fileName);
            if (!Files.isRegularFile(jar, LinkOption.NOFOLLOW_LINKS)) {
                throw changed(jar + " is missing or not a plain file; the signed list names it");
            }
            MessageDigest digest = sha256();
            long sizeBytes = 0;
            try (java.io.InputStream in = Files.newInputStream(jar, LinkOption.NOFOLLOW_LINKS)) {
                byte[] buffer = new byte[EntryStream.BUFFER_BYTES];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    sizeBytes += n;
                }
            }
            byte[] actual = digest.digest();
            if (sizeBytes != line.getValue().sizeBytes() || !Arrays.equals(actual, line.getValue().sha256())) {
                throw changed(jar + " (" + sizeBytes + " bytes, sha256 " + VerifiedBundle.hex(actual)
                        + ") differs from the signed list (" + line.getValue().sizeBytes() + " bytes, sha256 "
                        + VerifiedBundle.hex(line.getValue().sha256()) + ")");
            }
        }
        try (java.util.stream.Stream<Path> present = Files.list(dir)) {
            for (Path p : (Iterable<Path>) present.sorted()::iterator) {
                if (!expected.contains(p.getFileName().toString())) {
                    throw changed(p + " is not in the signed list; nothing but what was signed may be there");
                }
            }
        }
        return manifest;
    }

    private static byte[] readRecord(Path dir, String name, BundleLimits limits) throws IOException, BundleRejectedException {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw KeyValueText.malformed(dir + " keeps no " + name + " (installed by a runtime that did not keep the"
                    + " signed record, or removed since); flash the bundle again");
        }
        if (Files.size(file) > limits.maxMetadataBytes()) {
            throw new BundleRejectedException(Reason.OVERSIZED, file + " is " + Files.size(file) + " bytes; at most "
                    + BundleLimits.mib(limits.maxMetadataBytes()) + " is allowed");
        }
        return Files.readAllBytes(file);
    }

    /** Only the entries section 1 of docs/bundle.md allows, with the required ones present. */
    private static Map<String, ZipEntryRecord> checkLayout(List<ZipEntryRecord> records) throws BundleRejectedException {
        Map<String, ZipEntryRecord> byName = new LinkedHashMap<>();
        int jars = 0;
        for (ZipEntryRecord r : records) {
            String n = r.name();
            boolean metadata = n.equals(BundleLayout.MANIFEST) || n.equals(BundleLayout.CONTENT_LIST)
                    || n.equals(BundleLayout.SIGNATURE);
            if (!metadata && !BundleLayout.APP_JAR.matcher(n).matches() && !BundleLayout.LIB_JAR.matcher(n).matches()) {
                throw ZipDirectory.malformed("unexpected entry '" + ShortText.of(n) + "': a bundle holds only "
                        + BundleLayout.MANIFEST + ", " + BundleLayout.CONTENT_LIST + ", " + BundleLayout.SIGNATURE
                        + ", app/NAME.jar and lib/NAME.jar");
            }
            if (!metadata && n.startsWith(BundleLayout.APP_DIR)) jars++;
            byName.put(n, r);
        }
        for (String required : List.of(BundleLayout.MANIFEST, BundleLayout.CONTENT_LIST)) {
            if (!byName.containsKey(required)) {
                throw KeyValueText.malformed("the bundle has no " + required + "; build it with pirt");
            }
        }
        if (jars == 0) {
            throw ZipDirectory.malformed("the bundle has no app/NAME.jar: there is no application in it");
        }
        return byName;
    }

    private static byte[] readSmall(FileChannel file, ZipEntryRecord entry, BundleLimits limits)
            throws IOException, BundleRejectedException {
        if (entry.uncompressedBytes() > limits.maxMetadataBytes()) {
            throw new BundleRejectedException(Reason.OVERSIZED, "the entry '" + entry.name() + "' declares "
                    + entry.uncompressedBytes() + " bytes; at most " + BundleLimits.mib(limits.maxMetadataBytes())
                    + " is allowed");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EntryStream.copy(file, entry, out::write);
        return out.toByteArray();
    }

    private static void checkSignature(BundleSignature signature, byte[] listBytes, TrustedKeys trust)
            throws BundleRejectedException {
        List<PublicKey> keys = trust.withId(signature.keyId());
        if (keys.isEmpty()) {
            throw new BundleRejectedException(Reason.UNKNOWN_KEY, "signed by an unknown key " + signature.keyId()
                    + ": add its public key (the signer's .pub file) to " + trust.directory()
                    + " (docs/bundle.md, section 7), or sign the bundle with a trusted key "
                    + (trust.keyIds().isEmpty() ? "(none is installed)" : trust.keyIds().toString()));
        }
        for (PublicKey key : keys) {
            if (signature.matches(listBytes, key)) return;
        }
        throw changed("the signature by key " + signature.keyId() + " does not match the bundle's content list:"
                + " the bundle was changed after it was signed; build and sign it again");
    }

    private static void checkCoverage(ContentList list, Map<String, ZipEntryRecord> entries)
            throws BundleRejectedException {
        TreeSet<String> present = new TreeSet<>(entries.keySet());
        present.remove(BundleLayout.CONTENT_LIST);
        present.remove(BundleLayout.SIGNATURE);
        for (String name : present) {
            if (!list.entries().containsKey(name)) {
                throw changed("the entry '" + name + "' is in the archive but not in the signed list");
            }
        }
        TreeSet<String> jarNames = new TreeSet<>();
        for (String name : list.entries().keySet()) {
            if (ContentList.isReference(name) || BundleLayout.APP_JAR.matcher(name).matches()) {
                String file = name.substring(name.indexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
                if (!jarNames.add(file)) {
                    throw new BundleRejectedException(Reason.DUPLICATE_ENTRY, "the jar name '" + ShortText.of(file)
                            + "' is both carried (app/) and referenced (lib/), or referenced twice (ignoring case);"
                            + " build the bundle again with pirt");
                }
            }
            if (ContentList.isReference(name)) continue; // a referenced library may be carried, or left to the board's cache
            if (!present.contains(name)) {
                throw changed("the signed list names '" + ShortText.of(name) + "', which is not in the archive");
            }
        }
    }

    static void checkLine(String name, ContentList.Line line, long sizeBytes, byte[] sha256) throws BundleRejectedException {
        if (sizeBytes != line.sizeBytes() || !Arrays.equals(sha256, line.sha256())) {
            throw changed("the entry '" + name + "' (" + sizeBytes + " bytes, sha256 " + VerifiedBundle.hex(sha256)
                    + ") differs from the signed list (" + line.sizeBytes() + " bytes, sha256 "
                    + VerifiedBundle.hex(line.sha256()) + ")");
        }
    }

    private static void checkTarget(BundleManifest manifest, Target target) throws BundleRejectedException {
        if (!manifest.runsOn(target.boardId())) {
            throw new BundleRejectedException(Reason.WRONG_BOARD, manifest.name() + " " + manifest.version()
                    + " is built for boards " + manifest.boards() + ", not for this " + target.boardId()
                    + "; build it with this board in 'boards'");
        }
        if (manifest.minRuntimeVersion().compareTo(target.runtimeVersion()) > 0) {
            throw new BundleRejectedException(Reason.RUNTIME_TOO_OLD, manifest.name() + " " + manifest.version()
                    + " needs runtime " + manifest.minRuntimeVersion() + " or newer; this board runs "
                    + target.runtimeVersion() + ": update the runtime first");
        }
        Optional<Version> committed = target.committedVersion();
        // A test bundle is run once and never replaces the application: no version order applies to it.
        if (committed.isPresent() && manifest.kind() == BundleManifest.Kind.APPLICATION
                && manifest.version().compareTo(committed.get()) < 0 && !target.developmentMode() && !target.force()) {
            throw new BundleRejectedException(Reason.DOWNGRADE, manifest.name() + " " + manifest.version()
                    + " is older than the committed " + committed.get()
                    + "; to go back on purpose, flash with --force (or use a board in development mode)");
        }
    }

    private static byte[] wholeFileSha256(FileChannel file) throws IOException {
        MessageDigest digest = sha256();
        ByteBuffer buffer = ByteBuffer.allocate(EntryStream.BUFFER_BYTES);
        long position = 0, end = file.size(); // checked against the limit by ZipDirectory
        int n;
        while (position < end && (n = file.read(buffer.clear().limit((int) Math.min(buffer.capacity(), end - position)), position)) > 0) {
            digest.update(buffer.flip());
            position += n;
        }
        return digest.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256, which every JDK must have", e);
        }
    }

    private static BundleRejectedException changed(String detail) {
        return new BundleRejectedException(Reason.CONTENT_CHANGED, detail);
    }
}
