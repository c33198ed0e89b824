package io.pirt.threading;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Sleeping until an absolute time of {@code CLOCK_MONOTONIC}, the clock of
 * {@link System#nanoTime()} on Linux: {@code clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)},
 * as cyclictest sleeps. Through JNA's direct mapping with a {@code struct timespec} in native
 * memory of its own, so a sleep allocates nothing on the Java heap.
 *
 * <p>One instance per schedule, used by one thread at a time (the timespec is its state).
 */
final class MonotonicSleep {
    private static final int CLOCK_MONOTONIC = 1;
    private static final int TIMER_ABSTIME = 1;
    private static final int EINTR = 4;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Why the C library's clock_nanosleep cannot be used, or null if it can. Set once. */
    private static final String UNAVAILABLE;

    static {
        String why = null;
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            why = "not Linux (" + System.getProperty("os.name") + ")";
        } else {
            try {
                Native.register(MonotonicSleep.class, NativeLibrary.getInstance("c"));
            } catch (LinkageError e) {
                why = "JNA cannot bind clock_nanosleep: " + e;
            }
        }
        UNAVAILABLE = why;
    }

    /** {@code struct timespec {long tv_sec; long tv_nsec;}} on a 64-bit ABI: 16 bytes. */
    private final Memory timespec = new Memory(16);

    /**
     * Why this process cannot sleep to an absolute monotonic time, or null if it can: not
     * Linux, no C library for JNA, or a 32-bit C library (its {@code struct timespec} layout
     * depends on how it was built, so this class does not write one).
     */
    static String reasonNotUsable() {
        if (UNAVAILABLE != null) return UNAVAILABLE;
        if (Native.LONG_SIZE != 8) return "a 32-bit C library (its struct timespec layout is not handled)";
        return null;
    }

    /**
     * Sleeps until {@link System#nanoTime()} reaches {@code deadlineNanos}, or returns early
     * when a signal interrupts the sleep (the caller looks at the clock and decides).
     *
     * @return 0, or {@code EINTR} when a signal cut the sleep short
     * @throws IllegalStateException on any other error of the system call (errno named)
     */
    int sleepUntil(long deadlineNanos) {
        timespec.setLong(0, Math.floorDiv(deadlineNanos, NANOS_PER_SECOND));
        timespec.setLong(8, Math.floorMod(deadlineNanos, NANOS_PER_SECOND));
        int error = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, timespec, Pointer.NULL);
        if (error != 0 && error != EINTR) {
            throw new IllegalStateException("clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) failed with errno " + error);
        }
        return error;
    }

    /** Returns the error number itself (0 on success), not -1 and errno: clock_nanosleep's convention. */
    private static native int clock_nanosleep(int clockId, int flags, Pointer request, Pointer remain);
}
