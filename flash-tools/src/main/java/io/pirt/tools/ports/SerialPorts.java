package io.pirt.tools.ports;

import com.fazecast.jSerialComm.SerialPort;
import io.pirt.tools.ToolException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The serial ports of this machine (jSerialComm's enumeration), and the choice of a board's port when none is given. */
public final class SerialPorts {
    private SerialPorts() {
    }

    /** Every serial port jSerialComm finds, likely boards first, then adapters, then the rest, each by path. */
    public static List<SerialPortEntry> list() {
        List<SerialPortEntry> ports = new ArrayList<>();
        for (SerialPort p : SerialPort.getCommPorts()) ports.add(SerialPortEntry.of(p));
        ports.sort(Comparator.comparing(SerialPortEntry::kind).thenComparing(SerialPortEntry::path));
        return ports;
    }

    /**
     * The port to use when the person named none: the one likely board among {@code ports}
     * (or, without any, the one USB-serial adapter).
     *
     * @throws ToolException usage (exit 2) listing what was found, when there is no single candidate
     */
    public static String choose(List<SerialPortEntry> ports) throws ToolException {
        List<SerialPortEntry> boards = ports.stream().filter(p -> p.kind() == SerialPortEntry.Kind.BOARD).toList();
        List<SerialPortEntry> adapters = ports.stream().filter(p -> p.kind() == SerialPortEntry.Kind.ADAPTER).toList();
        if (boards.size() == 1) return boards.get(0).path();
        if (boards.isEmpty() && adapters.size() == 1) return adapters.get(0).path();
        StringBuilder m = new StringBuilder();
        if (ports.isEmpty()) {
            m.append("no serial port found and none given: plug the board in (its USB data port, or a USB-serial adapter "
                    + "on its UART) and run `pirt ports`, or give --port PATH (a virtual board prints its port: `pirt sim`)");
        } else {
            m.append(boards.isEmpty() && adapters.isEmpty() ? "no port looks like a board" : "more than one port could be a board")
                    .append("; say which with --port PATH. Found:");
            for (SerialPortEntry p : ports) {
                m.append("\n  ").append(p.path()).append("  ").append(p.description());
                if (!p.kind().note().isEmpty()) m.append("  (").append(p.kind().note()).append(')');
            }
        }
        throw new ToolException(ToolException.USAGE, m.toString());
    }
}
