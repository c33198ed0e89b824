package io.pirt.runtime;

import io.pirt.boards.AppJvmSettings;
import java.util.List;
import java.util.Objects;

/**
 * The flags the application's JVM is started with, and why those: from the board profile's
 * {@code jvm} section and the JVM this runtime runs on (the application runs on the same
 * {@code java}). Shown by {@code info}; docs/board-profiles.md, "Application JVM".
 *
 * @param flags the JVM flags, in order
 * @param why   how they were chosen, for a person
 */
public record AppJvm(List<String> flags, String why) {
    public AppJvm {
        flags = List.copyOf(flags);
        Objects.requireNonNull(why, "why");
    }

    /**
     * The flags for {@code settings} on a JVM whose {@code sun.arch.data.model} is {@code dataModel}
     * and {@code os.arch} is {@code arch}: the profile's collector where this JVM has it, else the
     * serial collector (a 32-bit JVM has no ZGC); always a fixed heap touched at start, so no
     * page fault of the heap's first use lands in a real-time thread.
     */
    public static AppJvm choose(AppJvmSettings settings, String profileId, String dataModel, String arch) {
        boolean bits32 = "32".equals(dataModel);
        String collector = settings.collector();
        String fallback = "";
        if (collector.equals("zgc") && bits32) {
            collector = "serial";
            fallback = ", serial instead of the profile's ZGC: this is a 32-bit JVM (" + arch + "), which has no ZGC";
        }
        String flag = switch (collector) {
            case "zgc" -> "-XX:+UseZGC";
            case "g1" -> "-XX:+UseG1GC";
            case "serial" -> "-XX:+UseSerialGC";
            default -> throw new IllegalArgumentException("collector " + collector);
        };
        String heap = settings.heapMb() + "m";
        return new AppJvm(List.of(flag, "-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch"),
                "board profile " + profileId + " on a " + (bits32 ? "32" : "64") + "-bit JVM (" + arch + ")" + fallback);
    }

    /** The flags for the profile on the JVM this runtime runs on. */
    public static AppJvm forThisJvm(AppJvmSettings settings, String profileId) {
        return choose(settings, profileId, System.getProperty("sun.arch.data.model", "64"), System.getProperty("os.arch", "unknown"));
    }

    /** Flags given on the command line, which replace the profile's. */
    public static AppJvm given(List<String> flags) {
        return new AppJvm(flags, "given with --app-jvm-flag");
    }
}
