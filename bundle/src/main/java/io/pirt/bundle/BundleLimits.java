package io.pirt.bundle;

/**
 * The sizes a bundle may have (docs/bundle.md, section 6). Declared sizes are only
 * compared with these; no buffer is ever sized by them.
 */
record BundleLimits(long maxFileBytes, int maxEntries, int maxNameBytes, long maxEntryBytes,
                    long maxTotalBytes, int maxMetadataBytes, int maxCentralDirectoryBytes,
                    int maxRatio, long ratioFloorBytes) {
    static final BundleLimits DEFAULT = new BundleLimits(
            64L << 20, 256, 255, 64L << 20, 128L << 20, 64 << 10, 1 << 20, 100, 64 << 10);

    static String mib(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB"
                : bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }
}
