package io.pirt.bundle;

import io.pirt.bundle.BundleRejectedException.Reason;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A strict reader of a ZIP file's structure: the end record, the central directory and
 * each entry's local header, checked against {@link BundleLimits} before anything is
 * inflated (docs/bundle.md, sections 1 and 5).
 *
 * <p>Implementation notes. The JDK's readers are lenient where a board must not be
 * (duplicates, overlapping entries, {@code ..} names, symlinks), so the structure is
 * parsed here. The end record must be the last 22 bytes (bundles have no comment), so a
 * truncated file is recognised at once. The central directory is read into one buffer,
 * bounded by {@code maxCentralDirectoryBytes} and by the file itself; every other read is
 * a fixed-size header. Declared sizes are unsigned 32-bit, or 64-bit from a ZIP64 extra
 * field, and are only ever compared (unsigned) with the limits. Entries must not overlap
 * one another or the central directory, which also defeats overlapping-entry bombs.
 */
final class ZipDirectory {
    private static final int END_RECORD_BYTES = 22;
    private static final int END_SIGNATURE = 0x06054b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int CENTRAL_HEADER_BYTES = 46;
    private static final int LOCAL_HEADER_BYTES = 30;
    private static final long U32_MAX = 0xFFFF_FFFFL;
    private static final int ZIP64_EXTRA = 0x0001;
    private static final int HOST_UNIX = 3;
    private static final int HOST_MACOS = 19;
    private static final int FLAG_ENCRYPTED = 0x0001;
    private static final int FLAG_STRONG_ENCRYPTION = 0x0040;
    private static final int MODE_TYPE_MASK = 0170000;
    private static final int MODE_REGULAR = 0100000;
    private static final int MODE_SYMLINK = 0120000;

    private ZipDirectory() {
    }

