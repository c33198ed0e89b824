package io.pirt.runtime.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines of UTF-8 text (ended by {@code \n}, a {@code \r} before it removed) from the
 * application's output, each cut to at most {@code maxLineBytes}: the rest of a longer line
 * is read and dropped, and the line ends with a marker saying how many bytes were dropped.
 * So however long a line the application prints, reading it holds at most
 * {@code maxLineBytes} (a line is never cut inside a character). Bytes that are not UTF-8
 * read as U+FFFD. One reader thread; not thread-safe.
 */
final class BoundedLineReader {
    private final InputStream in;
    /** The current line's bytes kept so far; its length is the cap. */
    private final byte[] line;
    /** Bytes read from {@code in} and not yet looked at: {@code chunk[chunkAt, chunkEnd)}. */
    private final byte[] chunk = new byte[8192];
    private int chunkAt;
    private int chunkEnd;

    BoundedLineReader(InputStream in, int maxLineBytes) {
        if (maxLineBytes < 4) throw new IllegalArgumentException("maxLineBytes " + maxLineBytes + " must hold a character (4 bytes)");
        this.in = in;
        this.line = new byte[maxLineBytes];
    }

    /**
     * The next line, cut if it was longer than the cap; null at the end of the stream. A last
     * line without {@code \n} is returned too.
     *
     * @throws IOException if reading the stream fails
     */
    String readLine() throws IOException {
        int kept = 0;
        long dropped = 0;
        boolean any = false;
        while (true) {
            if (chunkAt == chunkEnd) {
                int n = in.read(chunk);
                if (n < 0) {
                    if (!any) return null;
                    break;
                }
                chunkAt = 0;
                chunkEnd = n;
                continue;
            }
            byte b = chunk[chunkAt++];
            any = true;
            if (b == '\n') break;
            if (kept < line.length) line[kept++] = b;
            else dropped++;
        }
        if (dropped == 0) {
            if (kept > 0 && line[kept - 1] == '\r') kept--;
            return new String(line, 0, kept, StandardCharsets.UTF_8);
        }
        int whole = wholeCharacters(kept);
        dropped += kept - whole;
        return new String(line, 0, whole, StandardCharsets.UTF_8) + " [pirt: " + dropped
                + " more bytes of this line dropped; the runtime keeps at most " + line.length + " bytes of a line]";
    }

    /** How many of {@code line[0, kept)} end on a character boundary: a character the cut split is left out. */
    private int wholeCharacters(int kept) {
        int start = kept - 1;
        while (start > 0 && (line[start] & 0xC0) == 0x80) start--; // back over continuation bytes to the lead byte
        int lead = line[start] & 0xFF;
        int length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return kept - start < length ? start : kept;
    }
}
