package io.pirt.wire;

import io.pirt.wire.Frames.Collector;
import io.pirt.wire.Frames.Seen;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameCodecTest {

    @Property(tries = 300)
    void everyFieldSurvivesARoundTrip(@ForAll FrameType type, @ForAll @IntRange(max = 255) int flags,
                                      @ForAll @IntRange(max = 0xFFFF) int seq, @ForAll @IntRange(max = 0xFFFF) int ack,
                                      @ForAll @Size(max = Frame.MAX_PAYLOAD_BYTES) byte[] payload) {
        byte[] wire = Frames.encode(type, flags, seq, ack, payload);
        assertTrue(wire.length <= Frame.MAX_WIRE_BYTES, "frame of " + wire.length + " bytes");
        assertEquals(0, wire[0]);
        assertEquals(0, wire[wire.length - 1]);
        for (int i = 1; i < wire.length - 1; i++) assertTrue(wire[i] != 0, "0x00 inside the frame at " + i);

        Collector c = new Collector();
        new FrameDecoder(c).feed(wire, 0, wire.length, 0);
        assertEquals(1, c.frames.size(), "refusals: " + c.refusals);
        assertTrue(c.frames.get(0).sameAs(new Seen(type, flags, seq, ack, payload)));
        assertEquals(0, c.text.size());
    }

    @Test
    void cobsRoundTripsBlocksAroundTheRunLimit() {
        Random random = new Random(7);
        for (int n : new int[] {0, 1, 253, 254, 255, 508, 1037}) {
            for (boolean zeros : new boolean[] {false, true}) {
                byte[] data = new byte[n];
                for (int i = 0; i < n; i++) data[i] = zeros && i % 97 == 0 ? 0 : (byte) (1 + random.nextInt(255));
                byte[] encoded = new byte[Cobs.maxEncodedLength(n)];
                int m = Cobs.encode(data, n, encoded, 0);
                assertTrue(m <= Cobs.maxEncodedLength(n));
                assertEquals(n, Cobs.decode(encoded, m));
                assertArrayEquals(data, java.util.Arrays.copyOf(encoded, n));
            }
        }
    }

    /** docs/protocol.md §8: a full DATA frame costs at most 24 bytes for 1020 bytes of file. */
    @Test
    void fullDataFrameOverheadIsAtMostTwentyFourBytes() {
        Random random = new Random(11);
        long wireBytes = 0;
        int frames = 2000;
        int worst = 0;
        for (int i = 0; i < frames; i++) {
            byte[] payload = new byte[Frame.MAX_PAYLOAD_BYTES];
            random.nextBytes(payload);
            int n = Frames.encode(FrameType.TRANSFER_DATA, 0, i & 0xFFFF, 0, payload).length;
            worst = Math.max(worst, n);
            wireBytes += n;
        }
        int fileBytesPerFrame = Frame.MAX_PAYLOAD_BYTES - TransferMessages.DATA_HEADER_BYTES;
        assertTrue(worst <= Frame.MAX_WIRE_BYTES, "worst frame " + worst);
        double efficiency = (double) fileBytesPerFrame * frames / wireBytes;
        System.out.printf("DATA frames with random payload: worst %d wire bytes, mean %.1f, efficiency %.4f%n",
                worst, (double) wireBytes / frames, efficiency);
        assertTrue(efficiency >= (double) fileBytesPerFrame / Frame.MAX_WIRE_BYTES);
    }

    @Test
    void encoderRefusesAPayloadOverTheLimit() {
        byte[] out = new byte[2 * Frame.MAX_WIRE_BYTES];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FrameEncoder()
                .encode(FrameType.CONSOLE_OUT, 0, 0, 0, new byte[1025], 0, 1025, out, 0));
        assertTrue(e.getMessage().contains("1025"), e.getMessage());
    }
}
