package io.pirt.tools.client;

import io.pirt.wire.Frame;
import io.pirt.wire.FrameType;
import io.pirt.wire.Hello;
import io.pirt.wire.Link;
import io.pirt.wire.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * The tool's side of the session state machine (docs/protocol.md §5.1): says HELLO until the
 * board answers with this nonce, tells an incompatible board apart, notices a lost session
 * (idle timeout, the board's BYE, the port closed), and says BYE at the end. Requests and
 * transfers wait on its {@link #lock} for their answers, so every state of the client that a
 * reader-thread callback changes is guarded by that one monitor.
 */
final class ClientSession {
    private static final long HELLO_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long BYE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int RECENT_TEXT_BYTES = 160;

    /** The client's one monitor: guards the fields below and the waiting of requests and transfers. */
    final Object lock = new Object();
    private final Link link;
    private final BoardClient.Options options;
    private final SecureRandom random = new SecureRandom();

    // guarded by lock
    /** The open session's id, 0 when none. */
    private long session;
    /** Nonce of the HELLO being answered; meaningful while awaitingHello. */
    private int pendingNonce;
    private boolean awaitingHello;
    /** The board's HELLO of the latest session; null before the first. */
    private Hello board;
    /** Set when the board's reply shares no version with this tool. */
    private String incompatible;
    /** Why the last session ended, for messages. */
    private String lostReason = "no session yet";
    /** Why the link closed; null while open. */
    private String closedReason;
    private boolean byeAnswered;
    /** The last bytes of text seen outside frames, for the message when nobody answers HELLO. */
    private final ByteArrayOutputStream recentText = new ByteArrayOutputStream();

    ClientSession(Link link, BoardClient.Options options) {
        this.link = link;
        this.options = options;
    }

    /** This tool's HELLO. */
    Hello ownHello(int nonce) {
        int caps = Hello.CONSOLE | Hello.REQUESTS | Hello.TRANSFER | Hello.EVENTS | (options.compress() ? Hello.DEFLATE : 0)
                | (options.streamPayloadBytes() > 0 ? Hello.STREAM : 0);
        return new Hello(Hello.PROTOCOL_VERSION, Hello.PROTOCOL_VERSION, nonce, caps, options.maxPayloadBytes(),
                options.link().receiveWindow(), options.idleTimeoutMs(), options.toolName(), options.toolVersion(),
                options.streamPayloadBytes());
    }

    /** The board's HELLO of the latest session; null before the first. */
    Hello board() {
        synchronized (lock) {
            return board;
        }
    }

    /** The open session (0 when none). */
    long current() {
        synchronized (lock) {
            return session;
        }
    }

    /** Returns the open session, saying hello first if there is none. */
    long ensure() throws IOException, InterruptedException {
        synchronized (lock) {
            if (session != 0) return session;
        }
        return hello(options.helloTimeoutMs());
    }

    /** Drops the open session without BYE and says hello again, for up to {@code timeoutMs}. */
    void helloAgain(long timeoutMs) throws IOException, InterruptedException {
        synchronized (lock) {
            if (session != 0) {
                link.endSession(session);
                session = 0;
                lostReason = "the line's rate changed";
                lock.notifyAll();
            }
        }
        hello(timeoutMs);
    }

    long hello(long timeoutMs) throws IOException, InterruptedException {
        int nonce = random.nextInt();
        ByteBuffer payload = ByteBuffer.allocate(Frame.MAX_PAYLOAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        ownHello(nonce).writeTo(payload);
        payload.flip();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (lock) {
            if (session != 0) return session;
            pendingNonce = nonce;
            awaitingHello = true;
            incompatible = null;
            try {
                while (true) {
                    if (closedReason != null) throw new ProtocolException("the port closed: " + closedReason);
                    link.sendControl(FrameType.HELLO, 0, payload.duplicate());
                    long retryAt = Math.min(deadline, System.nanoTime() + HELLO_RETRY_NANOS);
                    while (session == 0 && incompatible == null && closedReason == null && System.nanoTime() - retryAt < 0) {
                        waitNanos(retryAt - System.nanoTime());
                    }
                    if (incompatible != null) throw new ProtocolException(incompatible);
                    if (session != 0) return session;
                    if (System.nanoTime() - deadline >= 0 && closedReason == null) {
                        throw new ProtocolException("no answer to HELLO within " + timeoutMs
                                + " ms: is the pirt runtime running on the board, on this port and at this baud rate?"
                                + recentTextHint());
                    }
                }
            } finally {
                awaitingHello = false;
            }
        }
    }

    /** Ends the open session with BYE, after what was sent is acknowledged (up to a second each). */
    void sayBye() throws InterruptedException {
        long s = current();
        if (s == 0) return;
        link.awaitAcknowledged(s, BYE_TIMEOUT_NANOS);
        long deadline = System.nanoTime() + BYE_TIMEOUT_NANOS;
        synchronized (lock) {
            byeAnswered = false;
            while (!byeAnswered && closedReason == null && System.nanoTime() - deadline < 0) {
                link.sendControl(FrameType.BYE, 0, ByteBuffer.allocate(0));
                waitNanos(Math.min(HELLO_RETRY_NANOS, deadline - System.nanoTime()));
            }
            link.endSession(session);
            session = 0;
        }
    }

    /** Under lock. */
    private String recentTextHint() {
        if (recentText.size() == 0) return " Nothing at all came back.";
        String text = recentText.toString(StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}&&[^\n]]", "?").strip();
        return " The port printed: \"" + text + "\"";
    }

    /** Under lock: throws when session {@code s} is gone. */
    void checkSession(long s, String doing) throws ProtocolException {
        if (closedReason != null) throw new ProtocolException("the port closed while " + doing + ": " + closedReason);
        if (session != s) throw new ProtocolException("the session with the board ended while " + doing + ": " + lostReason);
    }

    /** Under lock: whether session {@code s} is still the open one. */
    boolean isOpen(long s) {
        return session == s;
    }

    boolean isClosed() {
        synchronized (lock) {
            return closedReason != null;
        }
    }

    /** Under lock: why the port closed, or null while it is open. */
    String closedReason() {
        return closedReason;
    }

    /** Queues a frame or throws a message saying why it could not be. */
    void offer(long s, FrameType type, int flags, ByteBuffer payload, long deadline, String what)
            throws IOException, InterruptedException {
        switch (link.send(s, type, flags, payload, deadline - System.nanoTime())) {
            case QUEUED -> { }
            case TIMED_OUT -> throw new ProtocolException("the board did not take the " + what + " within "
                    + options.requestTimeoutMs() + " ms (it acknowledges nothing)");
            case NO_SESSION -> {
                synchronized (lock) {
                    checkSession(s, "sending the " + what);
                }
                throw new ProtocolException("the session with the board ended while sending the " + what);
            }
        }
    }

    /** Queues a frame; returns false when the session is gone (lost, or the board stopped acknowledging). */
    boolean offerOrLost(long s, FrameType type, ByteBuffer payload, long timeoutNanos) throws IOException, InterruptedException {
        Link.Offer o = link.send(s, type, 0, payload, timeoutNanos);
        if (o == Link.Offer.QUEUED) return true;
        if (isClosed()) {
            synchronized (lock) {
                checkSession(s, "transferring");
            }
        }
        lose(s, o == Link.Offer.TIMED_OUT ? "the board acknowledged nothing for " + options.requestTimeoutMs() + " ms"
                : "the session ended");
        return false;
    }

    /** Session {@code s} is over (if it is still the open one); whoever waits is woken. */
    void lose(long s, String reason) {
        synchronized (lock) {
            if (session == s) {
                link.endSession(s);
                session = 0;
                lostReason = reason;
                lock.notifyAll();
            }
        }
    }

    /** Under lock: waits on the monitor for at most {@code nanos}. */
    void waitNanos(long nanos) throws InterruptedException {
        if (nanos <= 0) return;
        lock.wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }

    // ---- reader thread

    /** Text outside frames: kept (its end) for the message when nobody answers HELLO. */
    void textSeen(byte[] bytes, int offset, int length) {
        synchronized (lock) {
            recentText.write(bytes, offset, length);
            if (recentText.size() > RECENT_TEXT_BYTES) {
                byte[] all = recentText.toByteArray();
                recentText.reset();
                recentText.write(all, all.length - RECENT_TEXT_BYTES, RECENT_TEXT_BYTES);
            }
        }
    }

    void onHelloReply(Frame frame) {
        Hello reply;
        try {
            reply = Hello.readFrom(frame.payload());
        } catch (ProtocolException e) {
            return; // unreadable: the HELLO is retried, and times out with a message
        }
        synchronized (lock) {
            if (!awaitingHello || reply.nonce() != pendingNonce) return;
            Hello own = ownHello(pendingNonce);
            if (own.commonVersion(reply) < 0) {
                incompatible = "the board (" + reply.name() + ", runtime " + reply.software() + ") speaks protocol versions "
                        + reply.minVersion() + ".." + reply.maxVersion() + ", this tool " + own.minVersion() + ".."
                        + own.maxVersion() + ": update the tool or the board's runtime";
            } else {
                board = reply;
                // The board's larger frames only when this tool set STREAM itself (sessionPayloadBytes needs both).
                session = link.openSession(reply.window(), own.sessionPayloadBytes(reply),
                        own.idleTimeoutMs(), Math.max(1, reply.idleTimeoutMs() / 4));
                awaitingHello = false;
            }
            lock.notifyAll();
        }
    }

    void onBye(Frame frame) {
        String why = frame.hasFlag(Frame.FLAG_NO_SESSION)
                ? "the board has no session with this tool (it timed out or restarted)"
                : "the board ended the session";
        synchronized (lock) {
            if (frame.hasFlag(Frame.FLAG_REPLY)) {
                byeAnswered = true;
                lock.notifyAll();
            } else if (session != 0) {
                link.endSession(session);
                session = 0;
                lostReason = why;
                lock.notifyAll();
            }
        }
    }

    void onLost(long lost, String reason) {
        synchronized (lock) {
            if (session == lost) {
                session = 0;
                lostReason = reason;
                lock.notifyAll();
            }
        }
    }

    void onClosed(String reason) {
        synchronized (lock) {
            closedReason = reason;
            session = 0;
            lostReason = reason;
            lock.notifyAll();
        }
    }
}
