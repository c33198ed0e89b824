package io.pirt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel says the calling thread runs at, from {@code /proc/thread-self}: its
 * policy, real-time priority and allowed CPUs, as {@code policy=FIFO rtprio=40 cpus=0-1}.
 * It checks that pirt's priority reached the kernel rather than trusting that it did.
 */
final class OwnScheduling {
    private static final String[] POLICIES = {"OTHER", "FIFO", "RR", "BATCH", "ISO", "IDLE", "DEADLINE"};

    private OwnScheduling() {
    }

    /** The calling thread's policy, priority and CPUs; "?" for what cannot be read (not Linux). */
    static String describe() {
        String policy = "?", rtprio = "?", cpus = "?";
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: field 3 (state) first.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
            rtprio = f[40 - 3];
            int p = Integer.parseInt(f[41 - 3]);
            policy = p >= 0 && p < POLICIES.length ? POLICIES[p] : "policy" + p;
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) cpus = line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a kernel with another layout: say "?" rather than guess
        }
        return "policy=" + policy + " rtprio=" + rtprio + " cpus=" + cpus;
    }
}
