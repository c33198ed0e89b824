package io.pirt.virtualboard;

/**
 * Byte faults a {@link VirtualCable} injects, in both directions: each byte is dropped,
 * flipped (one random bit) or duplicated with the given probability; after
 * {@code cutAfterBytes} bytes have crossed (counting both directions) the line is cut, as if
 * the cable were pulled, until {@link VirtualCable#reconnect()}. Reproducible from
 * {@code seed}. Immutable.
 */
public record CableFaults(double dropRate, double flipRate, double duplicateRate, long cutAfterBytes, long seed) {
    /** No faults. */
    public static final CableFaults NONE = new CableFaults(0, 0, 0, Long.MAX_VALUE, 1);

    public CableFaults {
        for (double r : new double[] {dropRate, flipRate, duplicateRate}) {
            if (r < 0 || r > 1) throw new IllegalArgumentException("a fault rate is a probability in 0..1, not " + r);
        }
        if (cutAfterBytes < 0) throw new IllegalArgumentException("cutAfterBytes is negative");
    }

    /** Only a cut after {@code bytes} bytes. */
    public static CableFaults cutAfter(long bytes) {
        return new CableFaults(0, 0, 0, bytes, 1);
    }

    /** Random byte faults at the given rates, no cut. */
    public static CableFaults noise(double dropRate, double flipRate, double duplicateRate, long seed) {
        return new CableFaults(dropRate, flipRate, duplicateRate, Long.MAX_VALUE, seed);
    }
}
