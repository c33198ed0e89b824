package io.pirt.tools.board;

import io.pirt.tools.client.BoardClient;
import io.pirt.tools.client.ConsoleListener;
import io.pirt.tools.client.RateChange;
import io.pirt.wire.Link;
import io.pirt.wire.ProtocolException;
import io.pirt.wire.Response;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.Refusal;
import io.pirt.virtualboard.VirtualBoard;
import io.pirt.tools.ToolException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A protocol session with a board at an address ({@link BoardAddress}: a serial port, a Unix
 * socket, or a socket through SSH): the link opened, hello said. Requests come back as text
 * or as a {@link ToolException} a person can act on. Closing it says goodbye and closes the link.
 */
public final class BoardSession implements AutoCloseable {
    private final BoardLink link;
    private final BoardClient client;

    private BoardSession(BoardLink link, BoardClient client) {
        this.link = link;
        this.client = client;
    }

    /**
     * Least retransmission timeout of the tool's link. The protocol's default (50 ms) made a
     * clean paced cable at 921600 baud retransmit 40-70 of 1030 frames spuriously (the
     * estimate trails the queueing delay of a full window), costing about 5% of the line;
     * with 300 ms there were none (docs/tool.md, benchmark). Losses inside a window are
     * still repaired at once by transmission order; only the last frames of a burst wait.
     */
    static final long MIN_RTO_MS = 300;

    /**
     * The options the tool's commands use: requests and hello bounded by {@code timeoutMs}; a
     * board that asks for a proof of a trusted key gets one made with the user's signing key
     * ({@code ~/.pirt/signing.key}; a command with {@code --key} replaces it, {@link BoardClient.Options#withKeyProof}).
     */
    public static BoardClient.Options clientOptions(long timeoutMs, long reconnectTimeoutMs) {
        BoardClient.Options d = BoardClient.Options.defaults().withKeyProof(new KeyFileProof(null, null));
        Link.Config l = d.link();
        return d.withTimeouts(d.idleTimeoutMs(), timeoutMs, timeoutMs, reconnectTimeoutMs)
                .withLink(new Link.Config(l.receiveWindow(), Math.max(l.initialRtoMs(), MIN_RTO_MS),
                        Math.max(l.minRtoMs(), MIN_RTO_MS), Math.max(l.maxRtoMs(), MIN_RTO_MS), l.maxTransmissions()));
    }

    /**
     * Opens {@code port} (any address, {@link BoardAddress#parse}) at {@code baud} and says hello;
     * an unknown SSH host key is refused.
     *
     * @throws ToolException (exit 1) if the link cannot be opened or the board does not answer; (exit 2) a malformed address
     */
    public static BoardSession open(String port, int baud, BoardClient.Options options, ConsoleListener console)
            throws ToolException, InterruptedException {
        return open(port, new BoardLink.Options(baud, Math.max(options.helloTimeoutMs(), 1), false), options, console);
    }

    /**
     * Opens the link to {@code address} ({@link BoardLink#open}) and says hello. On a stream (a
     * socket, SSH) the hello offers a stream's larger frames and window ({@link BoardClient.Options#forStream()};
     * a board that does not take them keeps a serial port's); a serial port keeps {@code options} as given.
     *
     * @throws ToolException (exit 1) if the link cannot be opened or the board does not answer; (exit 2) a malformed address
     */
    public static BoardSession open(String address, BoardLink.Options linkOptions, BoardClient.Options options,
                                    ConsoleListener console) throws ToolException, InterruptedException {
        BoardLink link = BoardLink.open(BoardAddress.parse(address), linkOptions);
        try {
            BoardClient.Options o = link.isStream() ? options.forStream() : options;
            return new BoardSession(link, BoardClient.connect(link.in(), link.out(), o, console));
        } catch (IOException e) {
            link.close();
            throw ToolException.failure(link.address() + ": " + e.getMessage(), e);
        } catch (RuntimeException | InterruptedException e) {
            link.close();
            throw e;
        }
    }

