package io.pirt.bundle;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A ZIP writer for tests that writes whatever it is told, including what no real tool
 * would: duplicate names, {@code ../} paths, symlink modes, lying sizes, ZIP64 sizes.
 */
final class TestZip {
    static final int MADE_BY_DOS = 20;
    static final int MADE_BY_UNIX = (3 << 8) | 20;

    /** One entry; {@code data} is written as is (already compressed for method 8). */
    static final class Entry {
        byte[] name;
        byte[] data;
        int method = 8;
        long crc;
        long compressedBytes;
        long uncompressedBytes;
        int madeBy = MADE_BY_DOS;
        long externalAttributes;
        /** If set, the central header says 0xFFFFFFFF and a ZIP64 extra field carries this. */
        Long zip64UncompressedBytes;

        Entry(String name, byte[] content) {
            this.name = name.getBytes(StandardCharsets.UTF_8);
            this.data = deflate(content);
            CRC32 c = new CRC32();
            c.update(content);
            this.crc = c.getValue();
            this.compressedBytes = data.length;
            this.uncompressedBytes = content.length;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    Entry add(String name, byte[] content) {
        Entry e = new Entry(name, content);
        entries.add(e);
        return e;
    }

    /** The entry last added with this name. */
    Entry get(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (java.util.Arrays.equals(entries.get(i).name, n)) return entries.get(i);
        }
        throw new AssertionError("no entry " + name);
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Long> offsets = new ArrayList<>();
        for (Entry e : entries) {
            offsets.add((long) out.size());
            ByteBuffer h = le(30);
            h.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0800).putShort((short) e.method)
                    .putShort((short) 0).putShort((short) 0x5021).putInt((int) e.crc)
                    .putInt((int) e.compressedBytes).putInt((int) e.uncompressedBytes)
                    .putShort((short) e.name.length).putShort((short) 0);
            out.writeBytes(h.array());
            out.writeBytes(e.name);
            out.writeBytes(e.data);
        }
        long centralOffset = out.size();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            byte[] extra = new byte[0];
            long uncompressed = e.uncompressedBytes;
            if (e.zip64UncompressedBytes != null) {
                extra = le(12).putShort((short) 1).putShort((short) 8).putLong(e.zip64UncompressedBytes).array();
                uncompressed = 0xFFFF_FFFFL;
            }
            ByteBuffer h = le(46);
            h.putInt(0x02014b50).putShort((short) e.madeBy).putShort((short) 20).putShort((short) 0x0800)
                    .putShort((short) e.method).putShort((short) 0).putShort((short) 0x5021).putInt((int) e.crc)
                    .putInt((int) e.compressedBytes).putInt((int) uncompressed)
                    .putShort((short) e.name.length).putShort((short) extra.length).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt((int) e.externalAttributes)
                    .putInt((int) (long) offsets.get(i));
            out.writeBytes(h.array());
            out.writeBytes(e.name);
            out.writeBytes(extra);
        }
        long centralBytes = out.size() - centralOffset;
        ByteBuffer end = le(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size())
                .putShort((short) entries.size()).putInt((int) centralBytes).putInt((int) centralOffset).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    static byte[] deflate(byte[] content) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            d.setInput(content);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!d.finished()) {
                out.write(buffer, 0, d.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /**
     * Raw deflate data that inflates to {@code mib} MiB of zeros, built from one
     * compressed MiB repeated, so the whole is never held inflated: about 1 KiB per MiB.
     */
    static byte[] zerosBomb(int mib) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        try {
            d.setInput(new byte[1 << 20]);
            byte[] buffer = new byte[8192];
            int n;
            do {
                n = d.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                segment.write(buffer, 0, n);
            } while (n == buffer.length || !d.needsInput());
        } finally {
            d.end();
        }
        byte[] one = segment.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(one.length * mib + 2);
        for (int i = 0; i < mib; i++) out.writeBytes(one);
        out.writeBytes(new byte[] {0x03, 0x00}); // an empty final fixed-Huffman block
        return out.toByteArray();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
