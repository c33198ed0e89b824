package io.pirt.boardtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * One of the test process's standard streams while tests run: every byte goes on to the
 * stream it replaces (so the console shows it, as {@code [app]} or {@code [app!]}), and each
 * complete line is also handed to {@code lines} — the runner turns it into a
 * {@code test-output} event of the tests running now, so what a test printed reaches the tool
 * with its events, in order, even when the test then hangs and is killed. A partial line is
 * handed on by {@link #flushLine()} (at a test's end). Thread-safe: writes are serialized, as a
 * {@link java.io.PrintStream}'s are.
 */
final class TestOutput extends OutputStream {
    private final OutputStream through;
    private final BiConsumer<TestOutput, String> lines;
    /** The bytes of the line being written; guarded by this. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    /** @param lines receives this stream and one line with its {@code \n} (none after a partial line) */
    TestOutput(OutputStream through, BiConsumer<TestOutput, String> lines) {
        this.through = through;
        this.lines = lines;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        through.write(b);
        line.write(b);
        if (b == '\n') handOn();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        through.write(b, off, len);
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                line.write(b, start, i + 1 - start);
                handOn();
                start = i + 1;
            }
        }
        line.write(b, start, off + len - start);
    }

    @Override
    public synchronized void flush() throws IOException {
        through.flush();
    }

    /** Hands on what was written since the last line end, if anything. */
    synchronized void flushLine() {
        if (line.size() > 0) handOn();
    }

    private void handOn() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        lines.accept(this, text);
    }
}
