package io.pirt.runtime.console;

import io.pirt.runtime.log.ConsoleLog;
import io.pirt.wire.ConsoleSource;
import io.pirt.wire.LineRate;
import io.pirt.runtime.endpoint.ConsoleInput;
import io.pirt.runtime.endpoint.ProtocolEndpoint;
import io.pirt.runtime.endpoint.RequestHandler;
import io.pirt.runtime.endpoint.TransferSink;
import io.pirt.threading.Event;
import io.pirt.threading.Thread;
import io.pirt.threading.ThreadInterruptedException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The runtime's console on the board's console device: a person's shell with line editing,
 * the console log streamed above the line being typed, and — on the same port — the wire
 * protocol the {@code pirt} tool speaks (docs/protocol.md): the {@link ProtocolEndpoint}
 * tells a person's text from a tool's frames, carries the console in frames while a tool
 * is attached, and runs its requests and transfers.
 *
 * <p>The device may come and go (USB cable replugged, terminal closed on the host): the
 * console never stops the runtime for that. When the port fails, or the endpoint's link
 * ends by itself for any reason (one of its threads stopped on a bug), it closes the device,
 * says why in the log, and opens it again — at once, then backing off to every 2 s while it is
 * missing. Lines logged while no device is open are in the ring file for {@code log}.
 *
 * <p>Threads: the endpoint's (reading the port), {@code console-shell} (runs typed
 * commands, which may wait seconds for the application), {@code console-writer} (the log),
 * and {@code console-port} (opens and reopens the device).
 */
public final class SerialConsole implements AutoCloseable {
    private static final long MAX_REOPEN_DELAY_MS = 2_000;
    /** How long console output may wait for an attached tool to make room before it is dropped from the console. */
    private static final long OUTPUT_WAIT_MS = 2_000;

    /**
     * What the console needs besides its device.
     *
     * @param maxTransferBytes the largest file a tool may send (the largest bundle); a BEGIN
     *                         declaring more is refused before anything is written
     */
    public record Services(String boardId, String runtimeVersion, ShellCommands commands, RequestHandler requests,
                           Set<String> waitingRequests, Path transferDir, TransferSink transfers, long maxTransferBytes) {
    }

    private final ConsolePort.Opener opener;
    private final String deviceName;
    private final ConsoleLog log;
    private final Services services;
    /** Line editing state; guarded by `this`, as is writing to the endpoint. */
    private final LineEditor editor = new LineEditor();
    private final BlockingQueue<String> typedLines = new ArrayBlockingQueue<>(16);
    /** The endpoint on the open port, or null. */
    private volatile ProtocolEndpoint endpoint;
    /** Console lines the device refused (tool too slow, port failing); said before the next line. Guarded by `this`. */
    private long undelivered;
    private volatile boolean closed;
    /** Set when close() is called, to cut the reopen back-off short. */
    private final Event closing = new Event();
    private Thread portThread, shellThread, writerThread;

    private static final String OPEN_MARK = "console open on ";

    public SerialConsole(ConsolePort.Opener opener, String deviceName, ConsoleLog log, Services services) {
        this.opener = opener;
        this.deviceName = deviceName;
        this.log = log;
        this.services = services;
    }

    /** Starts the console's threads. */
    public void start() {
        portThread = new Thread(this::portLoop, "console-port");
        shellThread = new Thread(this::shellLoop, "console-shell");
        writerThread = new Thread(this::writeLoop, "console-writer");
        portThread.start(Thread.PRIO_HIGH);
        shellThread.start(Thread.PRIO_HIGH);
        writerThread.start(Thread.PRIO_HIGH);
    }

    /**
     * The console's threads that have ended although the console is not closed, by name, or
     * empty when all run: a console thread ends only on a bug, and then the console is gone
     * for good (the endpoint's own threads are not among them: the port thread reopens the
     * device when one of those dies).
     */
    public java.util.Optional<String> deadThreads() {
        if (closed) return java.util.Optional.empty();
        StringBuilder dead = new StringBuilder();
        for (Thread t : new Thread[] {portThread, shellThread, writerThread}) {
            if (t != null && !t.isAlive()) dead.append(dead.isEmpty() ? "" : ", ").append(t.getName());
        }
        return dead.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(dead.toString());
    }

