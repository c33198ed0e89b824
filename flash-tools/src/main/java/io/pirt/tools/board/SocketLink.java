package io.pirt.tools.board;

import io.pirt.tools.ToolException;
import io.pirt.wire.LineRate;
import io.pirt.wire.SocketStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A connection to a runtime's Unix socket on this machine ({@code unix:PATH}; the runtime's
 * {@code --wire-socket}, {@code /run/pirt/wire.sock} from the package). A stream: no rate.
 * Closing it closes the socket, which ends a read blocked in it.
 */
public final class SocketLink implements BoardLink {
    private final String path;
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    private SocketLink(String path, SocketChannel channel) {
        this.path = path;
        this.channel = channel;
        SocketStreams streams = new SocketStreams(channel); // not Channels.newInputStream: see SocketStreams
        this.in = streams.in();
        this.out = streams.out();
    }

    /**
     * Connects to the socket at {@code path}.
     *
     * @throws ToolException (exit 1): no socket there (the runtime is not running or serves no socket), nobody
     *     listening, or no permission (the group {@code pirt})
     */
    public static SocketLink open(String path) throws ToolException {
        Path p = Path.of(path);
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw ToolException.failure("cannot make a Unix socket to connect to " + path + ": " + e.getMessage(), e);
        }
        try {
            channel.connect(UnixDomainSocketAddress.of(p));
            return new SocketLink(path, channel);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw ToolException.failure(whyNot(path, p, e), e);
        }
    }

    private static String whyNot(String path, Path p, IOException e) {
        String m = String.valueOf(e.getMessage());
        if (!Files.exists(p)) {
            return "no runtime socket at " + path + ": is the pirt runtime running, serving its wire protocol there "
                    + "(its --wire-socket " + path + "; the pirt-runtime package serves " + BoardAddress.DEFAULT_SOCKET + ")?";
        }
        if (m.contains("Permission denied") || !Files.isWritable(p)) {
            return "no permission to use " + path + ": add yourself to its group (the package's is pirt: "
                    + "`sudo usermod -aG pirt $USER`, then log in again)";
        }
        if (e instanceof SocketException && m.contains("refused")) {
            return "nothing listens on " + path + " (" + m + "): the runtime that made it has ended; start it again";
        }
        return "cannot connect to " + path + ": " + m;
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public Optional<LineRate> lineRate() {
        return Optional.empty();
    }

    @Override
    public String address() {
        return "unix:" + path;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("closing the socket " + path + " failed", e);
        }
    }
}
