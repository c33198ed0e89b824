package io.pirt.tools.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Lines from a plain byte stream (standard input that is not a terminal: a pipe, a test),
 * read byte by byte so that a Ctrl-] ends the session the moment it arrives, even in the
 * middle of a line, whose bytes are then dropped; Ctrl-D (0x04) and the end of input end it
 * too. The board's output goes to {@code out} as it comes. Not thread-safe for reading; one
 * thread reads.
 */
final class StreamKeyboard implements Keyboard {
    private static final int END_OF_TRANSMISSION = 0x04;

    private final InputStream in;
    private final PrintWriter out;
    /** The line being read; the reading thread only. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean ended;

    StreamKeyboard(InputStream in, PrintWriter out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public String readLine() throws IOException {
        if (ended) return null;
        line.reset();
        while (true) {
            int b = in.read();
            if (b == LEAVE || b == END_OF_TRANSMISSION) {
                ended = true;
                return null;
            }
            if (b < 0) {
                ended = true;
                return line.size() > 0 ? text() : null;
            }
            if (b == '\n') return text();
            line.write(b);
        }
    }

    private String text() {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void show(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    @Override
    public void close() {
        // standard input belongs to the process; nothing of it is this keyboard's to close
    }
}