    /**
     * Opens a virtual board's port and says hello until its runtime answers: the runtime
     * process opens its console a moment (seconds, on a loaded machine) after it starts.
     *
     * @throws ToolException (exit 1) if the runtime process ends first (with what it printed), or
     *     does not answer within {@code waitMs}
     */
    public static BoardSession openVirtual(VirtualBoard board, BoardClient.Options options, ConsoleListener console, long waitMs)
            throws ToolException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (true) {
            try {
                int baud = board.cable().baud() > 0 ? board.cable().baud() : 115_200; // the cable behaves like a UART at its rate
                return open(board.port().toString(), baud, options, console);
            } catch (ToolException e) {
                if (!board.runtimeProcess().isAlive()) {
                    throw ToolException.failure("the virtual board's runtime ended (status " + board.runtimeProcess().exitValue()
                            + ") before it answered; it printed:\n" + runtimeOutput(board)
                            + (classPathIsAManifestJar() ? "\nThe runtime is started with this JVM's class path, which is a "
                            + "single manifest-only jar here: under Maven Surefire or Failsafe set "
                            + "<useManifestOnlyJar>false</useManifestOnlyJar>" : ""), e);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw ToolException.failure("the virtual board's runtime did not answer within " + waitMs + " ms ("
                            + e.getMessage() + "); it printed:\n" + runtimeOutput(board), e);
                }
                // each failed open already waited a HELLO timeout: go again at once
            }
        }
    }

    private static String runtimeOutput(VirtualBoard board) {
        try {
            return board.runtimeOutput();
        } catch (IOException e) {
            return "(its output cannot be read: " + e.getMessage() + ")";
        }
    }

    /** Surefire and Failsafe put the class path in a manifest-only jar unless told not to. */
    private static boolean classPathIsAManifestJar() {
        String cp = System.getProperty("java.class.path", "");
        return !cp.contains(java.io.File.pathSeparator) && cp.matches(".*(surefire|failsafe)[^/\\\\]*\\.jar");
    }

    /**
     * Switches the session and the port to {@code baud} if the board can, falling back to
     * the current rate if nobody answers there (docs/protocol.md §5.6).
     *
     * @throws ToolException (exit 1) if the board then answers at neither rate, or this port refuses the rate
     */
    public RateChange.Result switchBaud(int baud) throws ToolException, InterruptedException {
        if (link.lineRate().isEmpty()) {
            return new RateChange.Result(RateChange.Outcome.NOT_OFFERED, 0, link.address()
                    + " is a stream (a socket or SSH), which has no baud rate; --flash-baud does nothing here");
        }
        try {
            return RateChange.to(client, link.lineRate().get(), baud);
        } catch (IOException e) {
            throw ToolException.failure(link.address() + ": " + e.getMessage(), e);
        }
    }

    public BoardClient client() {
        return client;
    }

    public String port() {
        return link.address();
    }

    /**
     * Runs {@code command} and returns the board's answer record ({@link Command#answerType}).
     *
     * @throws ToolException (exit 1) with the board's reason when it refused, or what went wrong on the way
     */
    public <T> T ask(Command command, String argument, Class<T> answerType) throws ToolException, InterruptedException {
        Response r;
        try {
            r = client.request(command.wireName(), argument);
            return Messages.answer(r, answerType);
        } catch (Refusal.RefusedException e) {
            Refusal why = e.refusal();
            if (why.code().equals(Refusal.NOT_SUPPORTED)) {
                throw ToolException.failure("the board (runtime " + client.board().software() + ") cannot do '" + command.wireName()
                        + "': " + why.message());
            }
            throw ToolException.failure("the board: " + why.message());
        } catch (ProtocolException e) {
            throw ToolException.failure(link.address() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw ToolException.failure(link.address() + ": " + e.getMessage(), e);
        }
    }

    /** {@link #ask} for the answer type the command has with this argument. */
    public Object ask(Command command, String argument) throws ToolException, InterruptedException {
        return ask(command, argument, command.answerType(argument));
    }

    @Override
    public void close() {
        client.close();
        link.close();
    }
}