    /**
     * @return the entries in central-directory order, each checked
     * @throws BundleRejectedException for any structural fault, oversize, unsafe name,
     *                                 non-regular entry or duplicate
     * @throws IOException             if the file cannot be read
     */
    static List<ZipEntryRecord> read(FileChannel file, BundleLimits limits) throws IOException, BundleRejectedException {
        long fileBytes = file.size();
        if (fileBytes > limits.maxFileBytes()) {
            throw new BundleRejectedException(Reason.OVERSIZED, "the file is " + fileBytes
                    + " bytes; a bundle may be at most " + BundleLimits.mib(limits.maxFileBytes()));
        }
        if (fileBytes < END_RECORD_BYTES) {
            throw truncated("the file is only " + fileBytes + " bytes");
        }
        long endOffset = fileBytes - END_RECORD_BYTES;
        ByteBuffer end = readAt(file, endOffset, END_RECORD_BYTES);
        if (end.getInt(0) != END_SIGNATURE) {
            throw truncated("there is no ZIP end record at the end of the file");
        }
        int disk = u16(end, 4), centralDisk = u16(end, 6), entriesHere = u16(end, 8), entries = u16(end, 10);
        long centralBytes = u32(end, 12), centralOffset = u32(end, 16);
        if (u16(end, 20) != 0) {
            throw malformed("the archive has a comment; a bundle has none (rebuild it with pirt)");
        }
        if (disk != 0 || centralDisk != 0 || entriesHere != entries) {
            throw malformed("the archive claims to span several disks");
        }
        if (entries == 0xFFFF || centralBytes == U32_MAX || centralOffset == U32_MAX) {
            throw malformed("the archive uses a ZIP64 end record, which no bundle needs (limit "
                    + limits.maxEntries() + " entries, " + BundleLimits.mib(limits.maxFileBytes()) + ")");
        }
        if (entries > limits.maxEntries()) {
            throw new BundleRejectedException(Reason.OVERSIZED, "the archive has " + entries
                    + " entries; a bundle may have at most " + limits.maxEntries());
        }
        if (centralBytes > limits.maxCentralDirectoryBytes()) {
            throw new BundleRejectedException(Reason.OVERSIZED, "the central directory is " + centralBytes
                    + " bytes; at most " + BundleLimits.mib(limits.maxCentralDirectoryBytes()) + " is allowed");
        }
        if (centralOffset + centralBytes != endOffset) {
            throw malformed("the central directory (offset " + centralOffset + ", " + centralBytes
                    + " bytes) does not end where the end record starts (offset " + endOffset + ")");
        }
        ByteBuffer central = readAt(file, centralOffset, (int) centralBytes);
        List<ZipEntryRecord> records = new ArrayList<>(entries);
        List<long[]> extents = new ArrayList<>(entries); // {local header offset, data end}
        Map<String, String> namesByFoldedCase = new HashMap<>();
        long totalBytes = 0;
        int p = 0;
        for (int i = 0; i < entries; i++) {
            if (p + CENTRAL_HEADER_BYTES > centralBytes || central.getInt(p) != CENTRAL_SIGNATURE) {
                throw malformed("central directory entry " + (i + 1) + " of " + entries + " is damaged");
            }
            int madeBy = u16(central, p + 4);
            int flags = u16(central, p + 8);
            int method = u16(central, p + 10);
            long compressed = u32(central, p + 20);
            long uncompressed = u32(central, p + 24);
            int nameLength = u16(central, p + 28), extraLength = u16(central, p + 30), commentLength = u16(central, p + 32);
            long externalAttributes = u32(central, p + 38);
            long localOffset = u32(central, p + 42);
            int next = p + CENTRAL_HEADER_BYTES + nameLength + extraLength + commentLength;
            if (next > centralBytes) {
                throw malformed("central directory entry " + (i + 1) + " runs past the directory's end");
            }
            byte[] rawName = new byte[nameLength];
            central.get(p + CENTRAL_HEADER_BYTES, rawName);
            String name = checkedName(rawName, limits);

            if (uncompressed == U32_MAX || compressed == U32_MAX || localOffset == U32_MAX) {
                long[] big = zip64(central, p + CENTRAL_HEADER_BYTES + nameLength, extraLength, name,
                        uncompressed == U32_MAX, compressed == U32_MAX, localOffset == U32_MAX);
                if (uncompressed == U32_MAX) uncompressed = big[0];
                if (compressed == U32_MAX) compressed = big[1];
                if (localOffset == U32_MAX) localOffset = big[2];
            }
            checkRegularFile(name, madeBy >>> 8, externalAttributes);
            String folded = name.toLowerCase(Locale.ROOT);
            String earlier = namesByFoldedCase.putIfAbsent(folded, name);
            if (earlier != null) {
                throw new BundleRejectedException(Reason.DUPLICATE_ENTRY, earlier.equals(name)
                        ? "the entry '" + name + "' appears twice; the archive is ambiguous"
                        : "the entries '" + earlier + "' and '" + name + "' differ only in case");
            }
            if ((flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) != 0) {
                throw malformed("the entry '" + name + "' is encrypted; bundles are signed, not encrypted");
            }
            if (method != ZipEntryRecord.STORED && method != ZipEntryRecord.DEFLATED) {
                throw malformed("the entry '" + name + "' uses compression method " + method
                        + "; only stored (0) and deflated (8) are allowed");
            }
            checkSizes(name, method, compressed, uncompressed, limits);
            totalBytes += uncompressed; // each term <= maxEntryBytes, at most 256 terms: no overflow
            if (totalBytes > limits.maxTotalBytes()) {
                throw new BundleRejectedException(Reason.OVERSIZED, "the entries together inflate to more than "
                        + BundleLimits.mib(limits.maxTotalBytes()) + " (at '" + name + "')");
            }
            long dataOffset = localDataOffset(file, name, rawName, method, localOffset, centralOffset);
            if (compressed > centralOffset - dataOffset) {
                throw malformed("the entry '" + name + "' (" + compressed
                        + " compressed bytes) runs into the central directory");
            }
            records.add(new ZipEntryRecord(name, method, dataOffset, compressed, uncompressed));
            extents.add(new long[] {localOffset, dataOffset + compressed});
            p = next;
        }
        if (p != centralBytes) {
            throw malformed("the central directory has " + (centralBytes - p) + " bytes after its last entry");
        }
        extents.sort(Comparator.comparingLong(e -> e[0]));
        for (int i = 1; i < extents.size(); i++) {
            if (extents.get(i)[0] < extents.get(i - 1)[1]) {
                throw malformed("two entries overlap in the file (at offset " + extents.get(i)[0] + ")");
            }
        }
        return records;
    }

