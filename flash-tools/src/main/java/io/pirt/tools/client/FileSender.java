package io.pirt.tools.client;

import io.pirt.wire.Frame;
import io.pirt.wire.FrameType;
import io.pirt.wire.Hello;
import io.pirt.wire.Link;
import io.pirt.wire.ProtocolException;
import io.pirt.wire.TransferMessages;
import io.pirt.wire.TransferMessages.Begin;
import io.pirt.wire.TransferMessages.Result;
import io.pirt.wire.TransferMessages.Resume;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.Deflater;

/**
 * The host's side of a file transfer (docs/protocol.md §6): BEGIN, the board's RESUME,
 * DATA from what the board already has, END, and the board's RESULT; across lost sessions,
 * saying hello again until the reconnect deadline. The DATA size follows the loss measured on
 * the link. One transfer at a time per client (callers serialise; the protocol has one per
 * session).
 */
final class FileSender {
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Frames between two measurements of the loss that sets the DATA size. */
    private static final int LOSS_SAMPLE_FRAMES = 48;
    /** Bytes a DATA frame costs besides its data: offset, header, CRC, COBS, delimiters (docs/protocol.md §8). */
    private static final int FRAME_OVERHEAD_BYTES = Frame.MAX_WIRE_BYTES - Frame.MAX_PAYLOAD_BYTES
            + TransferMessages.DATA_HEADER_BYTES;
    private static final int MIN_CHUNK_BYTES = 64;
    private static final byte[] NO_SHA = new byte[TransferMessages.SHA256_BYTES];

    private final ClientSession session;
    private final Link link;
    private final BoardClient.Options options;
    /** TRANSFER_RESUME and TRANSFER_RESULT messages not yet taken by the transfer. Guarded by session.lock. */
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();

    FileSender(ClientSession session, Link link, BoardClient.Options options) {
        this.session = session;
        this.link = link;
        this.options = options;
    }

    /** Reader thread: a TRANSFER_RESUME or TRANSFER_RESULT from the board. */
    void onReply(Frame frame) {
        ByteBuffer p = frame.payload();
        Object message;
        try {
            message = frame.type() == FrameType.TRANSFER_RESUME ? Resume.readFrom(p) : Result.readFrom(p);
        } catch (ProtocolException e) {
            message = new Result(NO_SHA, TransferMessages.Status.FAILED, NO_SHA, "the board's answer was malformed: " + e.getMessage());
        }
        synchronized (session.lock) {
            inbox.add(message);
            session.lock.notifyAll();
        }
    }

