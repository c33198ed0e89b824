package io.pirt.tools.client;

import io.pirt.wire.ConsoleSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Joins console bytes into lines per source: a line may arrive split over frames, and the
 * sources interleave. Not thread-safe: the link's reader thread feeds it, and
 * {@link #flush} runs after that thread has stopped.
 */
final class ConsoleLines {
    /** A line longer than this is handed on in pieces, so a board printing no newline cannot grow it without bound. */
    static final int MAX_LINE_BYTES = 8192;

    private final ConsoleListener listener;
    /** Partial line per source, indexed by ConsoleSource.ordinal(). */
    private final ByteArrayOutputStream[] partial = new ByteArrayOutputStream[ConsoleSource.values().length];

    ConsoleLines(ConsoleListener listener) {
        this.listener = listener;
        for (int i = 0; i < partial.length; i++) partial[i] = new ByteArrayOutputStream();
    }

    void accept(ConsoleSource source, byte[] bytes, int offset, int length) {
        ByteArrayOutputStream line = partial[source.ordinal()];
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                emit(source, line);
            } else {
                line.write(b);
                if (line.size() >= MAX_LINE_BYTES) emit(source, line);
            }
        }
    }

    /** Hands on what is left without a line end. */
    void flush() {
        for (ConsoleSource s : ConsoleSource.values()) {
            if (partial[s.ordinal()].size() > 0) emit(s, partial[s.ordinal()]);
        }
    }

    private void emit(ConsoleSource source, ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
        listener.onLine(source, text);
    }
}
