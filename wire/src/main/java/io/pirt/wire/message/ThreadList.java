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
     */
    public record ThreadRow(String name, long ident, int priority, int effective, String state) {
        public ThreadRow {
            Required.of("ThreadRow", "name", name, "state", state);
        }
    }
}
