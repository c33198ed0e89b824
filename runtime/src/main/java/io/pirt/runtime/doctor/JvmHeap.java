package io.pirt.runtime.doctor;

import java.util.List;
import java.util.OptionalLong;

/** The maximum heap a list of JVM flags gives: the last {@code -Xmx} or {@code -XX:MaxHeapSize=}. Stateless. */
public final class JvmHeap {
    private JvmHeap() {
    }

    /**
     * The heap bound in bytes; empty when the flags leave it to the JVM (a quarter of the memory).
     *
     * @throws IllegalArgumentException for a size that is not a number with an optional k, m, g or t
     */
    public static OptionalLong maxHeapBytes(List<String> jvmFlags) {
        OptionalLong bytes = OptionalLong.empty();
        for (String flag : jvmFlags) {
            if (flag.startsWith("-Xmx")) bytes = OptionalLong.of(size(flag.substring(4), flag));
            else if (flag.startsWith("-XX:MaxHeapSize=")) bytes = OptionalLong.of(size(flag.substring(16), flag));
        }
        return bytes;
    }

    private static long size(String value, String flag) {
        String v = value.toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
        switch (last) {
            case 'k' -> unit = 1L << 10;
            case 'm' -> unit = 1L << 20;
            case 'g' -> unit = 1L << 30;
            case 't' -> unit = 1L << 40;
            default -> { }
        }
        String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
        if (!digits.matches("\\d{1,15}")) throw new IllegalArgumentException("JVM flag " + flag + " is not a heap size");
        return Long.parseLong(digits) * unit;
    }
}
