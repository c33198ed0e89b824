package io.pirt.tools.client;

import io.pirt.wire.ConsoleSource;

/**
 * Receives the board's console output, one line at a time, without its line end. Lines
 * printed while no tool was attached arrive as {@link ConsoleSource#UNTAGGED}. Called on
 * the link's reader thread: return quickly.
 */
@FunctionalInterface
public interface ConsoleListener {
    void onLine(ConsoleSource source, String line);
}
