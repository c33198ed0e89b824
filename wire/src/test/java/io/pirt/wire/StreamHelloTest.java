package io.pirt.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link Hello#STREAM}: larger frames only when both sides are on a reliable byte stream; serial sizes otherwise. */
class StreamHelloTest {
    private static final int SERIAL_CAPS = Hello.CONSOLE | Hello.REQUESTS;

    private static Hello serial(int maxPayload) {
        return new Hello(2, 2, 7, SERIAL_CAPS, maxPayload, 16, 3000, "serial", "1");
    }

    private static Hello stream(int streamPayload) {
        return new Hello(2, 2, 7, SERIAL_CAPS | Hello.STREAM, 1024, 32, 3000, "stream", "1", streamPayload);
    }

    private static ByteBuffer written(Hello h) {
        ByteBuffer b = ByteBuffer.allocate(Frame.MAX_PAYLOAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.writeTo(b);
        return b.flip();
    }

    @Test
    void bothOnAStreamTakeTheSmallerStreamPayload() throws Exception {
        Hello board = Hello.readFrom(written(stream(Frame.MAX_STREAM_PAYLOAD_BYTES)));
        Hello tool = Hello.readFrom(written(stream(16 * 1024)));
        assertEquals(Frame.MAX_STREAM_PAYLOAD_BYTES, board.streamPayloadBytes());
        assertEquals(16 * 1024, tool.sessionPayloadBytes(board));
        assertEquals(16 * 1024, board.sessionPayloadBytes(tool));
    }

    @Test
    void aPeerWithoutTheBitGetsTodaysLimits() throws Exception {
        Hello board = stream(Frame.MAX_STREAM_PAYLOAD_BYTES);
        assertEquals(1024, board.sessionPayloadBytes(serial(1024)));
        assertEquals(512, board.sessionPayloadBytes(serial(512)));
        assertEquals(1024, serial(1024).sessionPayloadBytes(board));
    }

    @Test
    void aStreamHelloReadsAsBeforeUpToItsSoftwareSoOlderReadersIgnoreTheNewField() throws Exception {
        ByteBuffer withField = written(stream(Frame.MAX_STREAM_PAYLOAD_BYTES));
        ByteBuffer without = written(new Hello(2, 2, 7, SERIAL_CAPS, 1024, 32, 3000, "stream", "1"));
        assertEquals(without.remaining() + 2, withField.remaining(), "the field is two bytes appended after software");
        byte[] prefix = new byte[without.remaining()];
        withField.duplicate().get(prefix);
        byte[] old = new byte[without.remaining()];
        without.duplicate().get(old);
        old[6] = prefix[6]; // capabilities differ only in the STREAM bit (byte 6, bit 6)
        assertEquals(Hello.STREAM, prefix[6] & Hello.STREAM);
        assertArrayEquals(old, prefix);
        assertEquals(1024, Hello.readFrom(withField).maxPayloadBytes(), "the fixed field stays within 64..1024 for older readers");
    }

    @Test
    void outOfRangeStreamFieldsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> stream(Frame.MAX_STREAM_PAYLOAD_BYTES + 1));
        assertThrows(IllegalArgumentException.class, () -> new Hello(2, 2, 7, SERIAL_CAPS, 1024, 16, 3000, "s", "1", 4096));
        ByteBuffer cut = written(stream(4096));
        cut.limit(cut.limit() - 2);
        assertThrows(ProtocolException.class, () -> Hello.readFrom(cut));
    }

    @Test
    void aStreamLinkCarriesFramesOfThirtyTwoKibibytesAndASerialLinkRefusesThem() throws Exception {
        MemoryCable cable = MemoryCable.clean();
        CountDownLatch arrived = new CountDownLatch(1);
        AtomicReference<byte[]> got = new AtomicReference<>();
        Link.Listener board = new Link.Listener() {
            @Override
            public void onText(byte[] bytes, int offset, int length) {}

            @Override
            public void onControl(Frame frame) {}

            @Override
            public void onFrame(Frame frame) {
                byte[] p = new byte[frame.payloadLength()];
                frame.payload().get(p);
                got.set(p);
                arrived.countDown();
            }

            @Override
            public void onSessionLost(long session, String reason) {}

            @Override
            public void onClosed(String reason) {}
        };
        Link.Config config = LinkTest.FAST.forStream();
        Link host = new Link("t-stream-host", cable.hostIn(), cable.hostOut(), config, board);
        Link boardLink = new Link("t-stream-board", cable.boardIn(), cable.boardOut(), config, board);
        try {
            host.start();
            boardLink.start();
            long hs = host.openSession(32, Frame.MAX_STREAM_PAYLOAD_BYTES, 5000, 200);
            boardLink.openSession(32, Frame.MAX_STREAM_PAYLOAD_BYTES, 5000, 200);
            byte[] big = new byte[Frame.MAX_STREAM_PAYLOAD_BYTES];
            new java.util.Random(3).nextBytes(big);
            assertEquals(Link.Offer.QUEUED, host.send(hs, FrameType.CONSOLE_OUT, 0, ByteBuffer.wrap(big), TimeUnit.SECONDS.toNanos(5)));
            assertTrue(arrived.await(5, TimeUnit.SECONDS), "the 32 KiB frame did not arrive");
            assertArrayEquals(big, got.get());
            assertTrue(host.awaitAcknowledged(hs, TimeUnit.SECONDS.toNanos(5)));
        } finally {
            host.close();
            boardLink.close();
        }
        Link serial = new Link("t-serial", MemoryCable.clean().hostIn(), MemoryCable.clean().hostOut(), LinkTest.FAST, board);
        assertThrows(IllegalArgumentException.class, () -> serial.openSession(16, Frame.MAX_PAYLOAD_BYTES + 1, 5000, 200),
                "a serial link's slots hold 1024 bytes");
    }
}
