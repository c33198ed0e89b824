package io.pirt.bundle;

/**
 * One entry as the central directory describes it, after {@link ZipDirectory} checked it.
 *
 * @param dataOffset        where the entry's compressed bytes start in the file
 * @param compressedBytes   how many bytes follow there; {@code dataOffset + compressedBytes <= } the central directory's start
 * @param uncompressedBytes the declared size; not yet proven, {@link EntryStream} enforces it
 * @param method            0 stored, 8 deflated
 */
record ZipEntryRecord(String name, int method, long dataOffset, long compressedBytes, long uncompressedBytes) {
    static final int STORED = 0;
    static final int DEFLATED = 8;
}
