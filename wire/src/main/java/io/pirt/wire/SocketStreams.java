package io.pirt.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * The input and output streams a {@link Link} runs over, for a connected blocking socket
 * channel (a runtime's wire socket, from either end). Not {@code Channels.newInputStream} /
 * {@code newOutputStream}: on a selectable channel their streams may share the channel's
 * blocking lock, so the link's reader, blocked waiting for the peer, would hold up every write
 * of its writer. Here a read and a write go straight to the channel and run at once. Closing
 * either stream closes the channel, which ends a read blocked in it.
 */
public final class SocketStreams {
    private final InputStream in;
    private final OutputStream out;

    public SocketStreams(SocketChannel channel) {
        Objects.requireNonNull(channel, "channel");
        this.in = new InputStream() {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len)); // blocking: never 0 for len > 0
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
        this.out = new OutputStream() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) channel.write(buffer);
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }
}
