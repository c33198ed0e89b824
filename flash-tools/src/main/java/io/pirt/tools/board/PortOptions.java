package io.pirt.tools.board;

import io.pirt.tools.ToolException;
import io.pirt.tools.ports.SerialPorts;
import picocli.CommandLine.Option;

/** How to reach a board: the options every board-talking command shares (a picocli mixin). */
public final class PortOptions {
    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "The board: a serial port (/dev/ttyACM0), a local runtime's socket (unix:/run/pirt/wire.sock) or "
                    + "a board's runtime through its sshd (ssh://[user@]host[:port][/socket/path]) "
                    + "(default: the one likely board `pirt ports` finds).")
    String port;

    @Option(names = "--baud", paramLabel = "BAUD", defaultValue = "115200",
            description = "Baud rate of a UART console; a USB gadget port ignores it (default: ${DEFAULT-VALUE}).")
    int baud;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "5000",
            description = "How long to wait for the board to answer (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--accept-new-host-key",
            description = "For ssh://: record the host's key in ~/.ssh/known_hosts when the host is not there yet "
                    + "(OpenSSH's StrictHostKeyChecking=accept-new). A changed key is always refused.")
    boolean acceptNewHostKey;

    /** The port given, or the one likely board; usage error (exit 2) listing the ports when there is no single one. */
    public String port() throws ToolException {
        return port != null ? port : SerialPorts.choose(SerialPorts.list());
    }

    /** How to open the link: the baud rate, {@code --timeout-ms} for connecting, and the host-key policy. */
    public BoardLink.Options link() {
        return new BoardLink.Options(baud, timeoutMs, acceptNewHostKey);
    }

    public int baud() {
        return baud;
    }

    public long timeoutMs() {
        return timeoutMs;
    }
}
