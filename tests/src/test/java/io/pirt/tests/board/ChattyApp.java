package io.pirt.tests.board;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The application of {@link GadgetWithNoHostTest}: prints a numbered line of about 100 bytes
 * every millisecond (far more than a stalled console takes), and after {@value #LINES} lines
 * fails on purpose, so the runtime restarts it. Each start prints its pid first.
 */
public final class ChattyApp {
    static final int LINES = 3_000;

    private ChattyApp() {
    }

    public static void main(String[] args) {
        long pid = ProcessHandle.current().pid();
        System.out.println("chatty start pid " + pid);
        String padding = "x".repeat(64);
        for (int i = 0; i < LINES; i++) {
            System.out.println("chatty " + pid + " line " + i + " " + padding);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        throw new IllegalStateException("chatty " + pid + " fails on purpose after " + LINES + " lines");
    }
}
