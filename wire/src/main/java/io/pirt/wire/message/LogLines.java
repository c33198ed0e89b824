package io.pirt.wire.message;

import java.util.List;

/** The answer to {@code logs}: the last console lines, oldest first, each marked with its source ({@code [app]}, {@code [pirt]}). */
public record LogLines(List<String> lines) {
    public LogLines {
        lines = List.copyOf(lines);
    }
}
