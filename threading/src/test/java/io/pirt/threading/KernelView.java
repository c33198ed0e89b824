package io.pirt.threading;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test support: a thread's scheduling as the kernel reports it in
 * {@code /proc/self/task/TID/stat} (proc(5): field 19 nice, 40 rt_priority, 41 policy).
 */
record KernelView(int policy, int rtPriority, int nice) {
    static final int SCHED_OTHER = 0, SCHED_FIFO = 1;

    static KernelView of(int tid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        } catch (IOException e) {
            throw new UncheckedIOException("thread " + tid + " has no /proc entry", e);
        }
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return new KernelView(Integer.parseInt(f[41 - 3]), Integer.parseInt(f[40 - 3]), Integer.parseInt(f[19 - 3]));
    }

    static KernelView of(Thread t) {
        return of(t.getIdent());
    }
}
