package io.pirt.tools.bench;

import io.pirt.wire.ConsoleSource;
import io.pirt.runtime.endpoint.ConsoleInput;
import io.pirt.runtime.endpoint.ProtocolEndpoint;
import io.pirt.runtime.endpoint.RequestHandler;
import io.pirt.runtime.endpoint.TransferSink;
import io.pirt.virtualboard.CableFaults;
import io.pirt.virtualboard.VirtualCable;
import io.pirt.tools.ToolException;
import io.pirt.tools.board.SerialLink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The board's end of the wire protocol in this process, on a paced {@link VirtualCable}:
 * a {@link ProtocolEndpoint} with the given request handler and transfer sink, and no
 * runtime process behind it. It measures the protocol, the cable and the tool alone (the
 * throughput benchmark), and stands in for a board where a test needs exact answers.
 * Closing it closes the endpoint and the cable.
 */
public final class LoopbackBoard implements AutoCloseable {
    private final VirtualCable cable;
    private final SerialLink boardSide;
    private final ProtocolEndpoint endpoint;
    private volatile Consumer<String> typedLines = line -> { };
    /** The line being typed; the link's reader thread only. */
    private final StringBuilder typedLine = new StringBuilder();

    /**
     * @param dir    where the cable's links and the transfer directory go
     * @param baud   the cable's pace (0: unpaced)
     * @param faults what the cable does to bytes
     */
    public LoopbackBoard(Path dir, int baud, CableFaults faults, RequestHandler requests, TransferSink sink)
            throws ToolException, java.io.IOException {
        this(dir, baud, faults, requests, sink, false);
    }

    /**
     * @param uart whether the board's port is a UART a tool may switch to another rate
     *             (docs/protocol.md §5.5); otherwise it behaves like a USB gadget port
     */
    public LoopbackBoard(Path dir, int baud, CableFaults faults, RequestHandler requests, TransferSink sink, boolean uart)
            throws ToolException, java.io.IOException {
        cable = new VirtualCable(dir.resolve("cable"), baud, faults);
        Path transfers = Files.createDirectories(dir.resolve("transfers"));
        try {
            boardSide = SerialLink.open(cable.boardPort().toString(), baud == 0 ? 115200 : baud);
        } catch (ToolException | RuntimeException e) {
            cable.close();
            throw e;
        }
        endpoint = ProtocolEndpoint.builder(boardSide.in(), boardSide.out()).identity("virtual", "loopback")
                .shell(new ConsoleInput() {
                    @Override
                    public void accept(byte[] bytes, int offset, int length) {
                        typed(bytes, offset, length);
                    }

                    @Override
                    public void toolAttached() {
                        typedLine.setLength(0); // as the runtime's shell: what came before a tool's HELLO without Enter is noise
                    }
                }).requests(requests).transfers(transfers, sink).lineRate(uart ? boardSide : null).build();
        endpoint.start();
    }

    /** Called with each line typed into the console (on the link's reader thread). */
    public void onTypedLine(Consumer<String> c) {
        this.typedLines = c;
    }

    /** Prints {@code text} on the board's console. */
    public void print(String text) throws java.io.IOException, InterruptedException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        endpoint.consoleOut(ConsoleSource.SHELL, b, 0, b.length, 5_000);
    }

    private void typed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            char c = (char) (bytes[i] & 0xFF);
            if (c == '\r' || c == '\n') {
                String line = typedLine.toString();
                typedLine.setLength(0);
                typedLines.accept(line);
            } else {
                typedLine.append(c);
            }
        }
    }

    /** The host end: give it to {@code --port}. */
    public Path port() {
        return cable.hostPort();
    }

    public VirtualCable cable() {
        return cable;
    }

    @Override
    public void close() {
        endpoint.close();
        boardSide.close();
        cable.close();
    }
}