    /**
     * Decodes a name and refuses anything that could escape a directory or mean
     * different files on different systems.
     */
    private static String checkedName(byte[] raw, BundleLimits limits) throws BundleRejectedException {
        if (raw.length == 0) {
            throw new BundleRejectedException(Reason.UNSAFE_PATH, "an entry has an empty name");
        }
        if (raw.length > limits.maxNameBytes()) {
            throw new BundleRejectedException(Reason.UNSAFE_PATH, "an entry name is " + raw.length
                    + " bytes; at most " + limits.maxNameBytes() + " are allowed");
        }
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new BundleRejectedException(Reason.UNSAFE_PATH,
                    "an entry name is not UTF-8: " + hex(raw), e);
        }
        String shown = "'" + ShortText.of(name) + "'";
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new BundleRejectedException(Reason.UNSAFE_PATH, "the entry name " + shown
                        + " contains a control character");
            }
        }
        if (name.indexOf('\\') >= 0) {
            throw new BundleRejectedException(Reason.UNSAFE_PATH, "the entry name " + shown
                    + " contains a backslash; ZIP paths use /");
        }
        if (name.startsWith("/")) {
            throw new BundleRejectedException(Reason.UNSAFE_PATH, "the entry name " + shown
                    + " is an absolute path; entries must be relative");
        }
        if (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0))) {
            throw new BundleRejectedException(Reason.UNSAFE_PATH, "the entry name " + shown
                    + " starts with a drive letter");
        }
        if (name.endsWith("/")) {
            throw malformed("the entry " + shown + " is a directory; a bundle holds only files");
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                throw new BundleRejectedException(Reason.UNSAFE_PATH, "the entry name " + shown
                        + " contains '..', which could write outside the application's directory");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                throw new BundleRejectedException(Reason.UNSAFE_PATH, "the entry name " + shown
                        + " has an empty or '.' path segment");
            }
        }
        return name;
    }

    private static void checkRegularFile(String name, int host, long externalAttributes) throws BundleRejectedException {
        if (host != HOST_UNIX && host != HOST_MACOS) {
            if ((externalAttributes & 0x10) != 0) { // MS-DOS directory attribute
                throw new BundleRejectedException(Reason.SYMLINK, "the entry '" + name + "' is marked as a directory");
            }
            return;
        }
        int type = (int) (externalAttributes >>> 16) & MODE_TYPE_MASK;
        if (type == MODE_SYMLINK) {
            throw new BundleRejectedException(Reason.SYMLINK, "the entry '" + name
                    + "' is a symbolic link; a bundle holds only regular files");
        }
        if (type != 0 && type != MODE_REGULAR) {
            throw new BundleRejectedException(Reason.SYMLINK, "the entry '" + name + "' has Unix file type 0"
                    + Integer.toOctalString(type) + "; a bundle holds only regular files");
        }
    }

    private static void checkSizes(String name, int method, long compressed, long uncompressed, BundleLimits limits)
            throws BundleRejectedException {
        if (Long.compareUnsigned(uncompressed, limits.maxEntryBytes()) > 0) {
            throw new BundleRejectedException(Reason.OVERSIZED, "the entry '" + name + "' declares "
                    + Long.toUnsignedString(uncompressed) + " bytes; an entry may be at most "
                    + BundleLimits.mib(limits.maxEntryBytes()));
        }
        if (Long.compareUnsigned(compressed, limits.maxFileBytes()) > 0) {
            throw new BundleRejectedException(Reason.OVERSIZED, "the entry '" + name + "' declares "
                    + Long.toUnsignedString(compressed) + " compressed bytes; the file may be at most "
                    + BundleLimits.mib(limits.maxFileBytes()));
        }
        if (method == ZipEntryRecord.STORED && compressed != uncompressed) {
            throw malformed("the stored entry '" + name + "' declares " + compressed + " stored but "
                    + uncompressed + " uncompressed bytes");
        }
        if (uncompressed >= limits.ratioFloorBytes() && uncompressed > compressed * limits.maxRatio()) {
            throw new BundleRejectedException(Reason.COMPRESSION_BOMB, "the entry '" + name + "' declares "
                    + uncompressed + " bytes from " + compressed + " compressed bytes, a ratio above the limit of "
                    + limits.maxRatio() + ":1");
        }
    }

    /** Reads the ZIP64 extra field: {uncompressed, compressed, local offset}, each only if flagged. */
    private static long[] zip64(ByteBuffer central, int start, int length, String name,
                                boolean hasUncompressed, boolean hasCompressed, boolean hasOffset)
            throws BundleRejectedException {
        int p = start, end = start + length;
        while (p + 4 <= end) {
            int id = u16(central, p), size = u16(central, p + 2);
            if (p + 4 + size > end) break;
            if (id == ZIP64_EXTRA) {
                long[] values = new long[3];
                int q = p + 4;
                boolean[] present = {hasUncompressed, hasCompressed, hasOffset};
                for (int i = 0; i < 3; i++) {
                    if (!present[i]) continue;
                    if (q + 8 > p + 4 + size) {
                        throw malformed("the entry '" + name + "' has a short ZIP64 extra field");
                    }
                    values[i] = central.getLong(q);
                    q += 8;
                }
                return values;
            }
            p += 4 + size;
        }
        throw malformed("the entry '" + name + "' needs a ZIP64 extra field and has none");
    }

    /** Checks the local header against the central one and returns where the data starts. */
    private static long localDataOffset(FileChannel file, String name, byte[] rawName, int method,
                                        long localOffset, long centralOffset)
            throws IOException, BundleRejectedException {
        if (centralOffset < LOCAL_HEADER_BYTES
                || Long.compareUnsigned(localOffset, centralOffset - LOCAL_HEADER_BYTES) > 0) {
            throw malformed("the entry '" + name + "' says its header is at offset "
                    + Long.toUnsignedString(localOffset) + ", past the entries' area");
        }
        ByteBuffer local = readAt(file, localOffset, LOCAL_HEADER_BYTES);
        if (local.getInt(0) != LOCAL_SIGNATURE) {
            throw malformed("the entry '" + name + "' has no local header at offset " + localOffset);
        }
        int localNameLength = u16(local, 26), localExtraLength = u16(local, 28);
        long dataOffset = localOffset + LOCAL_HEADER_BYTES + localNameLength + localExtraLength;
        if (u16(local, 8) != method || localNameLength != rawName.length || dataOffset > centralOffset) {
            throw malformed("the entry '" + name + "': its local header disagrees with the central directory");
        }
        ByteBuffer localName = readAt(file, localOffset + LOCAL_HEADER_BYTES, localNameLength);
        if (!Arrays.equals(localName.array(), rawName)) {
            throw malformed("the entry '" + name + "': its local header names a different file");
        }
        return dataOffset;
    }

    /** Reads exactly {@code length} bytes; the caller bounds {@code length}. */
    static ByteBuffer readAt(FileChannel file, long offset, int length) throws IOException, BundleRejectedException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (file.read(b, offset + b.position()) < 0) {
                throw truncated("the file ends at offset " + (offset + b.position())
                        + " inside a record that needs " + length + " bytes from offset " + offset);
            }
        }
        return b.flip();
    }

    private static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }

    private static String hex(byte[] raw) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(raw.length, 32); i++) s.append(String.format("%02x", raw[i]));
        return s.toString();
    }

    static BundleRejectedException malformed(String detail) {
        return new BundleRejectedException(Reason.MALFORMED_ARCHIVE, detail);
    }

    private static BundleRejectedException truncated(String detail) {
        return new BundleRejectedException(Reason.TRUNCATED, detail
                + ": the file is truncated or is not a pirt bundle; copy or build it again");
    }
}
