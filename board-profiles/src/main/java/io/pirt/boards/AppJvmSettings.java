package io.pirt.boards;

import java.util.List;
import java.util.Objects;

/**
 * What a board's profile asks of the application's JVM: the garbage collector it prefers and
 * the fixed heap (docs/board-profiles.md, {@code jvm}). The runtime turns this into flags,
 * falling back where the JVM cannot do what is asked (no ZGC on a 32-bit JVM). Immutable.
 *
 * @param collector one of {@link #COLLECTORS}
 * @param heapMb    the heap in MiB, both its start and its maximum; {@value #MIN_HEAP_MB}..{@value #MAX_HEAP_MB}
 */
public record AppJvmSettings(String collector, int heapMb) {
    /** The collectors a profile may name, as written in the file. */
    public static final List<String> COLLECTORS = List.of("zgc", "g1", "serial");
    /** The collector when the profile does not say: the shortest pauses on a 64-bit JVM (docs/realtime.md). */
    public static final String DEFAULT_COLLECTOR = "zgc";
    /** The heap when the profile does not say. */
    public static final int DEFAULT_HEAP_MB = 256;
    static final int MIN_HEAP_MB = 16;
    static final int MAX_HEAP_MB = 65_536;

    public AppJvmSettings {
        Objects.requireNonNull(collector, "collector");
        if (!COLLECTORS.contains(collector)) throw new IllegalArgumentException("collector " + collector + " is not one of " + COLLECTORS);
        if (heapMb < MIN_HEAP_MB || heapMb > MAX_HEAP_MB) throw new IllegalArgumentException("heap " + heapMb + " MiB is outside " + MIN_HEAP_MB + ".." + MAX_HEAP_MB);
    }
}
