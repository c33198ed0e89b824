package io.pirt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The page faults the calling thread has taken so far, from {@code /proc/thread-self/stat}
 * (minor: the page was in memory, major: it had to be read in). A fault in a real-time
 * thread takes the process's memory-map lock, which a lower-priority thread of the same
 * process may hold (the JVM maps and unmaps memory all the time) and which has no priority
 * inheritance, so faults during the measurement point at that kind of stall.
 */
record ThreadPageFaults(long minor, long major) {
    /** The calling thread's counts, or -1, -1 where they cannot be read (not Linux). */
    static ThreadPageFaults ofCallingThread() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            // Fields after the command name (in parentheses, may hold spaces): field 3 (state) first.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
            return new ThreadPageFaults(Long.parseLong(f[10 - 3]), Long.parseLong(f[12 - 3]));
        } catch (IOException | RuntimeException e) {
            return new ThreadPageFaults(-1, -1); // not Linux, or another layout: unknown rather than a guess
        }
    }

    /** The faults taken between {@code earlier} and this reading (-1, -1 if either is unknown). */
    ThreadPageFaults since(ThreadPageFaults earlier) {
        if (minor < 0 || earlier.minor < 0) return new ThreadPageFaults(-1, -1);
        return new ThreadPageFaults(minor - earlier.minor, major - earlier.major);
    }
}
