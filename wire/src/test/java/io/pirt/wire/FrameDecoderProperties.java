package io.pirt.wire;

import io.pirt.wire.Frames.Collector;
import io.pirt.wire.Frames.Seen;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and mutated byte streams against the frame decoder: whatever arrives ends in
 * frames that were really sent, text, or refusals; never an exception, never a wait, and
 * never a buffer sized by the input.
 */
class FrameDecoderProperties {
    /** A single pass over at most a few hundred KiB: anything near this is a hang. */
    private static final long BOUND_NANOS = 2_000_000_000L;

    @Property(tries = 200)
    void randomBytesEndInFramesTextOrRefusals(@ForAll @Size(max = 16 * 1024) byte[] input,
                                              @ForAll @IntRange(min = 1, max = 2048) int chunk,
                                              @ForAll boolean sessionOpen) {
        Collector c = new Collector();
        FrameDecoder d = new FrameDecoder(c);
        d.expectFrames(sessionOpen);
        int zeros = 0;
        for (byte b : input) if (b == 0) zeros++;
        long start = System.nanoTime();
        feedInChunks(d, input, chunk);
        assertTrue(System.nanoTime() - start < BOUND_NANOS, "decoding took too long");
        assertEquals(Frame.MAX_ENCODED_BYTES, d.bufferBytes(), "the decoder's buffer never changes size");
        assertTrue(c.frames.size() + c.refusals.size() <= zeros, "each verdict needs a closing 0x00");
        for (Seen f : c.frames) assertTrue(f.payload().length <= Frame.MAX_PAYLOAD_BYTES && f.type() != null);
        long nonZero = input.length - zeros;
        assertTrue(c.text.size() <= nonZero, "text is only bytes that were received");
    }

    /**
     * With a session open (frames expected back to back), an intact frame after any damage
     * is decoded; without one, the frame after a damaged one may be taken for text (a
     * person typing after a tool left), but nothing that was not sent is ever a frame.
     */
    @Property(tries = 400)
    void mutatedStreamsYieldOnlyFramesThatWereSentAndResyncAfterwards(@ForAll("frameLists") List<Seen> sent,
                                                                       @ForAll("mutations") List<Mutation> mutations,
                                                                       @ForAll long seed,
                                                                       @ForAll boolean sessionOpen) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (Seen f : sent) stream.writeBytes(Frames.encode(f.type(), f.flags(), f.seq(), f.ack(), f.payload()));
        byte[] bytes = stream.toByteArray();
        SplittableRandom random = new SplittableRandom(seed);
        for (Mutation m : mutations) bytes = m.apply(bytes, random);
        Seen sentinel = new Seen(FrameType.ACK, 0, 0, 0xBEEF, new byte[] {1, 2, 3, 4});
        bytes = Frames.concat(bytes, Frames.encode(sentinel.type(), 0, 0, sentinel.ack(), sentinel.payload()));

        Collector c = new Collector();
        FrameDecoder d = new FrameDecoder(c);
        d.expectFrames(sessionOpen);
        long start = System.nanoTime();
        feedInChunks(d, bytes, 1 + random.nextInt(512));
        assertTrue(System.nanoTime() - start < BOUND_NANOS, "decoding took too long");

