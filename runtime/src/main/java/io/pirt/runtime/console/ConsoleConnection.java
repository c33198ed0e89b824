package io.pirt.runtime.console;

import io.pirt.runtime.endpoint.ConsoleInput;
import io.pirt.runtime.endpoint.ProtocolEndpoint;
import io.pirt.wire.ConsoleSource;
import io.pirt.threading.Event;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.charset.StandardCharsets;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * One port the console serves while it is open: the serial device, or one connection to
 * the wire socket. Each has its own {@link ProtocolEndpoint} (so its own sessions, proofs
 * and transfers) and its own line editor (a person typing on one port never sees another's
 * half-typed line). Thread-safe: output is built and written under this object's lock.
 */
final class ConsoleConnection {
    /** What the console calls this port in its log: the device, or {@code wire socket connection N}. */
    final String name;
    /** Line editing state; guarded by this, as is writing to the endpoint. */
    private final LineEditor editor = new LineEditor();
    /** Set once by {@link #attach}; read by any thread. */
    private volatile ProtocolEndpoint endpoint;
    /** Console lines the port refused (tool too slow, port failing); said before the next line. Guarded by this. */
    private long undelivered;
    /**
     * Whether a line waits {@code outputWaitMs} for room even after an earlier one timed out. The
     * serial port keeps today's behaviour (every line waits); a socket connection that fell behind
     * waits for nothing until it takes a line again, so one stalled client never slows the others.
     */
    private final boolean alwaysWait;
    private final long outputWaitMs;
    /** Raised when the port fails, its link ends by itself, or the console closes; whoever serves the port then closes it. */
    final Event ended = new Event();
    /** Why the port ended: the first reason given wins. */
    final AtomicReference<String> why = new AtomicReference<>();

    ConsoleConnection(String name, long outputWaitMs, boolean alwaysWait) {
        this.name = name;
        this.outputWaitMs = outputWaitMs;
        this.alwaysWait = alwaysWait;
    }

    /**
     * The shell input of this port's endpoint: edits and echoes typed bytes; completed lines go
     * to {@code onLine}, which says whether it took them (a line it refused is answered busy).
     */
    ConsoleInput shellInput(BiPredicate<ConsoleConnection, String> onLine) {
        return new ConsoleInput() {
            @Override
            public void accept(byte[] bytes, int offset, int length) {
                for (int i = offset; i < offset + length; i++) {
                    int b = bytes[i] & 0xff;
                    print(ConsoleSource.SHELL, editor -> {
                        StringBuilder echo = new StringBuilder();
                        editor.type(b, echo, line -> {
                            if (!onLine.test(ConsoleConnection.this, line)) editor.answer("error: busy, '" + line + "' ignored", echo);
                        });
                        return echo;
                    });
                }
            }

            @Override
            public void toolAttached() {
                print(ConsoleSource.SHELL, editor -> {
                    StringBuilder echo = new StringBuilder();
                    editor.discardLine(echo);
                    return echo;
                });
            }
        };
    }

    /** Ends the port's service, {@code reason} saying why unless an earlier reason was given. */
    void end(String reason) {
        why.compareAndSet(null, reason);
        ended.set();
    }

    /** The endpoint serving this port, built with {@link #shellInput}; set once, before it starts. */
    void attach(ProtocolEndpoint e) {
        this.endpoint = e;
    }

    ProtocolEndpoint endpoint() {
        return endpoint;
    }

    /** Answers a typed command on this port, above the line being typed. */
    void answer(String output) {
        print(ConsoleSource.SHELL, editor -> {
            StringBuilder out = new StringBuilder();
            editor.answer(output, out);
            return out;
        });
    }

    /** Prints one console log line: plain for an attached tool, above the typed line for a person. */
    void logLine(ConsoleSource source, String line) {
        print(source, editor -> {
            StringBuilder out = new StringBuilder();
            String notice = undelivered == 0 ? null
                    : "[pirt] " + undelivered + " console lines not delivered (the port was busy or failing; `log` has them)";
            undelivered = 0;
            ProtocolEndpoint e = endpoint;
            if (e != null && e.toolAttached()) { // a tool shows lines its own way: plain lines, no terminal editing
                if (notice != null) out.append(notice).append('\n');
                out.append(line).append('\n');
            } else {
                if (notice != null) editor.printAbove(notice, out);
                editor.printAbove(line, out);
            }
            return out;
        });
    }

    /** Builds output under this port's lock and prints it through its endpoint. */
    void print(ConsoleSource source, Function<LineEditor, StringBuilder> build) {
        synchronized (this) {
            StringBuilder text = build.apply(editor);
            ProtocolEndpoint e = endpoint;
            if (e == null || text.isEmpty()) return;
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            long waitMs = alwaysWait || undelivered == 0 ? outputWaitMs : 0;
            try {
                if (!e.consoleOut(source, bytes, 0, bytes.length, waitMs)) undelivered++;
            } catch (IOException ex) {
                undelivered++; // the port is failing: its reader sees it too, and the port is reopened or dropped
            } catch (InterruptedException ex) {
                java.lang.Thread.currentThread().interrupt();
            }
        }
    }
}
