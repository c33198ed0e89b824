package io.pirt.runtime.endpoint;

import io.pirt.bundle.BundleVerifier;
import io.pirt.wire.*;
import io.pirt.wire.message.Done;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.Refusal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The board's end of the console port (docs/protocol.md §5.1): decides, byte by byte,
 * whether input is a person's text (handed to the {@link ConsoleInput}) or a tool's
 * frames; answers HELLO and BYE; while a tool is attached carries console output in
 * CONSOLE_OUT frames and CONSOLE_IN to the shell, runs REQUESTs through the
 * {@link RequestHandler}, and receives files into a directory, handing only verified ones
 * to the {@link TransferSink}. When the tool leaves or goes silent the port is a plain
 * text console again, and console output it never acknowledged is printed as text.
 *
 * <p>Threads: the link's reader and writer, and one worker ({@code pirt-protocol-worker})
 * that runs quick requests, sends transfer replies and verifies files, so neither blocks the
 * link. Requests that may wait (named by {@link Builder#waitingRequests}, e.g. {@code
 * install-wait}) run on waiter threads ({@code pirt-protocol-waiter-N}) instead, at most
 * {@code maxWaiting} at once; one more is refused {@code NOT_NOW}, so no request can starve
 * the worker. A task that throws is answered {@code FAILED} (a request) or reported on
 * stderr (anything else), and the worker goes on. {@link #consoleOut} may be called from
 * any thread. {@link #close()} ends a session with BYE and stops every thread; the streams
 * are closed with it.
 */
public final class ProtocolEndpoint implements AutoCloseable {
    private static final int WORK_QUEUE = 16;
    private static final long REPLY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** How many waiting requests may run at once unless {@link Builder#waitingRequests} says otherwise. */
    public static final int DEFAULT_MAX_WAITING = 4;
    /** How long an idle waiter thread stays before it ends. */
    private static final long WAITER_KEEP_ALIVE_MS = 30_000;
    /** Source of session numbers (RequestHandler#handle): unique in this JVM, so no two sessions of any endpoint share one. */
    private static final AtomicLong SESSION_NUMBERS = new AtomicLong();
    /** Largest event body (docs/protocol.md §5.6). */
    public static final int MAX_EVENT_BYTES = Frame.MAX_EVENT_BYTES;

    /** Collects what an endpoint needs; {@link #build()} checks it. */
    public static final class Builder {
        private final InputStream in;
        private final OutputStream out;
        private String boardId = "unknown";
        private String runtimeVersion = "unknown";
        private ConsoleInput shell;
        private RequestHandler requests;
        private Set<String> waitingCommands = Set.of();
        private int maxWaiting = DEFAULT_MAX_WAITING;
        private Path transferDirectory;
        private TransferSink transferSink;
        private long maxTransferBytes = BundleVerifier.MAX_BUNDLE_BYTES;
        /** Shared by the endpoints of all the board's ports; one of its own unless told. */
        private TransferSlot transferSlot = new TransferSlot();
        private int idleTimeoutMs = 3000;
        private Link.Config link = Link.Config.defaults();
        private LineRate lineRate;
        private boolean stream;
        private Consumer<String> onClosed = reason -> { };

        private Builder(InputStream in, OutputStream out) {
            this.in = Objects.requireNonNull(in, "in");
            this.out = Objects.requireNonNull(out, "out");
        }

        /** The board id and runtime version the board announces in its HELLO. */
        public Builder identity(String boardId, String runtimeVersion) {
            this.boardId = boardId;
            this.runtimeVersion = runtimeVersion;
            return this;
        }

        /** Where typed bytes go (required). */
        public Builder shell(ConsoleInput shell) {
            this.shell = shell;
            return this;
        }

        /** Runs REQUESTs; without one the board does not announce {@link Hello#REQUESTS}. */
        public Builder requests(RequestHandler handler) {
            this.requests = handler;
            return this;
        }

        /**
         * The commands that may wait (for a verdict, for the application to stop or answer):
         * they run off the worker that serves the others, at most {@code maxWaiting} at once;
         * beyond that one is refused {@code NOT_NOW}. Default: none, at most
         * {@link #DEFAULT_MAX_WAITING}.
         */
        public Builder waitingRequests(Set<String> commands, int maxWaiting) {
            this.waitingCommands = Set.copyOf(commands);
            this.maxWaiting = maxWaiting;
            return this;
        }

        /**
         * Receives files into {@code directory} (partial copies live there too) and hands
         * verified ones to {@code sink}; without this the board does not announce
         * {@link Hello#TRANSFER}.
         */
        public Builder transfers(Path directory, TransferSink sink) {
            this.transferDirectory = directory;
            this.transferSink = sink;
            return this;
        }

        /**
         * Largest file or wire stream accepted: a BEGIN that declares more is refused
         * ({@code REFUSED}, the limit in its message) before a byte is written. Default, and
         * what the runtime passes: the largest bundle, {@link BundleVerifier#MAX_BUNDLE_BYTES}
         * (64 MiB), since every file a board takes is a bundle or a library in one.
         */
        /** The board's one incoming transfer, shared with its other ports' endpoints ({@link TransferSlot}). */
        public Builder transferSlot(TransferSlot slot) {
            this.transferSlot = Objects.requireNonNull(slot, "slot");
            return this;
        }

        public Builder maxTransferBytes(long bytes) {
            this.maxTransferBytes = bytes;
            return this;
        }

        /** How long an attached tool may stay silent before the port is text again; default 3000 ms. */
        public Builder idleTimeoutMs(int ms) {
            this.idleTimeoutMs = ms;
            return this;
        }

        public Builder link(Link.Config config) {
            this.link = config;
            return this;
        }

        /**
         * The port's rate, when it is a UART a tool may switch to a faster rate for its
         * session (the {@code baud} request, docs/protocol.md §5.6); without one the board
         * does not announce {@link Hello#BAUD} and refuses the request.
         */
        public Builder lineRate(LineRate rate) {
            this.lineRate = rate;
            return this;
        }

        /**
         * The port is a reliable byte stream (a connection to the wire socket), not a UART: the
         * board sets {@link Hello#STREAM} and takes frames of up to
         * {@link Frame#MAX_STREAM_PAYLOAD_BYTES} from a tool that sets it too; other tools get
         * a serial port's limits (docs/protocol.md §5.1). The link's slots are sized for that.
         */
        public Builder reliableStream() {
            this.stream = true;
            return this;
        }

        /**
         * Told why the endpoint ended by itself: the port failed or reached its end, or one of
         * the link's threads stopped on a bug (an unexpected exception or {@link Error}). Called
         * once, on the thread that found it, and not when {@link #close()} ended the endpoint.
         * The owner closes the endpoint and, if it wants, opens the port again.
         */
        public Builder onClosed(Consumer<String> listener) {
            this.onClosed = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** @throws IllegalArgumentException if the shell is missing or a value is out of range */
        public ProtocolEndpoint build() {
            if (shell == null) throw new IllegalArgumentException("a ProtocolEndpoint needs a shell for typed input");
            if (maxTransferBytes < 0 || maxTransferBytes > TransferMessages.MAX_TRANSFER_BYTES) {
                throw new IllegalArgumentException("maxTransferBytes " + maxTransferBytes + " not in 0..4 GiB-1");
            }
            if (maxWaiting < 1) throw new IllegalArgumentException("maxWaiting " + maxWaiting + " must be at least 1");
            return new ProtocolEndpoint(this);
        }
    }

    private final Link link;
    /** What this board announces; its nonce is replaced by the tool's in each reply. */
    private final Hello own;
    private final ConsoleInput shell;
    private final RequestHandler requests;
    /** Null when the board takes no files. */
    private final TransferReceiver transfers;
    /** Null when the port has no rate to switch. */
    private final RateSwitch rateSwitch;
    private final BlockingQueue<Runnable> work = new ArrayBlockingQueue<>(WORK_QUEUE);
    private final Thread worker;
    /** Commands run by {@link #waiters}, never by the worker. */
    private final Set<String> waitingCommands;
    /** Runs waiting requests; no queue: when all {@code maxWaiting} threads are busy it rejects. */
    private final ThreadPoolExecutor waiters;
    /** Told why the link closed by itself. */
    private final Consumer<String> onClosed;
    /**
     * Requests that do nothing but wait for an answer for their tool: when its session ends
     * they are interrupted, so a tool that went away never holds a waiter slot (up to 10
     * minutes for {@code install-wait}) that the next tool's {@code restart} or {@code stop}
     * needs. Requests that act ({@code restart}, {@code stop}, ...) run to their end.
     */
    private static final Set<String> ENDED_WITH_SESSION = Set.of(io.pirt.wire.message.Command.INSTALL_WAIT.wireName());
    /** Waiting requests of {@link #ENDED_WITH_SESSION} still running, and their sessions. */
    private final java.util.Map<java.util.concurrent.Future<?>, Long> waitingForSession = new java.util.concurrent.ConcurrentHashMap<>();

    /** Orders console output and the printing of unacknowledged output as text. */
    private final Object consoleLock = new Object();
    /** Payload staging for CONSOLE_OUT; guarded by consoleLock. */
    private final ByteBuffer consoleFrame;
    /** CONSOLE_IN bytes on their way to the shell; reader thread only. */
    private final byte[] typed;
    /** Nonce of the attached tool's HELLO; meaningful while a session is open. Reader thread only. */
    private int attachedNonce;
    /**
     * The number the request handler knows the open session by (RequestHandler#handle); a new
     * one for each session the reader opens, never reused. Reader thread only.
     */
    private long sessionNumber;
    /** Whether the tool of the open session announced {@link Hello#EVENTS}; written by the reader before the session opens. */
    private volatile boolean toolTakesEvents;
    /** Keeps the frames of one event together: one event at a time. */
    private final Object eventLock = new Object();
    private volatile boolean closed;

    private ProtocolEndpoint(Builder b) {
        this.shell = b.shell;
        this.requests = b.requests;
        this.waitingCommands = b.waitingCommands;
        this.onClosed = b.onClosed;
        AtomicInteger waiterCount = new AtomicInteger();
        this.waiters = new ThreadPoolExecutor(0, b.maxWaiting, WAITER_KEEP_ALIVE_MS, TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), task -> {
                    Thread t = new Thread(task, "pirt-protocol-waiter-" + waiterCount.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        int caps = Hello.CONSOLE | Hello.EVENTS;
        if (b.requests != null) caps |= Hello.REQUESTS;
        if (b.transferDirectory != null) {
            caps |= Hello.TRANSFER | Hello.DEFLATE;
            this.transfers = new TransferReceiver(b.transferDirectory, b.maxTransferBytes,
                    Objects.requireNonNull(b.transferSink, "transfer sink"), new Replies(), b.transferSlot);
        } else {
            this.transfers = null;
        }
        this.rateSwitch = b.lineRate != null ? new RateSwitch(b.lineRate) : null;
        if (rateSwitch != null) caps |= Hello.BAUD;
        Link.Config linkConfig = b.stream ? b.link.forStream() : b.link;
        if (b.stream) caps |= Hello.STREAM;
        this.own = new Hello(Hello.PROTOCOL_VERSION, Hello.PROTOCOL_VERSION, 0, caps, Frame.MAX_PAYLOAD_BYTES, linkConfig.receiveWindow(),
                b.idleTimeoutMs, b.boardId, b.runtimeVersion, b.stream ? linkConfig.maxPayloadBytes() : 0);
        this.consoleFrame = ByteBuffer.allocate(linkConfig.maxPayloadBytes()).order(ByteOrder.LITTLE_ENDIAN);
        this.typed = new byte[linkConfig.maxPayloadBytes()];
        this.link = new Link("board", b.in, b.out, linkConfig, new Events());
        this.worker = new Thread(this::workLoop, "pirt-protocol-worker");
        worker.setDaemon(true);
    }

    public static Builder builder(InputStream in, OutputStream out) {
        return new Builder(in, out);
    }

    /** Starts reading the port. */
    public void start() {
        worker.start();
        link.start();
    }

    /** Whether a tool is attached (a session is open). */
    public boolean toolAttached() {
        return link.session() != 0;
    }

    public Link.Stats stats() {
        return link.stats();
    }

    /**
     * Prints {@code bytes}: in CONSOLE_OUT frames tagged with {@code source} while a tool
     * is attached, as plain text otherwise. Waits up to {@code timeoutMs} for an attached
     * tool to make room; allocation-free while attached.
     *
     * @return false if the tool did not make room in time; what was not queued is not printed
     * @throws IOException if the port fails
     * @throws InterruptedException if interrupted while waiting for room
     */
    public boolean consoleOut(ConsoleSource source, byte[] bytes, int offset, int length, long timeoutMs)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (consoleLock) {
            int at = offset;
            int end = offset + length;
            while (at < end) {
                long session = link.session();
                if (session == 0) {
                    printUnacknowledged();
                    link.writeText(bytes, at, end - at);
                    return true;
                }
                int n = Math.min(end - at, link.maxPayloadBytes() - 1);
                consoleFrame.clear();
                consoleFrame.put((byte) source.code()).put(bytes, at, n).flip();
                switch (link.send(session, FrameType.CONSOLE_OUT, 0, consoleFrame, deadline - System.nanoTime())) {
                    case QUEUED -> at += n;
                    case TIMED_OUT -> {
                        return false;
                    }
                    case NO_SESSION -> { } // the tool left meanwhile: the loop prints it as text
                }
            }
            return true;
        }
    }

    /**
     * Sends one event (docs/protocol.md §5.6) to the attached tool: {@code body} in EVENT
     * frames, every frame but the last flagged MORE. Waits up to {@code timeoutMs} for room.
     *
     * @return false if no tool that takes events is attached, the session ended meanwhile,
     *     or the tool did not make room in time (the event is then incomplete on the tool's side
     *     and dropped there, as the session is about to end)
     * @throws IllegalArgumentException if {@code body} exceeds {@link #MAX_EVENT_BYTES}
     * @throws InterruptedException if interrupted while waiting for room
     */
    public boolean event(byte[] body, long timeoutMs) throws InterruptedException {
        if (body.length > MAX_EVENT_BYTES) {
            throw new IllegalArgumentException("an event is at most " + MAX_EVENT_BYTES + " bytes, not " + body.length);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (eventLock) {
            long session = link.session();
            if (session == 0 || !toolTakesEvents) return false;
            int chunk = link.maxPayloadBytes();
            int at = 0;
            do {
                int n = Math.min(chunk, body.length - at);
                int flags = at + n < body.length ? Frame.FLAG_MORE : 0;
                if (link.send(session, FrameType.EVENT, flags, ByteBuffer.wrap(body, at, n), deadline - System.nanoTime())
                        != Link.Offer.QUEUED) {
                    return false;
                }
                at += n;
            } while (at < body.length);
            return true;
        }
    }

    /**
     * Ends an attached tool's session with BYE, prints unacknowledged console output as
     * text, and stops the threads. Idempotent.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        long session = link.session();
        if (session != 0) {
            endSession(session);
            link.sendControl(FrameType.BYE, 0, EMPTY.duplicate());
        }
        link.close();
        if (rateSwitch != null) rateSwitch.close();
        worker.interrupt();
        waiters.shutdownNow(); // interrupts requests still waiting; their answers have no session to go to
        try {
            worker.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Any thread: {@code session} is over; the port is text again unless a newer session opened. */
    private void endSession(long session) {
        link.endSession(session); // releases a console writer waiting for room before we take its lock
        waitingForSession.forEach((task, s) -> {
            if (s == session) task.cancel(true); // its answer has no session to go to
        });
        synchronized (consoleLock) {
            try {
                printUnacknowledged();
            } catch (IOException e) {
                // The port is failing; the link reports that through onClosed, and nobody reads this text.
            }
        }
        if (transfers != null) transfers.sessionEnded(session);
    }

    /** Under consoleLock, no session open: output the tool never acknowledged goes out as text, in order. */
    private void printUnacknowledged() throws IOException {
        try {
            link.drainUnacknowledged(FrameType.CONSOLE_OUT, payload -> {
                payload.get(); // the source
                byte[] text = new byte[payload.remaining()];
                payload.get(text);
                try {
                    link.writeText(text, 0, text.length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (IllegalStateException e) {
            // A newer session is open: the reader drained the old one's output before opening it.
        }
    }

    private void onHello(Frame frame) {
        Hello tool;
        try {
            tool = Hello.readFrom(frame.payload());
        } catch (ProtocolException e) {
            return; // not a HELLO we can answer; the tool times out and says so
        }
        if (rateSwitch != null) rateSwitch.helloArrived();
        Hello reply = new Hello(own.minVersion(), own.maxVersion(), tool.nonce(), own.capabilities(),
                own.maxPayloadBytes(), own.window(), own.idleTimeoutMs(), own.name(), own.software(), own.streamPayloadBytes());
        ByteBuffer payload = ByteBuffer.allocate(Frame.MAX_PAYLOAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        reply.writeTo(payload);
        payload.flip();
        boolean open = link.session() != 0;
        if (own.commonVersion(tool) < 0) {
            link.sendControl(FrameType.HELLO, Frame.FLAG_REPLY, payload); // the tool explains the mismatch
            return;
        }
        if (open && tool.nonce() == attachedNonce) {
            link.sendControl(FrameType.HELLO, Frame.FLAG_REPLY, payload); // our first reply was lost
            return;
        }
        if (open) endSession(link.session());
        synchronized (consoleLock) {
            try {
                printUnacknowledged(); // a session the link lost may have left output: it goes first
            } catch (IOException e) {
                return; // the port is failing; the link reports it
            }
            // The reply is queued before the session opens, so no CONSOLE_OUT can overtake it.
            link.sendControl(FrameType.HELLO, Frame.FLAG_REPLY, payload);
            attachedNonce = tool.nonce();
            sessionNumber = SESSION_NUMBERS.incrementAndGet();
            toolTakesEvents = (tool.capabilities() & Hello.EVENTS) != 0;
            link.openSession(tool.window(), own.sessionPayloadBytes(tool),
                    own.idleTimeoutMs(), Math.max(1, tool.idleTimeoutMs() / 4));
        }
        shell.toolAttached(); // outside consoleLock: the shell prints, and printers take its lock before consoleLock
    }

    private void onRequest(Frame frame) {
        ByteBuffer p = frame.payload();
        int id = p.remaining() >= 2 ? p.getShort(p.position()) & 0xFFFF : 0;
        Request request;
        try {
            request = Request.readFrom(p);
        } catch (ProtocolException e) {
            respondNow(id, Response.Status.BAD_REQUEST, refusal(Refusal.BAD_ARGUMENT, e.getMessage()));
            return;
        }
        long caller = sessionNumber; // a REQUEST is a sequenced frame: it arrived in the open session
        long linkSession = link.session(); // its answer goes to that session, or nowhere once it has ended
        if (request.command().equals(RateSwitch.COMMAND)) {
            if (!work.offer(() -> switchRate(request))) respondNow(id, Response.Status.BUSY, refusal(Refusal.NOT_NOW, "the board is busy; go on at this rate"));
            return;
        }
        if (requests == null) {
            respondNow(id, Response.Status.UNKNOWN_COMMAND, refusal(Refusal.NOT_SUPPORTED, "this board takes no requests"));
            return;
        }
        if (waitingCommands.contains(request.command())) {
            java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(() -> runRequest(caller, linkSession, request, requests), null) {
                @Override
                protected void done() {
                    waitingForSession.remove(this);
                }
            };
            if (ENDED_WITH_SESSION.contains(request.command())) waitingForSession.put(task, linkSession);
            try {
                waiters.execute(task);
            } catch (RejectedExecutionException e) {
                waitingForSession.remove(task);
                String why = waiters.isShutdown() ? "the board is closing its port"
                        : waiters.getMaximumPoolSize() + " requests that wait (" + String.join(", ", waitingCommands.stream().sorted().toList())
                        + ") are already waiting on the board";
                respondNow(id, Response.Status.BUSY, refusal(Refusal.NOT_NOW, why + "; send '" + request.command()
                        + "' again when one of them has its answer"));
            }
            return;
        }
        if (!work.offer(() -> runRequest(caller, linkSession, request, requests))) {
            respondNow(id, Response.Status.BUSY, refusal(Refusal.NOT_NOW, WORK_QUEUE + " requests are waiting; send '"
                    + request.command() + "' again in a moment"));
        }
    }

    /**
     * Worker thread: the {@code baud} request (docs/protocol.md §5.6). Answers, and once the
     * tool acknowledged the answer ends the session and switches the port on trial; the
     * tool says hello again at the new rate, or both ends go back to the old one by
     * themselves.
     */
    private void switchRate(Request request) {
        long session = link.session();
        int[] baud = {0};
        runRequest(0, session, request, (caller, command, argument) -> {
            if (rateSwitch == null) {
                return Response.failed(refusal(Refusal.NOT_SUPPORTED, "this board's console port has no baud rate to change "
                        + "(a USB gadget port): go on at the current rate"));
            }
            try {
                baud[0] = rateSwitch.parse(argument);
            } catch (IllegalArgumentException e) {
                return Response.failed(refusal(Refusal.BAD_ARGUMENT, e.getMessage()));
            }
            return Response.ok(Messages.encode(new Done(rateSwitch.acceptance(baud[0]))));
        });
        if (baud[0] == 0) return;
        try {
            if (!link.awaitAcknowledged(session, REPLY_TIMEOUT_NANOS)) return; // the tool finds no board at the new rate and comes back
            endSession(session);
            rateSwitch.switchTo(baud[0]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Worker or waiter thread. Whatever the handler throws, even an {@link Error}, is the
     * request's FAILED answer and goes to stderr with its stack trace: the thread lives on.
     */
    private void runRequest(long caller, long linkSession, Request request, RequestHandler handler) {
        Response response;
        try {
            response = handler.handle(caller, request.command(), request.argument());
            if (response == null) {
                response = Response.failed(refusal(Refusal.FAILED, "the board's handler gave no answer to '" + request.command() + "'"));
            }
        } catch (RuntimeException | Error e) {
            reportUnexpected("request '" + request.command() + "'", e);
            response = Response.failed(refusal(Refusal.FAILED, "'" + request.command() + "' failed on the board: " + e
                    + "; the board goes on serving requests, and its journal (stderr) has the stack trace"));
        }
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        if (body.length > Response.MAX_BODY_BYTES) {
            response = Response.failed(refusal(Refusal.FAILED, "the answer to '" + request.command() + "' is " + body.length
                    + " bytes; a response holds at most " + Response.MAX_BODY_BYTES));
            body = response.body().getBytes(StandardCharsets.UTF_8);
        }
        long session = linkSession; // never a later session: a tool that came after did not ask (the link refuses an ended one)
        int chunk = link.maxPayloadBytes() - Response.PART_HEADER_BYTES;
        int at = 0;
        do {
            int n = Math.min(chunk, body.length - at);
            ByteBuffer part = ByteBuffer.allocate(Response.PART_HEADER_BYTES + n).order(ByteOrder.LITTLE_ENDIAN);
            Response.writePartHeader(part, request.id(), response.status());
            part.put(body, at, n).flip();
            int flags = at + n < body.length ? Frame.FLAG_MORE : 0;
            try {
                if (link.send(session, FrameType.RESPONSE, flags, part, REPLY_TIMEOUT_NANOS) != Link.Offer.QUEUED) return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            at += n;
        } while (at < body.length);
    }

    /** A FAILED answer's body: a {@link Refusal} as JSON (docs/protocol.md §5.4). */
    private static String refusal(String code, String message) {
        return Messages.encode(new Refusal(code, message));
    }

    /** Reader thread: answers at once without waiting for room; if there is none, the tool's request times out. */
    private void respondNow(int id, Response.Status status, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(text.length, link.maxPayloadBytes() - Response.PART_HEADER_BYTES);
        ByteBuffer part = ByteBuffer.allocate(Response.PART_HEADER_BYTES + n).order(ByteOrder.LITTLE_ENDIAN);
        Response.writePartHeader(part, id, status);
        part.put(text, 0, n).flip();
        try {
            link.send(link.session(), FrameType.RESPONSE, 0, part, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void workLoop() {
        while (!closed) {
            Runnable task;
            try {
                task = work.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // A transfer reply or verification that failed: its tool times out waiting and says so.
                reportUnexpected("a task of the protocol worker", e);
            }
        }
    }

    /** The endpoint has no log of its own: what should never happen goes to stderr (the journal), with its stack trace. */
    private static void reportUnexpected(String what, Throwable e) {
        System.err.println("pirt-runtime: " + what + " failed on " + Thread.currentThread().getName()
                + " (unexpectedly; the thread goes on): " + e);
        e.printStackTrace(System.err);
    }

    /** Link callbacks. */
    private final class Events implements Link.Listener {
        @Override
        public void onText(byte[] bytes, int offset, int length) {
            // While a tool is attached, bytes outside frames are line noise: a person types through the tool.
            if (link.session() == 0) shell.accept(bytes, offset, length);
        }

        @Override
        public void onControl(Frame frame) {
            switch (frame.type()) {
                case HELLO -> {
                    if (!frame.hasFlag(Frame.FLAG_REPLY)) onHello(frame);
                }
                case BYE -> {
                    if (frame.hasFlag(Frame.FLAG_REPLY)) return;
                    long session = link.session();
                    if (session != 0) endSession(session);
                    link.sendControl(FrameType.BYE, Frame.FLAG_REPLY, EMPTY.duplicate());
                    if (rateSwitch != null) rateSwitch.sessionEnded();
                }
                default -> link.sendControl(FrameType.BYE, Frame.FLAG_NO_SESSION, EMPTY.duplicate());
            }
        }

        @Override
        public void onFrame(Frame frame) {
            switch (frame.type()) {
                case CONSOLE_IN -> {
                    ByteBuffer p = frame.payload();
                    int n = p.remaining();
                    p.get(typed, 0, n);
                    shell.accept(typed, 0, n);
                }
                case REQUEST -> onRequest(frame);
                case TRANSFER_BEGIN -> {
                    if (transfers != null) transfers.begin(link.session(), frame.payload());
                }
                case TRANSFER_DATA -> {
                    if (transfers != null) transfers.data(frame.payload());
                }
                case TRANSFER_END -> {
                    if (transfers != null) transfers.end(frame.payload());
                }
                default -> { } // types a board sends, not receives: ignored
            }
        }

        @Override
        public void onSessionLost(long session, String reason) {
            endSession(session);
            if (rateSwitch != null) rateSwitch.sessionEnded();
        }

        @Override
        public void onClosed(String reason) {
            closed = true;
            worker.interrupt();
            onClosed.accept(reason);
        }
    }

    /** How the transfer receiver answers: through the worker, so the reader never waits for room. */
    private final class Replies implements TransferReceiver.Replies {
        @Override
        public void reply(FrameType type, ByteBuffer payload) {
            Runnable send = () -> {
                long session = link.session();
                int max = link.maxPayloadBytes();
                if (payload.remaining() > max) payload.limit(payload.position() + max);
                try {
                    link.send(session, type, 0, payload, REPLY_TIMEOUT_NANOS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            // If the worker is saturated the reply is lost; the tool's wait for it times out with a message.
            work.offer(send);
        }

        @Override
        public boolean runLater(Runnable task) {
            return work.offer(task);
        }

        @Override
        public long replyNow(FrameType type, ByteBuffer payload) {
            long session = link.session();
            int max = link.maxPayloadBytes();
            if (payload.remaining() > max) payload.limit(payload.position() + max);
            try {
                return link.send(session, type, 0, payload, REPLY_TIMEOUT_NANOS) == Link.Offer.QUEUED ? session : 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }

        @Override
        public boolean awaitAcknowledged(long session) {
            try {
                return link.awaitAcknowledged(session, REPLY_TIMEOUT_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
