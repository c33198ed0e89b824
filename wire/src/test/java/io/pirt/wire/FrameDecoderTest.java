package io.pirt.wire;

import io.pirt.wire.FrameDecoder.Refusal;
import io.pirt.wire.Frames.Collector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecoderTest {
    private static final long MS = 1_000_000;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void textAroundFramesIsHandedOnInOrder() {
        byte[] frame = Frames.encode(FrameType.CONSOLE_IN, 0, 5, 6, ascii("ls\r"));
        byte[] stream = Frames.concat(ascii("hello "), frame, ascii("world\r\n"));
        Collector c = new Collector();
        new FrameDecoder(c).feed(stream, 0, stream.length, 0);
        assertEquals("hello world\r\n", c.text.toString(StandardCharsets.US_ASCII));
        assertEquals(1, c.frames.size());
        assertEquals(5, c.frames.get(0).seq());
    }

    @Test
    void framesSplitAcrossReadsAreReassembled() {
        byte[] stream = Frames.concat(Frames.encode(FrameType.ACK, 0, 0, 1, new byte[4]),
                Frames.encode(FrameType.REQUEST, 0, 1, 2, ascii("payload")));
        Collector c = new Collector();
        FrameDecoder d = new FrameDecoder(c);
        for (int i = 0; i < stream.length; i++) d.feed(stream, i, 1, i * 1000L); // one byte per microsecond
        assertEquals(2, c.frames.size());
        assertEquals(0, c.refusals.size());
    }

    @Test
    void textTypedAfterAStrayNulReachesTheShellAfterAPause() {
        Collector c = new Collector();
        FrameDecoder d = new FrameDecoder(c);
        byte[] typed = Frames.concat(new byte[] {0}, ascii("ls"));
        d.feed(typed, 0, typed.length, 0);
        assertEquals(0, c.text.size(), "held as a possible frame");
        d.feed(ascii("\r"), 0, 1, 300 * MS);
        assertEquals("ls\r", c.text.toString(StandardCharsets.US_ASCII));
        assertEquals(0, c.refusals.size());
    }

    @Test
    void aCandidateLongerThanAnyFrameIsText() {
        Collector c = new Collector();
        byte[] stream = new byte[1 + 3000];
        java.util.Arrays.fill(stream, (byte) 'x');
        stream[0] = 0;
        FrameDecoder d = new FrameDecoder(c);
        d.feed(stream, 0, stream.length, 0);
        assertEquals(3000, c.text.size());
        assertEquals(Frame.MAX_ENCODED_BYTES, d.bufferBytes());
    }

    @Test
    void eachCheckRefusesWithItsReason() {
        byte[] good = Frames.encode(FrameType.RESPONSE, 0, 1, 1, ascii("ok"));
        byte[] badCrc = good.clone();
        badCrc[5] ^= 0x10;
        byte[] stream = Frames.concat(
                badCrc,
                Frames.craft(2, FrameType.ACK.code(), 4, new byte[4]),            // another version
                Frames.craft(1, FrameType.ACK.code(), 0xFFFF, new byte[4]),       // huge declared length
                Frames.craft(1, 0x7E, 0, new byte[0]),                            // no such type
                new byte[] {0, 3, 1, 1, 0},                                       // 2 bytes decoded
                new byte[] {0, 9, 1, 0},                                          // code points past the end
                good);
        Collector c = new Collector();
        new FrameDecoder(c).feed(stream, 0, stream.length, 0);
        assertEquals(List.of(Refusal.BAD_CRC, Refusal.BAD_VERSION, Refusal.BAD_LENGTH, Refusal.UNKNOWN_TYPE,
                Refusal.TOO_SHORT, Refusal.BAD_COBS), c.refusals);
        assertEquals(1, c.frames.size(), "the good frame after them");
    }

    @Test
    void aDroppedDelimiterCostsNoFrameWhileASessionIsOpen() {
        byte[] a = Frames.encode(FrameType.CONSOLE_OUT, 0, 1, 0, ascii("first"));
        byte[] b = Frames.encode(FrameType.CONSOLE_OUT, 0, 2, 0, ascii("second"));
        byte[] stream = Frames.concat(java.util.Arrays.copyOf(a, a.length - 1), b); // a's closing 0x00 dropped
        Collector open = new Collector();
        FrameDecoder d = new FrameDecoder(open);
        d.expectFrames(true);
        d.feed(stream, 0, stream.length, 0);
        assertEquals(List.of(1, 2), open.frames.stream().map(Frames.Seen::seq).toList());

        Collector noSession = new Collector();
        new FrameDecoder(noSession).feed(stream, 0, stream.length, 0);
        assertEquals(List.of(1), noSession.frames.stream().map(Frames.Seen::seq).toList(),
                "without a session, bytes right after a frame are text");
    }

    @Test
    void textRightAfterAFrameIsTextWithoutASession() {
        byte[] bye = Frames.encode(FrameType.BYE, Frame.FLAG_REPLY, 0, 0, new byte[0]);
        byte[] stream = Frames.concat(bye, ascii("ls\r"));
        Collector c = new Collector();
        new FrameDecoder(c).feed(stream, 0, stream.length, 0);
        assertEquals("ls\r", c.text.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void typingHeldAfterAFrameBecomesTextOnceTheSessionHasEnded() {
        Collector c = new Collector();
        FrameDecoder d = new FrameDecoder(c);
        d.expectFrames(true);
        byte[] hello = Frames.encode(FrameType.HELLO, 0, 0, 0, new byte[20]);
        d.feed(hello, 0, hello.length, 0);
        d.expectFrames(false); // the board ended the session: the tool went silent
        d.feed(ascii("l"), 0, 1, MS);
        assertEquals("l", c.text.toString(StandardCharsets.US_ASCII), "the first keystroke is not held");
    }

    @Test
    void inASessionAFullFrameWithADuplicatedByteIsRefusedNotText() {
        byte[] full = new byte[Frame.MAX_PAYLOAD_BYTES];
        java.util.Arrays.fill(full, (byte) 7);
        byte[] damaged = Frames.encode(FrameType.TRANSFER_DATA, 0, 1, 0, full);
        damaged = Frames.concat(java.util.Arrays.copyOf(damaged, 500), new byte[] {damaged[499]},
                java.util.Arrays.copyOfRange(damaged, 500, damaged.length));
        byte[] next = Frames.encode(FrameType.TRANSFER_DATA, 0, 2, 0, ascii("next"));
        byte[] stream = Frames.concat(damaged, next);
        Collector c = new Collector();
        FrameDecoder d = new FrameDecoder(c);
        d.expectFrames(true);
        d.feed(stream, 0, stream.length, 0);
        assertEquals(List.of(Refusal.TOO_LONG), c.refusals);
        assertEquals(0, c.text.size());
        assertEquals(List.of(2), c.frames.stream().map(Frames.Seen::seq).toList());
    }

    @Test
    void aLostDelimiterCostsOnlyTheFrameNextToIt() {
        byte[] a = Frames.encode(FrameType.CONSOLE_OUT, 0, 1, 0, ascii("first"));
        byte[] b = Frames.encode(FrameType.CONSOLE_OUT, 0, 2, 0, ascii("second"));
        byte[] c = Frames.encode(FrameType.CONSOLE_OUT, 0, 3, 0, ascii("third"));
        byte[] stream = Frames.concat(a, b, c);
        stream[a.length - 1] = 0x41; // a's closing delimiter arrives damaged
        Collector col = new Collector();
        new FrameDecoder(col).feed(stream, 0, stream.length, 0);
        assertEquals(List.of(2, 3), col.frames.stream().map(Frames.Seen::seq).toList());
        assertTrue(col.refusals.size() >= 1);
    }
}
