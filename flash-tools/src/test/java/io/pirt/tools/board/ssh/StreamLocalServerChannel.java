package io.pirt.tools.board.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.ChannelOutputStream;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.AbstractServerChannel;

/**
 * The server's end of {@code direct-streamlocal@openssh.com} for the test's MINA server (MINA
 * has none): connects to the Unix socket the client names and copies bytes both ways; when the
 * socket ends, the channel closes. A socket it cannot connect to fails the open as OpenSSH's
 * sshd does, with "open failed" and no reason.
 */
final class StreamLocalServerChannel extends AbstractServerChannel {
    /**
     * Channels that tell {@code forwarded} how many bytes they passed to their socket, and run
     * {@code opened} when one connected its socket.
     */
    static ChannelFactory factory(java.util.function.LongConsumer forwarded, Runnable opened) {
        return new ChannelFactory() {
            @Override
            public String getName() {
                return StreamLocalChannel.TYPE;
            }

            @Override
            public org.apache.sshd.common.channel.Channel createChannel(org.apache.sshd.common.session.Session session) {
                return new StreamLocalServerChannel(forwarded, opened);
            }
        };
    }

    private final java.util.function.LongConsumer forwarded;
    private final Runnable opened;

    /** Set in doInit, before any data arrives. */
    private SocketChannel socket;

    private StreamLocalServerChannel(java.util.function.LongConsumer forwarded, Runnable opened) {
        super(StreamLocalChannel.TYPE, List.of(), null);
        this.forwarded = forwarded;
        this.opened = opened;
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
        String path = buffer.getString();
        DefaultOpenFuture f = new DefaultOpenFuture(path, futureLock);
        try {
            socket = SocketChannel.open(StandardProtocolFamily.UNIX);
            socket.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            f.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED,
                    "open failed", e));
            return f;
        }
        // MINA's connection service sends SSH_MSG_CHANNEL_OPEN_CONFIRMATION from a channel listener on this
        // signal, not from the open future (AbstractConnectionService.channelOpen): without it the client waits
        // forever. It must go out before the pump below sends any data on the channel.
        signalChannelOpenSuccess();
        opened.run();
        OutputStream toClient = new ChannelOutputStream(this, getRemoteWindow(), log, SshConstants.SSH_MSG_CHANNEL_DATA, true);
        Thread pump = new Thread(() -> {
            ByteBuffer b = ByteBuffer.allocate(8192);
            try {
                while (socket.read(b.clear()) >= 0) {
                    toClient.write(b.array(), 0, b.position());
                    toClient.flush();
                }
            } catch (IOException e) {
                // the channel or the socket closed: either ends the copy
            } finally {
                close(false);
            }
        }, "test-sshd-streamlocal-" + path);
        pump.setDaemon(true);
        pump.start();
        f.setOpened();
        return f;
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data, off, (int) len);
        while (b.hasRemaining()) socket.write(b);
        getLocalWindow().release(len);
        forwarded.accept(len);
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) {
        throw new UnsupportedOperationException("a streamlocal channel carries no extended data");
    }

    @Override
    protected void preClose() {
        try {
            if (socket != null) socket.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            super.preClose();
        }
    }
}
