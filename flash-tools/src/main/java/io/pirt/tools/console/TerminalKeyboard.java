package io.pirt.tools.console;

import java.io.IOException;
import java.nio.file.Path;
import org.jline.keymap.KeyMap;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Lines from a terminal through JLine: the terminal in raw mode while a line is read, with
 * local line editing (arrows, Home/End, Ctrl-A/E/K/U/W) and a history (up/down, Ctrl-R),
 * kept in {@code ~/.pirt/console_history}; Ctrl-] leaves at once, Ctrl-D on an empty line
 * too, Ctrl-C drops the line. The board's output is printed above the line being typed,
 * which is redrawn below it. {@link #show} may be called from any thread.
 */
final class TerminalKeyboard implements Keyboard {
    private static final String LEAVE_WIDGET = "pirt-leave";
    static final String PROMPT = "> ";

    private final Terminal terminal;
    private final LineReader reader;
    /** Set by the Ctrl-] widget, on the reading thread. */
    private boolean leaving;

    /**
     * @param history where the history is kept, or null for none
     */
    TerminalKeyboard(Terminal terminal, Path history) {
        this.terminal = terminal;
        LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).appName("pirt console");
        if (history != null) b.variable(LineReader.HISTORY_FILE, history);
        this.reader = b.build();
        reader.getWidgets().put(LEAVE_WIDGET, () -> {
            leaving = true;
            reader.getBuffer().clear();
            reader.callWidget(LineReader.ACCEPT_LINE); // readLine returns now; the flag says it was Ctrl-]
            return true;
        });
        reader.getKeyMaps().get(LineReader.MAIN).bind(new Reference(LEAVE_WIDGET), KeyMap.ctrl(']'));
    }

    /**
     * The process's own terminal.
     *
     * @throws IOException if it cannot be opened
     */
    static TerminalKeyboard system() throws IOException {
        Path history = Path.of(System.getProperty("user.home"), ".pirt", "console_history");
        return new TerminalKeyboard(TerminalBuilder.builder().system(true).name("pirt console").build(), history);
    }

    @Override
    public String readLine() throws IOException {
        while (true) {
            try {
                String line = reader.readLine(PROMPT);
                return leaving ? null : line;
            } catch (UserInterruptException e) {
                // Ctrl-C: the line typed so far is dropped, as in a shell
            } catch (EndOfFileException e) {
                return null; // Ctrl-D on an empty line
            }
        }
    }

    @Override
    public void show(String line) {
        reader.printAbove(line);
        terminal.flush(); // between two lines read, printAbove only writes
    }

    @Override
    public void close() throws IOException {
        try {
            reader.getHistory().save();
        } finally {
            terminal.close();
        }
    }
}
