package io.pirt.tools.board.ssh;

import java.io.IOException;
import org.apache.sshd.client.channel.AsyncCapableClientChannel;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.LocalWindow;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * OpenSSH's {@code direct-streamlocal@openssh.com} channel (OpenSSH PROTOCOL §2.4): a
 * connection, made by the server, to a Unix socket on the server's host. MINA SSHD 2.20.1 has
 * no such channel; its open request differs from {@code direct-tcpip}'s only in the payload:
 * the socket path, a reserved string and a reserved uint32. Its streams are
 * {@link #getInvertedIn()} (to the socket) and {@link #getInvertedOut()} (from it).
 */
final class StreamLocalChannel extends AsyncCapableClientChannel {
    static final String TYPE = "direct-streamlocal@openssh.com";

    private final String socketPath;

    StreamLocalChannel(String socketPath) {
        super(TYPE, false);
        this.socketPath = socketPath;
    }

    @Override
    public synchronized OpenFuture open() throws IOException {
        if (closeFuture.isClosed()) throw new SshException("the SSH session is closed");
        openFuture = new DefaultOpenFuture(socketPath, futureLock);
        LocalWindow window = getLocalWindow();
        Buffer buffer = getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_OPEN, TYPE.length() + socketPath.length() + 64);
        buffer.putString(TYPE);
        buffer.putUInt(getChannelId());
        buffer.putUInt(window.getSize());
        buffer.putUInt(window.getPacketSize());
        buffer.putString(socketPath);
        buffer.putString(""); // reserved
        buffer.putUInt(0); // reserved
        writePacket(buffer);
        return openFuture;
    }
}
