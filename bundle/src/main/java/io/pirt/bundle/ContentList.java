package io.pirt.bundle;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The signed list {@code pirt-bundle.sha256}: for every entry but the list and the
 * signature, its SHA-256 and size (docs/bundle.md, section 3). Immutable.
 *
 * @param entries by path, sorted in byte order (equal to String order for the ASCII names a bundle allows)
 */
record ContentList(Map<String, Line> entries) {
    record Line(byte[] sha256, long sizeBytes) {
    }

    ContentList {
        entries = java.util.Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    /** Whether a line is a library referenced by SHA-256 ({@code lib/NAME.jar}, format 2), not an entry of the archive. */
    static boolean isReference(String path) {
        return path.startsWith(BundleLayout.LIB_DIR);
    }

    boolean hasReferences() {
        return entries.keySet().stream().anyMatch(ContentList::isReference);
    }

    /** The referenced libraries, by file name. */
    java.util.List<LibraryReference> references() {
        return entries.entrySet().stream().filter(e -> isReference(e.getKey()))
                .map(e -> new LibraryReference(e.getKey().substring(BundleLayout.LIB_DIR.length()),
                        java.util.HexFormat.of().formatHex(e.getValue().sha256()), e.getValue().sizeBytes()))
                .toList();
    }

    byte[] toBytes() {
        StringBuilder b = new StringBuilder();
        entries.forEach((path, line) -> b.append(HexFormat.of().formatHex(line.sha256())).append(' ')
                .append(line.sizeBytes()).append(' ').append(path).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws BundleRejectedException {@code MALFORMED_MANIFEST} naming the line */
    static ContentList parse(byte[] bytes) throws BundleRejectedException {
        String entry = BundleLayout.CONTENT_LIST;
        String text = KeyValueText.utf8(entry, bytes);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw KeyValueText.malformed(entry + ": the last line does not end with a newline");
        }
        TreeMap<String, Line> lines = new TreeMap<>();
        String previous = null;
        String[] rows = text.isEmpty() ? new String[0] : text.substring(0, text.length() - 1).split("\n", -1);
        for (int i = 0; i < rows.length; i++) {
            String where = entry + " line " + (i + 1);
            String[] parts = rows[i].split(" ", 3);
            if (parts.length != 3 || !parts[0].matches("[0-9a-f]{64}") || !parts[1].matches("0|[1-9][0-9]{0,17}")) {
                throw KeyValueText.malformed(where + ": '" + ShortText.of(rows[i])
                        + "' is not '<64 lowercase hex> <size> <path>'");
            }
            String path = parts[2];
            if (previous != null && previous.compareTo(path) >= 0) {
                throw KeyValueText.malformed(where + ": '" + ShortText.of(path)
                        + "' is out of order or repeated; lines are sorted by path");
            }
            previous = path;
            if (isReference(path) && !BundleLayout.LIB_JAR.matcher(path).matches()) {
                throw KeyValueText.malformed(where + ": '" + ShortText.of(path)
                        + "' is not a library reference lib/NAME.jar ([A-Za-z0-9][A-Za-z0-9._-]*.jar)");
            }
            lines.put(path, new Line(HexFormat.of().parseHex(parts[0]), Long.parseLong(parts[1])));
        }
        return new ContentList(lines);
    }
}
