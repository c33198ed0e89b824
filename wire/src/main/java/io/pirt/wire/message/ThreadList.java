package io.pirt.wire.message;

import java.util.List;

/**
 * The answer to {@code ps}: the application's threads.
 *
 * @param threads in the order the application lists them
 */
public record ThreadList(List<ThreadRow> threads) {
    public ThreadList {
        threads = List.copyOf(threads);
    }

    /**
     * One thread.
     *
     * @param ident     the Linux thread id, or -1 before the thread runs
     * @param priority  its pirt priority (1..7)
     * @param effective its priority with what it inherits
     * @param state     its state (RUNNING, WAITING, ...)
     * @param periodic  the figures of the periodic schedule it waits on, or null if it has none
     *                  (and from applications whose pirt libraries are older than these figures)
     */
    public record ThreadRow(String name, long ident, int priority, int effective, String state, Periodic periodic) {
        public ThreadRow {
            Required.of("ThreadRow", "name", name, "state", state);
        }

        /** A thread without a periodic schedule. */
        public ThreadRow(String name, long ident, int priority, int effective, String state) {
            this(name, ident, priority, effective, state, null);
        }
    }

    /**
     * What a thread's periodic schedule measured since it began or since {@code latency reset}
     * (io.pirt.threading.Periodic).
     *
     * @param periodMicros     its period
     * @param wakeUps          wake-ups counted
     * @param p99LatenessNanos 99% of the wake-ups were at most this late, two significant digits
     * @param maxLatenessNanos the latest wake-up, two significant digits
     * @param overruns         deadlines already passed when the thread came to wait for them
     */
    public record Periodic(long periodMicros, long wakeUps, long p99LatenessNanos, long maxLatenessNanos, long overruns) {
    }
}
