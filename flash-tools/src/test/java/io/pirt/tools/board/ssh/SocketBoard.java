package io.pirt.tools.board.ssh;

import io.pirt.runtime.endpoint.ConsoleInput;
import io.pirt.runtime.endpoint.ProtocolEndpoint;
import io.pirt.runtime.endpoint.RequestHandler;
import io.pirt.runtime.endpoint.TransferSink;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The board's end of the wire protocol on a Unix socket in this process, as a runtime serves
 * it with {@code --wire-socket}: each connection gets a {@link ProtocolEndpoint} of its own,
 * all sharing one transfer directory (so a transfer cut with its connection resumes on the
 * next). No runtime process: the request handler and transfer sink answer.
 */
final class SocketBoard implements AutoCloseable {
    private final Path socket;
    private final ServerSocketChannel server;
    private final List<ProtocolEndpoint> endpoints = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;

    SocketBoard(Path dir, RequestHandler requests, TransferSink sink) throws IOException {
        socket = dir.resolve("wire.sock");
        Path transfers = Files.createDirectories(dir.resolve("transfers"));
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(() -> {
            try {
                while (true) {
                    SocketChannel c = server.accept();
                    accepted.incrementAndGet();
                    ProtocolEndpoint e = ProtocolEndpoint.builder(Channels.newInputStream(c), Channels.newOutputStream(c))
                            .identity("virtual", "socket").shell(new ConsoleInput() {
                                @Override
                                public void accept(byte[] bytes, int offset, int length) {
                                }
                            }).requests(requests).transfers(transfers, sink).build();
                    endpoints.add(e);
                    e.start();
                }
            } catch (IOException closed) {
                // the server socket closed: no more connections
            }
        }, "test-socket-board");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Path socket() {
        return socket;
    }

    /** Connections accepted so far. */
    int connections() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (ProtocolEndpoint e : endpoints) e.close();
        Files.deleteIfExists(socket);
    }
}
