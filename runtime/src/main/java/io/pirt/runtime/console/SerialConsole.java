package io.pirt.runtime.console;

import io.pirt.runtime.log.ConsoleLog;
import io.pirt.wire.ConsoleSource;
import io.pirt.wire.LineRate;
import io.pirt.runtime.endpoint.ConsoleInput;
import io.pirt.runtime.endpoint.ProtocolEndpoint;
import io.pirt.runtime.endpoint.TransferSlot;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>The same service runs on each connection to the runtime's wire socket ({@link #serve},
 * {@link WireSocket}): every port, the device and each connection, has an endpoint and a line
 * editor of its own; the log goes to all of them, an event to every attached tool that takes
 * events, and a typed command's answer to the port it was typed on. The shell runs one
 * command at a time, whichever port it came from.
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
    /** The board's one incoming transfer, shared by the endpoints of the device and every socket connection. */
    private final TransferSlot transferSlot = new TransferSlot();
    /** A line a person typed, and the port it was typed on: the answer goes there. */
    private record TypedLine(ConsoleConnection from, String line) {
    }

    private final BlockingQueue<TypedLine> typedLines = new ArrayBlockingQueue<>(16);
    /** The serial device's port while it is open, or null. */
    private volatile ConsoleConnection serial;
    /** The wire socket's connections being served (docs/runtime.md, "The wire socket"). */
    private final Set<ConsoleConnection> sockets = ConcurrentHashMap.newKeySet();
    /** Numbers the wire socket's connections in the log. */
    private final AtomicInteger socketConnections = new AtomicInteger();
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
            ConsoleConnection c = connection(p, deviceName, OUTPUT_WAIT_MS, true);
            serial = c;
            c.endpoint().start();
            c.print(ConsoleSource.SHELL, editor -> {
                StringBuilder out = new StringBuilder("\r\npirt console: type help\r\n");
                if (services.commands() != null) out.append("access: ").append(services.commands().access()).append("\r\n");
                editor.redraw(out);
                return out;
            });
            try {
                c.ended.await();
            } catch (ThreadInterruptedException ex) {
                c.end("interrupted");
            }
            serial = null;
            c.endpoint().close();
            closeQuietly(p);
            if (!closed) log.runtime("console " + deviceName + " lost (" + c.why.get() + "); reopening");
        }
    }

    /**
     * A port's connection with its endpoint built (not started): typed lines go to the shell,
     * and the connection {@linkplain ConsoleConnection#end ends} when the port fails or the link ends by itself.
     */
    private ConsoleConnection connection(ConsolePort p, String name, long outputWaitMs, boolean alwaysWait) {
        ConsoleConnection c = new ConsoleConnection(name, outputWaitMs, alwaysWait);
        // The first reason wins (ConsoleConnection.end): the input's failure, then the link's words for the same.
        ProtocolEndpoint.Builder b = ProtocolEndpoint.builder(watch(p.in(), c), p.out())
                .identity(services.boardId(), services.runtimeVersion())
                .shell(c.shellInput((from, line) -> typedLines.offer(new TypedLine(from, line))))
                .onClosed(c::end); // the port failed, or a thread of the link died: either way the port is closed
        if (services.requests() != null) {
            b.requests(services.requests()).waitingRequests(services.waitingRequests(), ProtocolEndpoint.DEFAULT_MAX_WAITING);
        }
        if (services.transfers() != null) {
            b.transfers(services.transferDir(), services.transfers()).maxTransferBytes(services.maxTransferBytes())
                    .transferSlot(transferSlot);
        }
        if (p.lineRate() != null) b.lineRate(logged(p.lineRate()));
        if (p.reliableStream()) b.reliableStream();
        c.attach(b.build());
        return c;
    }

    /**
     * Serves {@code port}, one connection to the wire socket, on the calling thread until it
     * ends (the peer closed it, it failed, or the console closes), then closes it and frees
     * everything it held: its endpoint's session, proofs, partial transfer state and threads.
     * The same service as the console device's (sessions, console, requests, transfers,
     * events), with no greeting: a tool speaks first, a person presses Enter for a prompt.
     */
    public void serve(ConsolePort port) {
        String name = "wire socket connection " + socketConnections.incrementAndGet();
        ConsoleConnection c = connection(port, name, OUTPUT_WAIT_MS, false);
        sockets.add(c);
        try {
            if (closed) return;
            c.endpoint().start();
            log.runtime(name + " opened");
            try {
                c.ended.await();
            } catch (ThreadInterruptedException ex) {
                c.end("interrupted");
            }
        } finally {
            sockets.remove(c);
            c.endpoint().close();
            closeQuietly(port);
        }
        if (!closed) log.runtime(name + " closed (" + c.why.get() + ")");
    }

    /** The ports open now: the console device's, if open, and the wire socket's connections. */
    private java.util.List<ConsoleConnection> open() {
        java.util.List<ConsoleConnection> all = new java.util.ArrayList<>(sockets.size() + 1);
        ConsoleConnection s = serial;
        if (s != null) all.add(s);
        all.addAll(sockets);
        return all;
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

    /** The port's input, ending {@code c} when it ends or fails (the endpoint's reader sees the same). */
    private static InputStream watch(InputStream in, ConsoleConnection c) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    int n = super.read(b, off, len);
                    if (n < 0) c.end("end of input");
                    return n;
                } catch (IOException e) {
                    c.end(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
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

    /** Runs typed commands, without the console's lock: a command may wait seconds for the application. */
    private void shellLoop() {
        try {
            while (!closed) {
                TypedLine typed = typedLines.poll(500, TimeUnit.MILLISECONDS);
                if (typed == null) continue;
                typed.from().answer(services.commands().execute(typed.line()));
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
                ConsoleSource source = sourceOf(line);
                for (ConsoleConnection c : open()) c.logLine(source, line);
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

    /**
     * Sends one event to the attached tool (docs/protocol.md §5.5), waiting up to
     * {@code timeoutMs} for room. Returns false when no tool that takes events is attached or
     * it did not make room in time.
     */
    public boolean event(String json, long timeoutMs) throws InterruptedException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        boolean sent = false;
        for (ConsoleConnection c : open()) sent |= c.endpoint().event(body, timeoutMs);
        return sent;
    }

    private void closeQuietly(ConsolePort p) {
        try {
            p.close();
        } catch (IOException e) {
            log.runtime("closing a console port (" + deviceName + " or a wire socket connection): " + e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        closing.set();
        for (ConsoleConnection c : sockets) c.end("the console closes"); // each serve() then closes its endpoint and port
        ConsoleConnection s = serial;
        if (s != null) s.endpoint().close();
        for (Thread t : new Thread[] {portThread, shellThread, writerThread}) {
            if (t == null) continue;
            t.interrupt();
            t.join(2_000);
        }
    }
}
