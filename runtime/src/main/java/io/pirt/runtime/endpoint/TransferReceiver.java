package io.pirt.runtime.endpoint;

import io.pirt.wire.*;

import io.pirt.wire.TransferMessages.Begin;
import io.pirt.wire.TransferMessages.Result;
import io.pirt.wire.TransferMessages.Resume;
import io.pirt.wire.TransferMessages.Status;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The board's side of file transfers (docs/protocol.md §6): keeps the partial copy of the
 * wire stream keyed by its SHA-256, tells the sender how much it has, appends data, and at
 * the end verifies the whole file's SHA-256 on the worker thread before anything is handed
 * to the {@link TransferSink}. Thread-safe: the reader thread feeds it, the writer or
 * reader thread ends sessions, the worker verifies.
 */
final class TransferReceiver {
    private static final String PART = ".part";
    private static final String INFLATING = ".inflating";
    private static final String VERIFIED = ".verified";
    private static final byte[] NO_SHA = new byte[TransferMessages.SHA256_BYTES];
    private static final int IO_BUFFER_BYTES = 64 * 1024;

    /** How the receiver answers; implemented by the endpoint. Neither method blocks. */
    interface Replies {
        /** Sends a frame in the session open when it goes out, cut to that session's payload limit. */
        void reply(FrameType type, ByteBuffer payload);

        /** Runs {@code task} on the worker thread. Returns false when the worker is saturated. */
        boolean runLater(Runnable task);

        /**
         * On the worker thread: queues a frame in the open session and returns that
         * session's id, or 0 when there is none or it cannot be queued in time.
         */
        long replyNow(FrameType type, ByteBuffer payload);

        /** On the worker thread: waits (bounded) until everything queued in {@code session} is acknowledged. */
        boolean awaitAcknowledged(long session);
    }

    private final Path directory;
    private final long maxBytes;
    private final TransferSink sink;
    private final Replies replies;
    /** Shared with the other ports' receivers: at most one transfer receives at a time. */
    private final TransferSlot slot;

    // guarded by this
    /** The transfer receiving data; null when none. Volatile: {@link TransferSlot} reads it without this lock. */
    private volatile Begin current;
    /** The link session {@link #current} arrives in. */
    private long currentSession;
    /** Open exactly while current != null. */
    private FileChannel part;
    /** Bytes of current's wire stream in the part file. */
    private long position;
    /** Wire SHA-256 of the transfer being verified on the worker; null when none. */
    private byte[] verifying;
    /**
     * The latest verification's result until the sender acknowledged it: a BEGIN of the same
     * transfer in a later session (after a cut line) gets it again. Once acknowledged it is
     * forgotten, so sending the same file again later stores it again.
     */
    private Result lastResult;
    /** The session {@link #lastResult} was sent in; a BEGIN in that session never gets it replayed. */
    private long lastResultSession;

