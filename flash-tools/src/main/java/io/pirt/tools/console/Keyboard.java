package io.pirt.tools.console;

import java.io.IOException;

/**
 * Where {@code pirt console} gets the lines a person types, and where it shows the board's
 * output so that it does not break the line being typed. On a terminal: {@link TerminalKeyboard}
 * (raw mode: local line editing and history, Ctrl-] leaves at once); otherwise (a pipe, a
 * test): {@link StreamKeyboard}, line by line, where a Ctrl-] byte also leaves at once.
 * Closing it gives the terminal back as it was.
 */
interface Keyboard extends AutoCloseable {
    /** Ctrl-]: telnet's and picocom-like tools' way out. */
    int LEAVE = 0x1d;

    /**
     * Waits for the next line typed, without its line end.
     *
     * @return the line, or null when the person left (Ctrl-], Ctrl-D, end of input)
     * @throws IOException if the input fails
     */
    String readLine() throws IOException;

    /** Shows one line of the board's output (from any thread), above the line being typed. */
    void show(String line);

    @Override
    void close() throws IOException;
}
