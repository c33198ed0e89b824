package io.pirt.tools.board;

import io.pirt.tools.ToolException;
import io.pirt.tools.ports.SerialPorts;
import picocli.CommandLine.Option;

/** How to reach a board: the options every board-talking command shares (a picocli mixin). */
public final class PortOptions {
    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = "The board's serial port, e.g. /dev/ttyACM0 (default: the one likely board `pirt ports` finds).")
    String port;

    @Option(names = "--baud", paramLabel = "BAUD", defaultValue = "115200",
            description = "Baud rate of a UART console; a USB gadget port ignores it (default: ${DEFAULT-VALUE}).")
    int baud;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "5000",
            description = "How long to wait for the board to answer (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    /** The port given, or the one likely board; usage error (exit 2) listing the ports when there is no single one. */
    public String port() throws ToolException {
        return port != null ? port : SerialPorts.choose(SerialPorts.list());
    }

    public int baud() {
        return baud;
    }

    public long timeoutMs() {
        return timeoutMs;
    }
}