    TransferReceiver(Path directory, long maxBytes, TransferSink sink, Replies replies, TransferSlot slot) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.sink = sink;
        this.replies = replies;
        this.slot = slot;
    }

    synchronized void begin(long session, ByteBuffer payload) {
        Begin b;
        try {
            b = Begin.readFrom(payload);
        } catch (ProtocolException e) {
            result(NO_SHA, Status.REFUSED, NO_SHA, e.getMessage());
            return;
        }
        closePart();
        if (verifying != null) {
            if (!Arrays.equals(verifying, b.wireSha256())) {
                result(b.wireSha256(), Status.REFUSED, NO_SHA,
                        "the board is still verifying the previous transfer; send " + b.name() + " again in a moment");
            } // the same transfer: its result goes out when verification ends
            return;
        }
        if (lastResult != null && lastResult.status() == Status.VERIFIED && session != lastResultSession
                && Arrays.equals(lastResult.wireSha256(), b.wireSha256())) {
            replies.reply(FrameType.TRANSFER_RESULT, encode(lastResult));
            return;
        }
        if (b.fileBytes() > maxBytes || b.wireBytes() > maxBytes) {
            result(b.wireSha256(), Status.REFUSED, NO_SHA, b.name() + " is " + Math.max(b.fileBytes(), b.wireBytes())
                    + " bytes; this board accepts transfers of at most " + maxBytes + " bytes (" + (maxBytes >> 20)
                    + " MiB, the largest bundle): nothing was written; make the bundle smaller");
            return;
        }
        Optional<String> other = slot.claim(this, b.wireSha256());
        if (other.isPresent()) {
            result(b.wireSha256(), Status.REFUSED, NO_SHA, "the board is receiving " + other.get()
                    + " over another connection; send " + b.name() + " again when that transfer has ended");
            return;
        }
        Path partPath = partPath(b.wireSha256());
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            deleteLeftoversExcept(partPath);
            channel = FileChannel.open(partPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long have = channel.size();
            if (have > b.wireBytes()) {
                channel.truncate(0);
                have = 0;
            }
            long need = (b.wireBytes() - have)
                    + (b.compression() == TransferMessages.COMPRESSION_DEFLATE ? b.fileBytes() : 0);
            // statvfs on the directory itself. Files.getFileStore would look the directory's mount
            // up in /proc/self/mountinfo, which fails ("Mount point not found") where the root is
            // not in that table: a chroot (tests/arm64/run.sh) or some containers.
            long usable = directory.toFile().getUsableSpace();
            if (usable < need) {
                channel.close();
                result(b.wireSha256(), Status.REFUSED, NO_SHA, "not enough space for " + b.name() + " in " + directory
                        + ": " + need + " bytes needed, " + usable + " free; remove old bundles");
                return;
            }
            channel.position(have);
            current = b;
            currentSession = session;
            part = channel;
            position = have;
            ByteBuffer out = payloadBuffer();
            new Resume(b.wireSha256(), have).writeTo(out);
            replies.reply(FrameType.TRANSFER_RESUME, out.flip());
        } catch (IOException e) {
            closeQuietly(channel);
            result(b.wireSha256(), Status.REFUSED, NO_SHA, "cannot keep " + b.name() + " in " + partPath + ": " + e);
        }
    }

    /** Appends one DATA frame's bytes. Allocation-free unless it fails. */
    synchronized void data(ByteBuffer payload) {
        if (current == null) return; // after a failure, or a stray frame: the sender was told
        long offset = TransferMessages.readDataOffset(payload);
        if (offset != position) {
            fail("data for " + current.name() + " at offset " + offset + " where " + position
                    + " was expected; send it again", true);
            return;
        }
        int n = payload.remaining();
        if (position + n > current.wireBytes()) {
            fail(current.name() + " brought more than the " + current.wireBytes() + " bytes announced", true);
            return;
        }
        try {
            while (payload.hasRemaining()) part.write(payload);
            position += n;
        } catch (IOException e) {
            fail("writing " + current.name() + " to " + directory + " failed: " + e.getMessage()
                    + "; check free space and send it again", false);
        }
    }

    synchronized void end(ByteBuffer payload) {
        byte[] wireSha;
        try {
            wireSha = TransferMessages.readEnd(payload);
        } catch (ProtocolException e) {
            result(NO_SHA, Status.FAILED, NO_SHA, e.getMessage());
            return;
        }
        if (current == null || !Arrays.equals(wireSha, current.wireSha256())) {
            if (!Arrays.equals(wireSha, verifying)) {
                result(wireSha, Status.FAILED, NO_SHA, "TRANSFER_END for a transfer that is not in progress; send it again");
            }
            return;
        }
        if (position != current.wireBytes()) {
            fail(current.name() + " ended after " + position + " of " + current.wireBytes() + " bytes; send it again", false);
            return;
        }
        Begin b = current;
        closePart();
        verifying = b.wireSha256();
        if (!replies.runLater(() -> verify(b))) {
            verifying = null;
            result(wireSha, Status.FAILED, NO_SHA, "the board is too busy to verify " + b.name() + "; send it again");
        }
    }

    /** The transfer receiving data now, or null; for {@link TransferSlot}, without this lock. */
    Begin receiving() {
        return current;
    }

    /** Session {@code session} ended: if the current transfer came in it, stop; keep the partial copy for a resume. */
    synchronized void sessionEnded(long session) {
        if (current != null && currentSession == session) closePart();
    }

    /** Worker thread: checks the whole file and hands it on only if its SHA-256 matches. */
    private void verify(Begin b) {
        Result r = check(b);
        long sentIn;
        synchronized (this) {
            verifying = null;
            lastResult = r;
            lastResultSession = sentIn = replies.replyNow(FrameType.TRANSFER_RESULT, encode(r));
        }
        if (sentIn != 0 && replies.awaitAcknowledged(sentIn)) {
            synchronized (this) {
                if (lastResult == r) lastResult = null;
            }
        }
    }

    private Result check(Begin b) {
        Path partPath = partPath(b.wireSha256());
        Path temp = directory.resolve(TransferMessages.hex(b.wireSha256()) + INFLATING);
        Path verified = directory.resolve(TransferMessages.hex(b.fileSha256()) + VERIFIED);
        byte[] actual;
        try {
            if (b.compression() == TransferMessages.COMPRESSION_NONE) {
                actual = digest(partPath);
            } else {
                actual = inflate(partPath, temp, b.fileBytes());
            }
        } catch (IOException e) {
            deleteQuietly(temp);
            return new Result(b.wireSha256(), Status.FAILED, NO_SHA,
                    "reading back " + b.name() + " failed: " + e.getMessage() + "; send it again");
        } catch (DataFormatException e) {
            deleteQuietly(temp);
            deleteQuietly(partPath);
            return new Result(b.wireSha256(), Status.MISMATCH, NO_SHA,
                    b.name() + " did not inflate (" + e.getMessage() + "); nothing was stored; send it again");
        }
        if (!Arrays.equals(actual, b.fileSha256())) {
            deleteQuietly(temp);
            deleteQuietly(partPath);
            return new Result(b.wireSha256(), Status.MISMATCH, actual, "SHA-256 of " + b.name() + " as received is "
                    + TransferMessages.hex(actual) + ", the sender announced " + TransferMessages.hex(b.fileSha256())
                    + "; nothing was stored. Send it again; if this repeats, the file changed while it was sent");
        }
        try {
            Files.move(b.compression() == TransferMessages.COMPRESSION_NONE ? partPath : temp, verified,
                    StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            deleteQuietly(partPath);
            sink.accept(b.name(), verified, TransferMessages.hex(actual));
            return new Result(b.wireSha256(), Status.VERIFIED, actual,
                    b.name() + " verified (" + b.fileBytes() + " bytes, SHA-256 " + TransferMessages.hex(actual) + ")");
        } catch (IOException | RuntimeException e) {
            return new Result(b.wireSha256(), Status.FAILED, actual,
                    "the board could not store " + b.name() + ": " + e.getMessage());
        } finally {
            deleteQuietly(verified);
            deleteQuietly(temp);
        }
    }

    private static byte[] digest(Path file) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[IO_BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
        }
        return sha.digest();
    }

    /** Inflates {@code from} into {@code to}, writing at most {@code expectedBytes}; returns the SHA-256 of what it wrote. */
    private static byte[] inflate(Path from, Path to, long expectedBytes) throws IOException, DataFormatException {
        MessageDigest sha = sha256();
        Inflater inflater = new Inflater(true);
        byte[] input = new byte[IO_BUFFER_BYTES];
        byte[] output = new byte[IO_BUFFER_BYTES];
        long written = 0;
        try (InputStream in = Files.newInputStream(from); OutputStream out = Files.newOutputStream(to)) {
            boolean eof = false;
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    int n = eof ? -1 : in.read(input);
                    if (n < 0) {
                        if (eof) throw new DataFormatException("the deflate stream ends early");
                        eof = true;
                        inflater.setInput(new byte[1]); // raw inflate may want one byte past the end
                        continue;
                    }
                    inflater.setInput(input, 0, n);
                }
                int n = inflater.inflate(output);
                if (n == 0 && inflater.needsDictionary()) throw new DataFormatException("the stream needs a dictionary");
                written += n;
                if (written > expectedBytes) {
                    throw new DataFormatException("it inflates to more than the " + expectedBytes + " bytes announced");
                }
                sha.update(output, 0, n);
                out.write(output, 0, n);
            }
        } finally {
            inflater.end();
        }
        if (written != expectedBytes) {
            throw new DataFormatException("it inflates to " + written + " bytes, " + expectedBytes + " were announced");
        }
        return sha.digest();
    }

    private void fail(String message, boolean deletePartial) {
        byte[] wireSha = current.wireSha256();
        Path partPath = partPath(wireSha);
        closePart();
        if (deletePartial) deleteQuietly(partPath);
        result(wireSha, Status.FAILED, NO_SHA, message);
    }

    private void result(byte[] wireSha, Status status, byte[] actual, String message) {
        replies.reply(FrameType.TRANSFER_RESULT, encode(new Result(wireSha, status, actual, message)));
    }

    private static ByteBuffer encode(Result r) {
        ByteBuffer out = payloadBuffer();
        r.writeTo(out);
        return out.flip();
    }

    private static ByteBuffer payloadBuffer() {
        return ByteBuffer.allocate(Frame.MAX_PAYLOAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Under this: closes the part file and forgets the current transfer. */
    private void closePart() {
        closeQuietly(part);
        part = null;
        current = null;
    }

    private Path partPath(byte[] wireSha) {
        return directory.resolve(TransferMessages.hex(wireSha) + PART);
    }

    /** One partial copy at most: a cut transfer costs at most one file's worth of disk. */
    private void deleteLeftoversExcept(Path keep) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                "*{" + PART + "," + INFLATING + "," + VERIFIED + "}")) {
            for (Path p : entries) if (!p.equals(keep)) Files.deleteIfExists(p);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // the data written before is what counts; a failing close of a partial copy changes nothing the sender can act on
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover is removed at the next BEGIN (deleteLeftoversExcept)
        }
    }
}