    /** Opens the device, serves it until it fails, and opens it again. */
    private void portLoop() {
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
            else log.runtime(OPEN_MARK + deviceName);
            delayMs = 0;
            Event failed = new Event();
            // The first reason wins: the input's failure, then the link's words for the same.
            AtomicReference<String> why = new AtomicReference<>();
            ProtocolEndpoint.Builder b = ProtocolEndpoint.builder(watch(p.in(), failed, why), p.out())
                    .identity(services.boardId(), services.runtimeVersion()).shell(new ConsoleInput() {
                        @Override
                        public void accept(byte[] bytes, int offset, int length) {
                            typed(bytes, offset, length);
                        }

                        @Override
                        public void toolAttached() {
                            print(ConsoleSource.SHELL, () -> {
                                StringBuilder echo = new StringBuilder();
                                editor.discardLine(echo);
                                return echo;
                            });
                        }
                    })
                    .onClosed(reason -> { // the port failed, or a thread of the link died: either way the port is reopened
                        why.compareAndSet(null, reason);
                        failed.set();
                    });
            if (services.requests() != null) {
                b.requests(services.requests()).waitingRequests(services.waitingRequests(), ProtocolEndpoint.DEFAULT_MAX_WAITING);
            }
            if (services.transfers() != null) {
                b.transfers(services.transferDir(), services.transfers()).maxTransferBytes(services.maxTransferBytes());
            }
            if (p.lineRate() != null) b.lineRate(logged(p.lineRate()));
            ProtocolEndpoint e = b.build();
            endpoint = e;
            e.start();
            print(ConsoleSource.SHELL, () -> {
                StringBuilder out = new StringBuilder("\r\npirt console: type help\r\n");
                if (services.commands() != null) out.append("access: ").append(services.commands().access()).append("\r\n");
                editor.redraw(out);
                return out;
            });
            try {
                failed.await();
            } catch (ThreadInterruptedException ex) {
                why.compareAndSet(null, "interrupted");
            }
            endpoint = null;
            e.close();
            closeQuietly(p);
            if (!closed) log.runtime("console " + deviceName + " lost (" + why.get() + "); reopening");
        }
    }

    /** The port's rate, saying in the log each time a tool's session changes it, and when the port refuses a rate. */
    private LineRate logged(LineRate rate) {
        return new LineRate() {
            @Override
            public int baud() {
                return rate.baud();
            }

            @Override
            public void setBaud(int baud) throws IOException {
                try {
                    rate.setBaud(baud);
                } catch (IOException e) {
                    log.runtime("console " + deviceName + ": cannot switch to " + baud + " baud: " + e.getMessage());
                    throw e;
                }
                log.runtime("console " + deviceName + " now at " + baud + " baud");
            }
        };
    }

    /** The port's input, raising {@code failed} when it ends or fails (the endpoint's reader sees the same). */
    private static InputStream watch(InputStream in, Event failed, AtomicReference<String> why) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    int n = super.read(b, off, len);
                    if (n < 0) {
                        why.compareAndSet(null, "end of input");
                        failed.set();
                    }
                    return n;
                } catch (IOException e) {
                    why.compareAndSet(null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                    failed.set();
                    throw e;
                }
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }
        };
    }

    /** Typed bytes, from the endpoint's reader: edit and echo; completed lines go to the shell thread. */
    private void typed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            int b = bytes[i] & 0xff;
            print(ConsoleSource.SHELL, () -> {
                StringBuilder echo = new StringBuilder();
                editor.type(b, echo, line -> {
                    if (!typedLines.offer(line)) editor.answer("error: busy, '" + line + "' ignored", echo);
                });
                return echo;
            });
        }
    }

    /** Runs typed commands, without the console's lock: a command may wait seconds for the application. */
    private void shellLoop() {
        try {
            while (!closed) {
                String line = typedLines.poll(500, TimeUnit.MILLISECONDS);
                if (line == null) continue;
                String output = services.commands().execute(line);
                print(ConsoleSource.SHELL, () -> {
                    StringBuilder out = new StringBuilder();
                    editor.answer(output, out);
                    return out;
                });
            }
        } catch (InterruptedException | ThreadInterruptedException e) {
            if (!closed) log.runtime("console shell interrupted");
        }
    }

    private void writeLoop() {
        try {
            while (!closed) {
                String line = log.takeForConsole(500);
                if (line == null) continue;
                print(sourceOf(line), () -> {
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
        } catch (InterruptedException | ThreadInterruptedException e) {
            if (!closed) log.runtime("console writer interrupted");
        }
    }

    private static ConsoleSource sourceOf(String line) {
        if (line.startsWith("[app] ")) return ConsoleSource.APP_STDOUT;
        if (line.startsWith("[app!] ")) return ConsoleSource.APP_STDERR;
        return ConsoleSource.RUNTIME_LOG;
    }

    /** Builds output under the console's lock and prints it through the endpoint, if a port is open. */
    private void print(ConsoleSource source, java.util.function.Supplier<StringBuilder> build) {
        synchronized (this) {
            StringBuilder text = build.get();
            ProtocolEndpoint e = endpoint;
            if (e == null || text.isEmpty()) return;
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            try {
                if (!e.consoleOut(source, bytes, 0, bytes.length, OUTPUT_WAIT_MS)) undelivered++;
            } catch (IOException ex) {
                undelivered++; // the port is failing: the port thread sees it too and reopens the device
            } catch (InterruptedException ex) {
                java.lang.Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Sends one event to the attached tool (docs/protocol.md §5.5), waiting up to
     * {@code timeoutMs} for room. Returns false when no tool that takes events is attached or
     * it did not make room in time.
     */
    public boolean event(String json, long timeoutMs) throws InterruptedException {
        ProtocolEndpoint e = endpoint;
        return e != null && e.event(json.getBytes(StandardCharsets.UTF_8), timeoutMs);
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
        ProtocolEndpoint e = endpoint;
        if (e != null) e.close();
        for (Thread t : new Thread[] {portThread, shellThread, writerThread}) {
            if (t == null) continue;
            t.interrupt();
            t.join(2_000);
        }
    }
}