    /** See {@link BoardClient#transfer}. */
    TransferReport send(Path file, String name, Consumer<TransferProgress> progress) throws IOException, InterruptedException {
        if (!TransferMessages.validName(name)) {
            throw new IllegalArgumentException("transfer name '" + name + "' is not [A-Za-z0-9._-], 1..128 bytes, "
                    + "not starting with '.'");
        }
        if (Files.size(file) > TransferMessages.MAX_TRANSFER_BYTES || Files.size(file) > Integer.MAX_VALUE - 64) {
            throw new ProtocolException(file + " is " + Files.size(file) + " bytes; a transfer carries less than 2 GiB");
        }
        byte[] data = Files.readAllBytes(file);
        byte[] fileSha = sha256(data);
        session.ensure();
        byte[] wire = data;
        int compression = TransferMessages.COMPRESSION_NONE;
        if (options.compress() && session.board().shares(session.ownHello(0), Hello.DEFLATE)) {
            byte[] deflated = deflate(data);
            if (deflated.length <= data.length - data.length / 50) {
                wire = deflated;
                compression = TransferMessages.COMPRESSION_DEFLATE;
            }
        }
        byte[] wireSha = compression == TransferMessages.COMPRESSION_NONE ? fileSha : sha256(wire);
        Begin begin = new Begin(compression, data.length, wire.length, fileSha, wireSha, name);
        ByteBuffer beginPayload = ByteBuffer.allocate(Frame.MAX_PAYLOAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        begin.writeTo(beginPayload);
        beginPayload.flip();

        long started = System.nanoTime();
        long dataBytesSent = 0;
        long resumedFrom = 0;
        int sessions = 0;
        long reconnectNanos = TimeUnit.MILLISECONDS.toNanos(options.reconnectTimeoutMs());
        long reconnectDeadline = started + reconnectNanos;
        while (true) {
            long s;
            try {
                s = session.ensure();
            } catch (ProtocolException e) {
                if (System.nanoTime() - reconnectDeadline >= 0 || session.isClosed()) {
                    throw new ProtocolException("lost the board while sending " + name + " and could not say hello again within "
                            + options.reconnectTimeoutMs() + " ms (" + e.getMessage() + "). Run the same transfer again: "
                            + "the board keeps what it received and continues from there", e);
                }
                continue;
            }
            sessions++;
            synchronized (session.lock) {
                inbox.clear();
            }
            long requestNanos = TimeUnit.MILLISECONDS.toNanos(options.requestTimeoutMs());
            Object reply = null;
            if (session.offerOrLost(s, FrameType.TRANSFER_BEGIN, beginPayload.duplicate(), requestNanos)) {
                reply = awaitReply(s, wireSha, requestNanos, "TRANSFER_BEGIN of " + name);
            }
            if (reply instanceof Result r) return finish(r, name, fileSha, data.length, wire.length, compression,
                    resumedFrom, dataBytesSent, sessions, started);
            if (reply instanceof Resume resume) {
                if (resume.haveBytes() > wire.length) {
                    throw new ProtocolException("the board says it holds " + resume.haveBytes() + " bytes of " + name
                            + ", which is " + wire.length + " bytes long; this is a bug in the board's runtime");
                }
                resumedFrom = resume.haveBytes();
                long reached = sendData(s, wire, resume.haveBytes(), progress);
                dataBytesSent += reached - resume.haveBytes();
                if (reached == wire.length) {
                    ByteBuffer end = ByteBuffer.allocate(TransferMessages.SHA256_BYTES);
                    TransferMessages.writeEnd(end, wireSha);
                    if (session.offerOrLost(s, FrameType.TRANSFER_END, end.flip(), requestNanos)) {
                        // The board reads the file back and hashes it before answering: allow for that.
                        long verifyNanos = requestNanos + TimeUnit.MILLISECONDS.toNanos(wire.length / 10_000 + data.length / 10_000);
                        Object result = awaitReply(s, wireSha, verifyNanos, "the verification of " + name);
                        if (result instanceof Result r) return finish(r, name, fileSha, data.length, wire.length,
                                compression, resumedFrom, dataBytesSent, sessions, started);
                    }
                }
            }
            // The session was lost: say hello again until the reconnect deadline.
            reconnectDeadline = System.nanoTime() + reconnectNanos;
        }
    }

    /**
     * Sends {@code wire} from {@code from} in DATA frames of session {@code s}. Returns the
     * offset reached: {@code wire.length} unless the session was lost on the way.
     */
    private long sendData(long s, byte[] wire, long from, Consumer<TransferProgress> progress)
            throws IOException, InterruptedException {
        int maxChunk = link.maxPayloadBytes() - TransferMessages.DATA_HEADER_BYTES;
        int chunk = maxChunk;
        ByteBuffer frame = ByteBuffer.allocate(link.maxPayloadBytes()).order(ByteOrder.LITTLE_ENDIAN);
        long start = System.nanoTime();
        long lastReport = start;
        long requestNanos = TimeUnit.MILLISECONDS.toNanos(options.requestTimeoutMs());
        Link.Stats measuredFrom = link.stats();
        long at = from;
        while (at < wire.length) {
            Result early = takeResult();
            if (early != null) throw new TransferRefusedException(early.status(), early.message());
            Link.Stats counted = link.stats();
            long sent = counted.framesSent() - measuredFrom.framesSent();
            if (sent >= LOSS_SAMPLE_FRAMES) {
                long resent = counted.retransmissions() - measuredFrom.retransmissions();
                chunk = chunkForLoss((double) resent / sent, chunk, maxChunk);
                measuredFrom = counted;
            }
            int n = (int) Math.min(chunk, wire.length - at);
            frame.clear();
            TransferMessages.writeDataHeader(frame, at);
            frame.put(wire, (int) at, n).flip();
            if (!session.offerOrLost(s, FrameType.TRANSFER_DATA, frame, requestNanos)) {
                report(progress, from, at, wire.length, start);
                return at;
            }
            at += n;
            long now = System.nanoTime();
            if (now - lastReport >= PROGRESS_EVERY_NANOS) {
                lastReport = now;
                report(progress, from, at, wire.length, start);
            }
        }
        report(progress, from, at, wire.length, start);
        return at;
    }

    /**
     * The DATA size that carries the most file bytes per line byte at the frame loss
     * measured with frames of {@code chunk} bytes: a frame of {@code n} bytes plus overhead
     * {@code o} arrives whole with probability {@code (1-p)^(n+o)} at a byte error rate
     * {@code p}, and {@code (1-p)^(n+o) * n/(n+o)} peaks at
     * {@code n = (-o + sqrt(o^2 + 4o/p)) / 2}: about 130 bytes at {@code p = 1e-3}, the
     * largest frame on a clean line.
     */
    static int chunkForLoss(double frameLoss, int chunk, int maxChunk) {
        if (frameLoss <= 0) return maxChunk;
        double o = FRAME_OVERHEAD_BYTES;
        double byteError = 1 - Math.pow(1 - Math.min(frameLoss, 0.99), 1 / (chunk + o));
        double best = (-o + Math.sqrt(o * o + 4 * o / byteError)) / 2;
        return (int) Math.max(MIN_CHUNK_BYTES, Math.min(maxChunk, best));
    }

    private static void report(Consumer<TransferProgress> progress, long from, long at, long total, long startNanos) {
        if (progress == null) return;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = seconds > 0 ? (at - from) / seconds : 0;
        long eta = rate > 0 ? (long) ((total - at) / rate * 1000) : -1;
        progress.accept(new TransferProgress(at, total, rate, eta));
    }

    /** A RESULT that arrived while data was still going out: the board gave up on the transfer. */
    private Result takeResult() {
        synchronized (session.lock) {
            for (Object m : inbox) {
                if (m instanceof Result r) {
                    inbox.remove(m);
                    return r;
                }
            }
            return null;
        }
    }

    /** Waits for a RESUME or RESULT about {@code wireSha}; null when the session was lost. */
    private Object awaitReply(long s, byte[] wireSha, long timeoutNanos, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (session.lock) {
            while (true) {
                Object m;
                while ((m = inbox.poll()) != null) {
                    byte[] about = m instanceof Result r ? r.wireSha256() : ((Resume) m).wireSha256();
                    if (Arrays.equals(about, wireSha) || Arrays.equals(about, NO_SHA)) return m;
                }
                if (session.closedReason() != null) session.checkSession(s, "waiting for " + what);
                if (!session.isOpen(s)) return null;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ProtocolException("the board did not answer " + what + " within "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
                }
                session.waitNanos(left);
            }
        }
    }

    private static TransferReport finish(Result r, String name, byte[] fileSha, long fileBytes, long wireBytes, int compression,
                                         long resumedFrom, long dataBytesSent, int sessions, long startedNanos)
            throws ProtocolException {
        if (r.status() != TransferMessages.Status.VERIFIED) throw new TransferRefusedException(r.status(), r.message());
        if (!Arrays.equals(r.actualFileSha256(), fileSha)) {
            throw new ProtocolException("the board reported " + name + " verified with SHA-256 "
                    + TransferMessages.hex(r.actualFileSha256()) + ", but the file's is " + TransferMessages.hex(fileSha)
                    + "; this is a bug in the board's runtime");
        }
        return new TransferReport(name, TransferMessages.hex(fileSha), fileBytes, wireBytes,
                compression == TransferMessages.COMPRESSION_DEFLATE, resumedFrom, dataBytesSent, sessions,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
            byte[] buffer = new byte[64 * 1024];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
