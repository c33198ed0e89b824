package io.pirt.wire;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/** Test helpers: encode frames, craft bodies the encoder would refuse, and collect what a decoder finds. */
public final class Frames {
    private Frames() {}

    /** What a decoded frame said, copied out of the reused view. */
    public record Seen(FrameType type, int flags, int seq, int ack, byte[] payload) {
        boolean sameAs(Seen o) {
            return type == o.type && flags == o.flags && seq == o.seq && ack == o.ack && Arrays.equals(payload, o.payload);
        }

        public static Seen of(Frame f) {
            byte[] p = new byte[f.payloadLength()];
            f.payload().get(p);
            return new Seen(f.type(), f.flags(), f.seq(), f.ack(), p);
        }
    }

    public static byte[] encode(FrameType type, int flags, int seq, int ack, byte[] payload) {
        byte[] out = new byte[Frame.MAX_WIRE_BYTES];
        int n = new FrameEncoder().encode(type, flags, seq, ack, payload, 0, payload.length, out, 0);
        return Arrays.copyOf(out, n);
    }

    /** A frame with any header bytes and a correct CRC, so only the later checks can refuse it. */
    public static byte[] craft(int version, int typeCode, int declaredLength, byte[] payload) {
        byte[] body = new byte[Frame.HEADER_BYTES + payload.length + Frame.CRC_BYTES];
        body[0] = (byte) version;
        body[1] = (byte) typeCode;
        Frame.putU16(body, 7, declaredLength);
        System.arraycopy(payload, 0, body, Frame.HEADER_BYTES, payload.length);
        CRC32 crc = new CRC32();
        crc.update(body, 0, body.length - Frame.CRC_BYTES);
        Frame.putS32(body, body.length - Frame.CRC_BYTES, (int) crc.getValue());
        byte[] out = new byte[Cobs.maxEncodedLength(body.length) + 2];
        int n = Cobs.encode(body, body.length, out, 1);
        return Arrays.copyOf(out, n + 2);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** Collects frames, text and refusals; allocation happens here, not in the decoder. */
    public static final class Collector implements FrameDecoder.Listener {
        public final List<Seen> frames = new ArrayList<>();
        public final ByteArrayOutputStream text = new ByteArrayOutputStream();
        public final List<FrameDecoder.Refusal> refusals = new ArrayList<>();

        @Override
        public void onFrame(Frame frame) {
            frames.add(Seen.of(frame));
        }

        @Override
        public void onText(byte[] bytes, int offset, int length) {
            text.write(bytes, offset, length);
        }

        @Override
        public void onRefused(FrameDecoder.Refusal reason) {
            refusals.add(reason);
        }
    }
}
