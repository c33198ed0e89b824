package io.pirt.runtime.console;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Line editing for a person at a serial terminal (picocom, screen): typed characters are
 * echoed, Backspace/Delete erase, Ctrl-U clears the line, Ctrl-C abandons it, the up and
 * down arrows walk the history, Enter hands the line on. Output printed while a line is
 * being typed is written above it and the line is redrawn. While a command handed on has not
 * been answered, no prompt is shown, so its answer never lands after a prompt that output
 * printed meanwhile redrew. Not thread-safe: the console calls it from its reader and, under
 * its own lock, from its writer.
 */
final class LineEditor {
    static final String PROMPT = "pirt> ";
    private static final int MAX_LINE = 512;
    private static final int HISTORY = 50;

    private final StringBuilder line = new StringBuilder();
    private final List<String> history = new ArrayList<>();
    /** Position while walking the history; history.size() when not walking. */
    private int historyIndex;
    /** 0: plain; 1: after ESC; 2: after ESC [. */
    private int escape;
    private boolean lastWasCr;
    /** Lines handed on with Enter and not yet {@link #answer answered}; the prompt shows only at 0. */
    private int unanswered;
    /** Whether the terminal's current line shows something (prompt or typed text) since the last line end. */
    private boolean lineDrawn;

    /**
     * Takes one typed byte; appends what the terminal must show to {@code echo} and passes
     * each completed line to {@code onLine}.
     */
    void type(int b, StringBuilder echo, Consumer<String> onLine) {
        if (escape == 1) {
            escape = b == '[' ? 2 : 0;
            return;
        }
        if (escape == 2) {
            escape = 0;
            if (b == 'A') recall(-1, echo);
            else if (b == 'B') recall(+1, echo);
            return;
        }
        boolean cr = lastWasCr;
        lastWasCr = b == '\r';
        switch (b) {
            case 0x1b -> escape = 1;
            case '\r', '\n' -> {
                if (b == '\n' && cr) return; // CR LF is one Enter
                echo.append("\r\n");
                lineDrawn = false;
                unanswered++;
                String done = line.toString().trim();
                line.setLength(0);
                if (!done.isEmpty() && (history.isEmpty() || !history.get(history.size() - 1).equals(done))) {
                    if (history.size() == HISTORY) history.remove(0);
                    history.add(done);
                }
                historyIndex = history.size();
                onLine.accept(done);
            }
            case 0x7f, 0x08 -> {
                if (line.length() > 0) {
                    line.setLength(line.length() - 1);
                    echo.append("\b \b");
                }
            }
            case 0x15 -> {
                line.setLength(0);
                redraw(echo);
            }
            case 0x03 -> {
                line.setLength(0);
                echo.append("^C\r\n");
                if (unanswered == 0) echo.append(PROMPT);
                lineDrawn = unanswered == 0;
            }
            default -> {
                if (b >= 0x20 && b < 0x7f && line.length() < MAX_LINE) {
                    line.append((char) b);
                    echo.append((char) b);
                    lineDrawn = true;
                }
            }
        }
    }

    private void recall(int step, StringBuilder echo) {
        int i = historyIndex + step;
        if (i < 0 || i > history.size()) return;
        historyIndex = i;
        line.setLength(0);
        if (i < history.size()) line.append(history.get(i));
        redraw(echo);
    }

    /** Forgets the line being typed without handing it on, and shows the prompt again if it was not empty. */
    void discardLine(StringBuilder out) {
        escape = 0;
        lastWasCr = false;
        if (line.length() == 0) return;
        line.setLength(0);
        redraw(out);
    }

    /** Erases the current terminal line and shows prompt (unless a command is unanswered) and line again. */
    void redraw(StringBuilder out) {
        out.append("\r\033[K");
        if (unanswered == 0) out.append(PROMPT);
        out.append(line);
        lineDrawn = unanswered == 0 || line.length() > 0;
    }

    /** Writes {@code text} (one or more lines) above the line being typed, then redraws it. */
    void printAbove(String text, StringBuilder out) {
        out.append("\r\033[K").append(text.replace("\n", "\r\n")).append("\r\n");
        redraw(out);
    }

    /**
     * Writes the answer to the oldest unanswered line ({@code output}: lines, or empty) on lines
     * of its own, then redraws the prompt and what is being typed.
     */
    void answer(String output, StringBuilder out) {
        if (lineDrawn) out.append("\r\033[K");
        if (!output.isEmpty()) out.append(output.replace("\n", "\r\n")).append("\r\n");
        if (unanswered > 0) unanswered--;
        redraw(out);
    }
}
