package io.pirt.tools.board.ssh;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * The user's ssh-agent on {@code SSH_AUTH_SOCK}, through a Java Unix socket (MINA's own
 * agent client needs Tomcat's native APR library). The agent protocol is one request, one
 * answer, each a uint32 length and a body; MINA builds and reads the bodies. One request at
 * a time (synchronized): the agent answers in order.
 */
final class AgentConnection extends AbstractAgentProxy {
    /** The largest answer read: an agent's identity list is a few kilobytes; a bad length must not size a buffer. */
    private static final int MAX_ANSWER_BYTES = 256 * 1024;

    private final Path socket;
    private final SocketChannel channel;

    private AgentConnection(Path socket) throws IOException {
        super(null);
        this.socket = socket;
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            c.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            c.close();
            throw new IOException("cannot reach the ssh-agent at " + socket + " (SSH_AUTH_SOCK): " + e.getMessage(), e);
        }
        this.channel = c;
    }

    /** Connects each session's key search to the agent at {@code socket}. */
    static SshAgentFactory factory(Path socket) {
        return new SshAgentFactory() {
            @Override
            public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
                return List.of(); // no agent forwarding to the board
            }

            @Override
            public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
                return new AgentConnection(socket);
            }

            @Override
            public SshAgentServer createServer(ConnectionService service) {
                throw new UnsupportedOperationException("pirt forwards no agent");
            }
        };
    }

    @Override
    protected synchronized Buffer request(Buffer prepared) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(prepared.array(), prepared.rpos(), prepared.available());
        while (out.hasRemaining()) channel.write(out);
        ByteBuffer length = ByteBuffer.allocate(4);
        readFully(length);
        int n = length.flip().getInt();
        if (n < 0 || n > MAX_ANSWER_BYTES) throw new IOException("the ssh-agent at " + socket + " sent a " + n + "-byte answer");
        ByteBuffer body = ByteBuffer.allocate(n);
        readFully(body);
        return new ByteArrayBuffer(body.array());
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) throw new EOFException("the ssh-agent at " + socket + " closed the connection");
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            channel.close();
        }
    }
}
