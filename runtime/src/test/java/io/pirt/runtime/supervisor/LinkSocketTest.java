package io.pirt.runtime.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The supervision link's socket: the kernel's peer pid, and a close that wakes whoever waits on it. */
@Timeout(30)
class LinkSocketTest {
    @TempDir
    Path dir;

    @Test
    void anAcceptedConnectionKnowsThePeersPidAndCarriesBytesBothWays() throws Exception {
        Path path = dir.resolve("l.sock");
        try (LinkSocket server = LinkSocket.listen(path);
             SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
             LinkSocket.Connection c = server.accept()) {
            assertEquals(ProcessHandle.current().pid(), c.peerPid());
            client.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8)));
            byte[] got = c.input().readNBytes(6);
            assertEquals("hello\n", new String(got, StandardCharsets.UTF_8));
            c.output().write("stop\n".getBytes(StandardCharsets.UTF_8));
            ByteBuffer back = ByteBuffer.allocate(5);
            while (back.hasRemaining()) client.read(back);
            assertEquals("stop\n", new String(back.array(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void closeWakesAWaitingAccept() throws Exception {
        LinkSocket server = LinkSocket.listen(dir.resolve("l.sock"));
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            entered.countDown();
            try {
                server.accept().close();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        server.close(); // whether the accept is already in the kernel or not, it must end
        Throwable t = outcome.get(5, TimeUnit.SECONDS);
        assertTrue(t instanceof AsynchronousCloseException, String.valueOf(t));
        assertThrows(AsynchronousCloseException.class, server::accept);
    }

    @Test
    void closeEndsAReadInProgressAsEndOfStream() throws Exception {
        Path path = dir.resolve("l.sock");
        try (LinkSocket server = LinkSocket.listen(path);
             SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            LinkSocket.Connection c = server.accept();
            InputStream in = c.input();
            CountDownLatch entered = new CountDownLatch(1);
            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                entered.countDown();
                try {
                    return in.read();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(entered.await(5, TimeUnit.SECONDS));
            c.close();
            assertEquals(-1, read.get(5, TimeUnit.SECONDS));
        }
    }
}
