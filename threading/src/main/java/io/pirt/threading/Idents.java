package io.pirt.threading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The operating system's id of the calling thread: the Linux thread id, read from the
 * {@code /proc/thread-self} link ("PID/task/TID"), or the JVM's thread id where there is
 * no such link (not Linux).
 */
final class Idents {
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    private static final boolean LINUX_TIDS = Files.isSymbolicLink(THREAD_SELF);

    private Idents() {
    }

    static int currentThreadIdent() {
        if (LINUX_TIDS) {
            try {
                String link = Files.readSymbolicLink(THREAD_SELF).toString();
                return Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
            } catch (IOException | NumberFormatException e) {
                throw new IllegalStateException("cannot read this thread's Linux id from " + THREAD_SELF, e);
            }
        }
        return (int) java.lang.Thread.currentThread().threadId();
    }
}
