package io.pirt.tools.board;

import io.pirt.tools.ToolException;
import io.pirt.tools.board.ssh.SshLink;
import io.pirt.wire.LineRate;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * The byte streams to a board's wire protocol, whatever carries them: a serial port
 * ({@link SerialLink}), a local runtime's Unix socket ({@link SocketLink}) or an SSH channel
 * to a runtime's socket ({@link SshLink}). {@link #open} is the one place the tool turns an
 * address into a link. Closing the input stream ends a read blocked in it; {@link #close}
 * releases everything the link holds. Implementations are safe for one reader and one writer
 * thread at a time.
 */
public interface BoardLink extends AutoCloseable {
    /**
     * How to open a link.
     *
     * @param baud              a serial port's rate; ignored by streams
     * @param connectTimeoutMs  the bound on connecting and authenticating (SSH), and on opening the channel
     * @param acceptNewHostKey  record an SSH host's key in {@code ~/.ssh/known_hosts} when the host is not there yet
     *                          (OpenSSH's {@code StrictHostKeyChecking=accept-new}); a changed key is refused regardless
     */
    record Options(int baud, long connectTimeoutMs, boolean acceptNewHostKey) {
        /** A serial port at {@code baud}; streams bounded by 5 s; unknown host keys refused. */
        public static Options serial(int baud) {
            return new Options(baud, 5_000, false);
        }
    }

    /**
     * Opens the link to {@code address}.
     *
     * @throws ToolException (exit 1) naming the address and what to do: no such port or socket, no permission,
     *     busy, host unreachable, an unknown or changed host key, authentication failed
     */
    static BoardLink open(BoardAddress address, Options options) throws ToolException, InterruptedException {
        return switch (address) {
            case BoardAddress.Serial s -> SerialLink.open(s.path(), options.baud());
            case BoardAddress.UnixSocket u -> SocketLink.open(u.path());
            case BoardAddress.Ssh s -> SshLink.open(s, options);
        };
    }

    InputStream in();

    OutputStream out();

    /** The port's rate, which a baud switch changes; empty for a stream, which has no rate (a socket, an SSH channel). */
    Optional<LineRate> lineRate();

    /** Whether this is a byte stream (socket, SSH) rather than a serial line: no line noise, no rate. */
    default boolean isStream() {
        return lineRate().isEmpty();
    }

    /** The address as a person gives it, for messages. */
    String address();

    @Override
    void close();
}
