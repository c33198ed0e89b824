package io.pirt.bundle;

import io.pirt.bundle.BundleRejectedException.Reason;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Streams one entry's bytes, inflated, to a {@link Sink}, never producing more than the
 * entry declares: the count is checked after every buffer, so a bomb costs at most one
 * buffer ({@value #BUFFER_BYTES} bytes) beyond its declared size, however it lies.
 */
final class EntryStream {
    static final int BUFFER_BYTES = 64 << 10;

    /** Receives an entry's bytes in order. */
    interface Sink {
        void accept(byte[] bytes, int offset, int length) throws IOException;
    }

    private EntryStream() {
    }

    /**
     * @throws BundleRejectedException {@code COMPRESSION_BOMB} if the entry inflates past its
     *                                 declared size, {@code MALFORMED_ARCHIVE} if its data is corrupt or short
     * @throws IOException             if the file cannot be read or the sink fails
     */
    static void copy(FileChannel file, ZipEntryRecord entry, Sink sink) throws IOException, BundleRejectedException {
        if (entry.method() == ZipEntryRecord.STORED) {
            copyStored(file, entry, sink);
        } else {
            inflate(file, entry, sink);
        }
    }

    private static void copyStored(FileChannel file, ZipEntryRecord entry, Sink sink)
            throws IOException, BundleRejectedException {
        byte[] buffer = new byte[(int) Math.min(BUFFER_BYTES, Math.max(1, entry.compressedBytes()))];
        long position = entry.dataOffset(), end = position + entry.compressedBytes();
        while (position < end) {
            int n = read(file, position, buffer, (int) Math.min(buffer.length, end - position), entry);
            sink.accept(buffer, 0, n);
            position += n;
        }
    }

    private static void inflate(FileChannel file, ZipEntryRecord entry, Sink sink)
            throws IOException, BundleRejectedException {
        String name = entry.name();
        byte[] in = new byte[BUFFER_BYTES];
        byte[] out = new byte[BUFFER_BYTES];
        long position = entry.dataOffset(), end = position + entry.compressedBytes();
        long produced = 0;
        int stalls = 0; // consecutive inflate calls that made no progress; bounded so nothing can spin
        Inflater inflater = new Inflater(true);
        try {
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    if (position >= end) {
                        throw ZipDirectory.malformed("the entry '" + name + "': its compressed data ends early");
                    }
                    int n = read(file, position, in, (int) Math.min(in.length, end - position), entry);
                    position += n;
                    inflater.setInput(in, 0, n);
                }
                int n;
                try {
                    n = inflater.inflate(out);
                } catch (DataFormatException e) {
                    throw new BundleRejectedException(Reason.MALFORMED_ARCHIVE,
                            "the entry '" + name + "': its compressed data is corrupt (" + e.getMessage() + ")", e);
                }
                if (n == 0) {
                    if (inflater.needsDictionary() || (!inflater.needsInput() && !inflater.finished() && ++stalls > 2)) {
                        throw ZipDirectory.malformed("the entry '" + name + "': its compressed data cannot be inflated");
                    }
                    continue;
                }
                stalls = 0;
                if (n > entry.uncompressedBytes() - produced) {
                    throw new BundleRejectedException(Reason.COMPRESSION_BOMB, "the entry '" + name
                            + "' inflates to more than the " + entry.uncompressedBytes()
                            + " bytes it declares; stopped there");
                }
                produced += n;
                sink.accept(out, 0, n);
            }
            if (inflater.getRemaining() > 0 || position < end) {
                throw ZipDirectory.malformed("the entry '" + name + "' has bytes after its compressed data");
            }
        } finally {
            inflater.end();
        }
        if (produced != entry.uncompressedBytes()) {
            throw ZipDirectory.malformed("the entry '" + name + "' inflates to " + produced + " bytes but declares "
                    + entry.uncompressedBytes());
        }
    }

    private static int read(FileChannel file, long position, byte[] buffer, int length, ZipEntryRecord entry)
            throws IOException, BundleRejectedException {
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, length);
        while (b.hasRemaining()) {
            if (file.read(b, position + b.position()) < 0) {
                throw new BundleRejectedException(Reason.TRUNCATED, "the file ends inside the entry '"
                        + entry.name() + "': the file is truncated; copy or build it again");
            }
        }
        return length;
    }
}
