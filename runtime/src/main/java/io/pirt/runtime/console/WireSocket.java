package io.pirt.runtime.console;

import io.pirt.runtime.log.ConsoleLog;
import io.pirt.threading.Thread;
import io.pirt.wire.SocketStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * The runtime's wire socket (docs/runtime.md, "The wire socket"): a Unix domain socket on
 * which each connection is served like the console device — the wire protocol with its
 * sessions, console, requests, transfers and events, and the same access rules — so a tool
 * that reaches the board another way (SSH's {@code direct-streamlocal}, a local program)
 * speaks the protocol there. A connection is a {@link ConsolePort} of its own, a reliable
 * byte stream: no baud rate, no line noise.
 *
 * <p>At most {@link #MAX_CONNECTIONS} connections are served at once; one more is told why in
 * a line of text and closed. The socket file is made mode 0660 (its group is the runtime's:
 * {@code pirt} under the package's unit), removed at {@link #close()}; a stale one (nobody
 * listening) is replaced at {@link #bind}, a live one is refused.
 *
 * <p>Threads: {@code wire-socket} accepts, and {@code wire-socket-N} serves connection N until
 * it ends. {@link #close()} may be called from any thread.
 */
public final class WireSocket implements AutoCloseable {
    /** Connections served at once: a console, a flash and a test run from other terminals, and room for one more. */
    public static final int MAX_CONNECTIONS = 4;
    /** The longest path a Unix domain socket can have on Linux: sun_path is 108 bytes with the ending NUL. */
    public static final int MAX_PATH_BYTES = 107;

    private final Path path;
    private final ServerSocketChannel server;
    private final ConsoleLog log;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private Thread acceptor;
    private volatile boolean closed;

    private WireSocket(Path path, ServerSocketChannel server, ConsoleLog log) {
        this.path = path;
        this.server = server;
        this.log = log;
    }

    /**
     * Binds the socket at {@code path} and makes it mode 0660.
     *
     * @throws IOException saying what to do when the path is too long, is not a socket, another
     *     runtime listens there, or the directory is missing or not writable
     */
    public static WireSocket bind(Path path, ConsoleLog log) throws IOException {
        int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PATH_BYTES) {
            throw new IOException("the wire socket's path " + path + " is " + bytes + " bytes; a Unix socket's path has at most "
                    + MAX_PATH_BYTES + ": give a shorter --wire-socket");
        }
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                throw new IOException("the wire socket's path " + path + " exists and is not a socket: remove it, or give another --wire-socket");
            }
            try (SocketChannel probe = SocketChannel.open(address)) {
                throw new IOException("another program (a runtime already running?) listens on the wire socket " + path
                        + ": stop it (systemctl stop pirt-runtime), or give this runtime another --wire-socket");
            } catch (ConnectException stale) { // nobody listens: left by a runtime that died
                Files.delete(path);
                log.runtime("wire socket " + path + " was left by an earlier run (nobody listened); replaced it");
            }
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(address);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot make the wire socket " + path + ": " + e.getMessage()
                    + (Files.isDirectory(path.getParent()) ? "" : " (its directory " + path.getParent() + " does not exist)"), e);
        }
        return new WireSocket(path, server, log);
    }

    public Path path() {
        return path;
    }

    /** Starts accepting; {@code serve} serves one connection on the thread given to it, returning when it ended. */
    public void start(Consumer<ConsolePort> serve) {
        acceptor = new Thread(() -> acceptLoop(serve), "wire-socket");
        acceptor.start(Thread.PRIO_NORMAL);
    }

    private void acceptLoop(Consumer<ConsolePort> serve) {
        int n = 0;
        while (!closed) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return; // close()
            } catch (IOException e) {
                log.runtime("wire socket " + path + ": accept failed (" + e.getMessage() + "); it stops taking connections");
                return;
            }
            if (!slots.tryAcquire()) {
                refuse(channel);
                continue;
            }
            Connection port = new Connection(channel);
            Thread t = new Thread(() -> {
                try {
                    serve.accept(port);
                } finally {
                    port.close();
                    slots.release();
                }
            }, "wire-socket-" + (++n));
            t.start(Thread.PRIO_NORMAL);
        }
    }

    private void refuse(SocketChannel channel) {
        String why = "pirt: the board serves " + MAX_CONNECTIONS + " connections to its wire socket at once, and has that many; "
                + "close one (another pirt console, flash or test) and try again\r\n";
        try (channel) {
            channel.write(ByteBuffer.wrap(why.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // the peer left already: nothing to tell
        }
        log.runtime("wire socket " + path + ": refused a connection, " + MAX_CONNECTIONS + " are open");
    }

    /** Stops accepting and removes the socket file; connections being served end with the console. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.runtime("closing the wire socket " + path + ": " + e.getMessage());
        }
        if (acceptor != null) acceptor.join(2_000);
    }

    /**
     * One accepted connection as a console port, its streams {@link SocketStreams} (the link's
     * reader and writer use them at once).
     */
    static final class Connection implements ConsolePort {
        private final SocketChannel channel;
        private final InputStream in;
        private final OutputStream out;

        Connection(SocketChannel channel) {
            this.channel = channel;
            SocketStreams streams = new SocketStreams(channel);
            this.in = streams.in(); // closing it (the link does, to end) closes the connection
            this.out = streams.out();
        }

        @Override
        public InputStream in() {
            return in;
        }

        @Override
        public boolean reliableStream() {
            return true;
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a socket the peer already closed: nothing is lost
            }
        }
    }
}
