package io.pirt.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The host's side of libraries in a bundle of format 2 (docs/bundle.md §3): splits a
 * self-contained bundle into the libraries it carries and a thin bundle that only references
 * them, for a board whose library cache holds them. Nothing signed changes: the thin bundle has
 * the same content list and signature, only fewer entries, so no key is needed. Stateless.
 */
public final class BundleLibraries {
    /**
     * A bundle taken apart.
     *
     * @param thin       the bundle without its {@code lib/} entries (the original file when it carried none)
     * @param references every {@code lib/} line, sorted by file name
     * @param jars       the carried libraries written out, one per reference, in the same order; empty when none was carried
     */
    public record Split(Path thin, List<LibraryReference> references, List<Path> jars) {
    }

    private BundleLibraries() {
    }

    /**
     * Writes the carried libraries of {@code bundle} into {@code work} (each checked against its
     * line) and the thin bundle beside them. The bundle is not verified here (the board does
     * that); a library whose bytes differ from its line stops the split.
     *
     * @throws BundleRejectedException if the bundle's list cannot be read or a carried library differs from it
     * @throws IOException             if reading or writing fails
     */
    public static Split split(Path bundle, Path work) throws IOException, BundleRejectedException {
        try (ZipFile zip = new ZipFile(bundle.toFile())) {
            ZipEntry listEntry = zip.getEntry(BundleLayout.CONTENT_LIST);
            if (listEntry == null) {
                throw KeyValueText.malformed(bundle + " has no " + BundleLayout.CONTENT_LIST + ": it is not a bundle made by pirt");
            }
            ContentList list;
            try (InputStream in = zip.getInputStream(listEntry)) {
                list = ContentList.parse(in.readNBytes(BundleLimits.DEFAULT.maxMetadataBytes() + 1));
            }
            List<LibraryReference> references = list.references();
            List<Path> jars = new ArrayList<>();
            for (LibraryReference r : references) {
                ZipEntry e = zip.getEntry(BundleLayout.LIB_DIR + r.fileName());
                if (e == null) return new Split(bundle, references, List.of()); // thin already: the board must have them
                Path out = work.resolve(r.fileName());
                MessageDigest digest = BundleVerifier.sha256();
                long sizeBytes = 0;
                try (InputStream in = zip.getInputStream(e); OutputStream o = Files.newOutputStream(out)) {
                    byte[] buffer = new byte[EntryStream.BUFFER_BYTES];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                        o.write(buffer, 0, n);
                        sizeBytes += n;
                    }
                }
                Map.Entry<String, ContentList.Line> line = Map.entry(e.getName(), list.entries().get(e.getName()));
                BundleVerifier.checkLine(line.getKey(), line.getValue(), sizeBytes, digest.digest());
                jars.add(out);
            }
            if (jars.isEmpty()) return new Split(bundle, references, List.of());
            Path thin = work.resolve("thin-" + bundle.getFileName());
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(thin))) {
                out.setLevel(Deflater.DEFAULT_COMPRESSION);
                for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
                    ZipEntry e = all.nextElement();
                    if (e.getName().startsWith(BundleLayout.LIB_DIR)) continue;
                    ZipEntry copy = new ZipEntry(e.getName());
                    copy.setMethod(ZipEntry.DEFLATED);
                    copy.setTime(e.getTime());
                    out.putNextEntry(copy);
                    try (InputStream in = zip.getInputStream(e)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
            return new Split(thin, references, List.copyOf(jars));
        }
    }
}
