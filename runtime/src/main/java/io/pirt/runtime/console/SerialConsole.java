package io.pirt.runtime.console;

import io.pirt.runtime.log.ConsoleLog;
import io.pirt.threading.Event;
import io.pirt.threading.Thread;
import io.pirt.threading.ThreadInterruptedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The runtime's console on the board's console device: a person's shell with line editing,
 * and the console log streamed above the line being typed.
 *
 * <p>The device may come and go (USB cable replugged, terminal closed on the host): the
 * console never stops the runtime for that. When reading fails it closes the device, says
 * so in the log, and opens it again — at once, then backing off to every 2 s while it is
 * missing. Lines logged while no device is open are in the ring file for {@code log}.
 */
public final class SerialConsole implements AutoCloseable {
    private static final long MAX_REOPEN_DELAY_MS = 2_000;

    private final ConsolePort.Opener opener;
    private final String deviceName;
    private final ConsoleLog log;
    private final ShellCommands commands;
    private final LineEditor editor = new LineEditor();
    /** The open port, or null. Writes to it, and the editor, are guarded by `this`. */
    private volatile ConsolePort port;
    private volatile boolean closed;
    /** Set when close() is called, to cut the reopen back-off short. */
    private final Event closing = new Event();
    private Thread reader, writer;

    public SerialConsole(ConsolePort.Opener opener, String deviceName, ConsoleLog log, ShellCommands commands) {
        this.opener = opener;
        this.deviceName = deviceName;
        this.log = log;
        this.commands = commands;
    }

    /** Starts the reader and writer threads. */
    public void start() {
        reader = new Thread(this::readLoop, "console-reader");
        writer = new Thread(this::writeLoop, "console-writer");
        reader.start(Thread.PRIO_HIGH);
        writer.start(Thread.PRIO_HIGH);
    }

    private void readLoop() {
        long delayMs = 0;
        while (!closed) {
            ConsolePort p;
            try {
                p = opener.open();
            } catch (IOException e) {
                if (delayMs == 0) log.runtime("console " + deviceName + " cannot be opened (" + e.getMessage() + "); retrying");
                delayMs = Math.min(MAX_REOPEN_DELAY_MS, Math.max(100, delayMs * 2));
                if (closing.await(delayMs)) return; // a back-off timer, cut short by close()
                continue;
            }
            if (delayMs > 0) log.runtime("console " + deviceName + " is back");
            delayMs = 0;
            port = p;
            greet();
            String lost = serve(p);
            port = null;
            closeQuietly(p);
            if (!closed) log.runtime("console " + deviceName + " lost (" + lost + "); reopening");
        }
    }

    private void greet() {
        write(() -> {
            StringBuilder out = new StringBuilder("\r\npirt console: type help\r\n");
            editor.redraw(out);
            return out;
        });
    }

    /** Reads and handles input until the port fails; returns why it stopped. */
    private String serve(ConsolePort p) {
        InputStream in = p.in();
        byte[] buf = new byte[256];
        try {
            while (!closed) {
                int n = in.read(buf);
                if (n < 0) return "end of input";
                for (int i = 0; i < n; i++) {
                    int b = buf[i] & 0xff;
                    String[] typed = new String[1];
                    write(() -> {
                        StringBuilder echo = new StringBuilder();
                        editor.type(b, echo, line -> typed[0] = line);
                        return echo;
                    });
                    if (typed[0] != null) runCommand(typed[0]);
                }
            }
            return "closed";
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } catch (ThreadInterruptedException e) {
            return "interrupted";
        }
    }

    /**
     * Runs a typed command, without the console's lock (a command may wait seconds for the
     * application, and log lines keep flowing meanwhile), then shows its output and a new prompt.
     */
    private void runCommand(String line) {
        String output = commands.execute(line);
        write(() -> {
            StringBuilder out = new StringBuilder();
            if (!output.isEmpty()) out.append(output.replace("\n", "\r\n")).append("\r\n");
            editor.redraw(out);
            return out;
        });
    }

    private void writeLoop() {
        try {
            while (!closed) {
                String line = log.takeForConsole(500);
                if (line == null) continue;
                write(() -> {
                    StringBuilder out = new StringBuilder();
                    editor.printAbove(line, out);
                    return out;
                });
            }
        } catch (InterruptedException e) {
            if (!closed) log.runtime("console writer interrupted");
        }
    }

    /** Builds output under the console's lock and writes it to the port, if one is open. */
    private void write(java.util.function.Supplier<StringBuilder> build) {
        synchronized (this) {
            StringBuilder text = build.get();
            ConsolePort p = port;
            if (p == null || text.isEmpty()) return;
            try {
                OutputStream out = p.out();
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                // The reader sees the same failure and reopens the device; nothing else to do here.
                closeQuietly(p);
            }
        }
    }

    private void closeQuietly(ConsolePort p) {
        try {
            p.close();
        } catch (IOException e) {
            log.runtime("closing console " + deviceName + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        closing.set();
        ConsolePort p = port;
        if (p != null) closeQuietly(p);
        if (reader != null) {
            reader.interrupt();
            reader.join(2_000);
        }
        if (writer != null) writer.join(2_000);
    }
}
