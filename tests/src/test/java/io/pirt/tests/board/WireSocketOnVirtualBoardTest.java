package io.pirt.tests.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.tools.client.BoardClient;
import io.pirt.virtualboard.VirtualBoard;
import io.pirt.wire.Response;
import io.pirt.wire.message.BoardInfo;
import io.pirt.wire.message.Messages;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The virtual board's runtime serves the wire protocol on its socket too, a session per connection, beside its serial console. */
@Timeout(120)
class WireSocketOnVirtualBoardTest {
    @TempDir
    static Path state;
    static VirtualBoard board;

    @BeforeAll
    static void start() throws Exception {
        board = VirtualBoard.start(VirtualBoard.Options.at(state.resolve("board")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (board != null) board.close();
    }

    @Test
    void twoToolsAskTheBoardOverItsSocketAtOnce() throws Exception {
        Path socket = board.wireSocket();
        assertEquals(state.resolve("board").toAbsolutePath().resolve("wire.sock"), socket);
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        try (BoardClient first = connect(socket); BoardClient second = connect(socket)) {
            assertEquals("virtual", first.board().name());
            for (BoardClient c : new BoardClient[] {first, second}) {
                Response r = c.request("info", "");
                assertEquals(Response.Status.OK, r.status(), r.body());
                assertEquals("virtual", Messages.decode(r.body(), BoardInfo.class).board());
            }
        }
    }

    @Test
    void aToolOnTheStreamFlashesWithLargerFramesAndSaysHowFast() throws Exception {
        byte[] data = new byte[8 << 20]; // incompressible, so deflate does not hide the frame size
        new java.util.Random(21).nextBytes(data);
        Path file = Files.write(state.resolve("lib-" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(data)) + ".jar"), data);
        long[] millis = new long[2];
        BoardClient.Options[] options = {BoardClient.Options.defaults(), BoardClient.Options.defaults().forStream()};
        for (int i = 0; i < 2; i++) {
            try (BoardClient c = connect(socket(), options[i])) {
                assertEquals(i == 0 ? 1024 : 32 * 1024, c.sessionPayloadBytes());
                var report = c.transfer(file, file.getFileName().toString(), null);
                assertEquals(data.length, report.fileBytes());
                millis[i] = report.elapsedMillis();
            }
        }
        System.out.printf("8 MiB over the wire socket: %d ms with serial frames (1 KiB, window 16), %d ms with STREAM (32 KiB, window 32)%n",
                millis[0], millis[1]);
    }

    private static Path socket() {
        return board.wireSocket();
    }

    private static BoardClient connect(Path socket) throws IOException, InterruptedException {
        return connect(socket, BoardClient.Options.defaults());
    }

    private static BoardClient connect(Path socket, BoardClient.Options options) throws IOException, InterruptedException {
        io.pirt.wire.SocketStreams streams = new io.pirt.wire.SocketStreams(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
        return BoardClient.connect(streams.in(), streams.out(), options, (source, line) -> { });
    }
}