        if (sessionOpen) {
            assertTrue(!c.frames.isEmpty() && c.frames.get(c.frames.size() - 1).sameAs(sentinel),
                    "an intact frame after the damage is always decoded");
        }
        for (Seen got : c.frames) {
            assertTrue(got.sameAs(sentinel) || sent.stream().anyMatch(got::sameAs), "decoded a frame nobody sent: " + got);
        }
        assertEquals(Frame.MAX_ENCODED_BYTES, d.bufferBytes());
    }

    @Property(tries = 30)
    void hugeDeclaredLengthsAreRefusedWithoutGrowingAnything(@ForAll @IntRange(min = Frame.MAX_PAYLOAD_BYTES + 1, max = 0xFFFF) int declared,
                                                             @ForAll @Size(max = Frame.MAX_PAYLOAD_BYTES) byte[] payload) {
        byte[] crafted = Frames.craft(Frame.VERSION, FrameType.TRANSFER_DATA.code(), declared, payload);
        Collector c = new Collector();
        FrameDecoder d = new FrameDecoder(c);
        d.feed(crafted, 0, crafted.length, 0);
        assertEquals(List.of(FrameDecoder.Refusal.BAD_LENGTH), c.refusals);
        assertEquals(0, c.frames.size());
        assertEquals(Frame.MAX_ENCODED_BYTES, d.bufferBytes());
    }

    /** Measured, not only by construction: a megabyte of garbage and frames costs the decoding thread no heap. */
    @Property(tries = 5)
    void decodingAllocatesNothing(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] input = new byte[1 << 20];
        random.nextBytes(input);
        byte[] frame = Frames.encode(FrameType.CONSOLE_OUT, 0, 1, 2, new byte[700]);
        for (int at = 0; at + frame.length < input.length; at += 4096) System.arraycopy(frame, 0, input, at, frame.length);
        CountingListener counting = new CountingListener();
        FrameDecoder d = new FrameDecoder(counting);
        d.feed(input, 0, 64 * 1024, 0); // warm up
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int at = 0; at < input.length; at += 4096) d.feed(input, at, 4096, at);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(counting.frames > 200, "frames decoded: " + counting.frames);
        assertTrue(allocated < 1024, "decoding 1 MiB allocated " + allocated + " bytes");
    }

    private static void feedInChunks(FrameDecoder d, byte[] bytes, int chunk) {
        for (int at = 0; at < bytes.length; at += chunk) d.feed(bytes, at, Math.min(chunk, bytes.length - at), 0);
    }

    @Provide
    Arbitrary<List<Seen>> frameLists() {
        Arbitrary<Seen> frame = Combinators.combine(
                Arbitraries.of(FrameType.class),
                Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(Frame.MAX_PAYLOAD_BYTES)
        ).as(Seen::new);
        return frame.list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Arbitraries.of(Mutation.values()).list().ofMinSize(1).ofMaxSize(6);
    }

    /** Ways a line damages a stream. */
    enum Mutation {
        FLIP_BIT {
            byte[] apply(byte[] b, SplittableRandom r) {
                if (b.length == 0) return b;
                byte[] out = b.clone();
                out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
                return out;
            }
        },
        TRUNCATE {
            byte[] apply(byte[] b, SplittableRandom r) {
                return java.util.Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
            }
        },
        DROP_RANGE {
            byte[] apply(byte[] b, SplittableRandom r) {
                if (b.length < 2) return b;
                int from = r.nextInt(b.length - 1);
                int to = from + 1 + r.nextInt(Math.min(64, b.length - from - 1) + 1);
                return Frames.concat(java.util.Arrays.copyOf(b, from), java.util.Arrays.copyOfRange(b, Math.min(to, b.length), b.length));
            }
        },
        DUPLICATE_RANGE {
            byte[] apply(byte[] b, SplittableRandom r) {
                if (b.length < 2) return b;
                int from = r.nextInt(b.length - 1);
                int to = Math.min(b.length, from + 1 + r.nextInt(1100));
                return Frames.concat(java.util.Arrays.copyOf(b, to), java.util.Arrays.copyOfRange(b, from, b.length));
            }
        },
        INSERT_GARBAGE {
            byte[] apply(byte[] b, SplittableRandom r) {
                byte[] garbage = new byte[1 + r.nextInt(3000)];
                r.nextBytes(garbage);
                int at = b.length == 0 ? 0 : r.nextInt(b.length);
                return Frames.concat(java.util.Arrays.copyOf(b, at), garbage, java.util.Arrays.copyOfRange(b, at, b.length));
            }
        },
        INSERT_HUGE_LENGTH_FRAME {
            byte[] apply(byte[] b, SplittableRandom r) {
                byte[] payload = new byte[r.nextInt(Frame.MAX_PAYLOAD_BYTES + 1)];
                r.nextBytes(payload);
                byte[] crafted = Frames.craft(Frame.VERSION, FrameType.TRANSFER_DATA.code(),
                        Frame.MAX_PAYLOAD_BYTES + 1 + r.nextInt(0xFFFF - Frame.MAX_PAYLOAD_BYTES), payload);
                int at = b.length == 0 ? 0 : r.nextInt(b.length);
                return Frames.concat(java.util.Arrays.copyOf(b, at), crafted, java.util.Arrays.copyOfRange(b, at, b.length));
            }
        },
        LONG_RUN_WITHOUT_DELIMITER {
            byte[] apply(byte[] b, SplittableRandom r) {
                byte[] run = new byte[Frame.MAX_ENCODED_BYTES + r.nextInt(5000)];
                for (int i = 0; i < run.length; i++) run[i] = (byte) (1 + r.nextInt(255));
                int at = b.length == 0 ? 0 : r.nextInt(b.length);
                return Frames.concat(java.util.Arrays.copyOf(b, at), run, java.util.Arrays.copyOfRange(b, at, b.length));
            }
        };

        abstract byte[] apply(byte[] bytes, SplittableRandom random);
    }

    /** Counts without allocating, so the measurement sees only the decoder. */
    private static final class CountingListener implements FrameDecoder.Listener {
        int frames;
        long textBytes;
        int refused;

        @Override
        public void onFrame(Frame frame) {
            frames++;
        }

        @Override
        public void onText(byte[] bytes, int offset, int length) {
            textBytes += length;
        }

        @Override
        public void onRefused(FrameDecoder.Refusal reason) {
            refused++;
        }
    }
}
