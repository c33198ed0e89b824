package io.pirt.wire.message;

import java.util.List;

/**
 * The answer to {@code libs-have}: which of the asked-for libraries the board's library cache
 * holds (docs/testing.md, "The library cache"), and how full the cache is. A library listed
 * here may be referenced by SHA-256 in a bundle of format 2 instead of being carried; the
 * others are sent first as transfers named {@code lib-SHA256.jar}.
 *
 * @param have          the SHA-256s asked for that the cache holds, in the order asked
 * @param capacityBytes the cache's bound; least recently used libraries are evicted beyond it
 * @param usedBytes     what the cached libraries take now
 */
public record CachedLibraries(List<String> have, long capacityBytes, long usedBytes) {
    /** The transfer name of a library for the cache: {@code lib-SHA256.jar}. */
    public static String transferName(String sha256Hex) {
        return "lib-" + sha256Hex + ".jar";
    }

    public CachedLibraries {
        have = List.copyOf(have);
    }
}
