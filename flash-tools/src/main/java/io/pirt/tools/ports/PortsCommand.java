package io.pirt.tools.ports;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pirt ports}: the serial ports of this machine, likely boards marked, then the boards that
 * announce themselves on the network by mDNS within {@value #DISCOVERY_MS} ms (docs/tool.md, "pirt ports").
 * A discovery that fails is one line on stdout, never a failed command.
 */
@Command(name = "ports", mixinStandardHelpOptions = true,
        description = {"List the serial ports of this machine, marking the likely boards.", "",
                "A Raspberry Pi connected by its USB data port shows as a CDC ACM device (/dev/ttyACM*, \"Gadget Serial\"); "
                + "a USB-serial adapter (FTDI, CP210x, CH340, PL2303) may carry a board's UART console. Commands that talk "
                + "to a board use the one likely board when --port is not given. A virtual board (`pirt sim`) is not "
                + "listed: use the path it prints.", "",
                "Then the boards on the network that announce themselves by mDNS (_pirt._tcp: the pirt-runtime package with "
                + "avahi-daemon running): one mDNS query, answers read for 2 s, each with the ssh:// address to give --port."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok (also when no port or board was found, or the network could not be asked)"})
public final class PortsCommand implements Callable<Integer> {
    /** How long the answers to the one mDNS query are read; the discovery ends then. */
    static final long DISCOVERY_MS = 2000;

    @Spec
    CommandSpec spec;

    @Option(names = "--no-network", description = "Do not look for boards on the network (no mDNS query is sent).")
    boolean noNetwork;

    @Option(names = "--mdns-address", paramLabel = "ADDRESS", description = "Ask on the network of this local address only "
            + "(default: every interface that is up and multicast-capable, loopback excluded).")
    InetAddress mdnsAddress;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        print(SerialPorts.list(), out);
        if (System.getProperty("os.name", "").equals("Linux")) {
            ModemManagerWarning.of(Path.of("/proc")).ifPresent(spec.commandLine().getErr()::println);
        }
        if (!noNetwork) {
            out.println();
            out.flush(); // the serial ports show while the network is asked
            discover(out);
        }
        out.flush();
        return 0;
    }

    private void discover(PrintWriter out) throws InterruptedException {
        List<InetAddress> on;
        try {
            on = mdnsAddress != null ? List.of(mdnsAddress) : NetworkBoards.localAddresses();
        } catch (SocketException e) {
            out.println("network: not searched, the network interfaces cannot be listed (" + e.getMessage() + ")");
            return;
        }
        if (on.isEmpty()) {
            out.println("network: not searched, no interface is up with a multicast-capable IPv4 address (--no-network skips this)");
            return;
        }
        NetworkBoards.Result result;
        try {
            result = NetworkBoards.browse(on, DISCOVERY_MS);
        } catch (IOException e) {
            out.println("network: not searched, no selector for the mDNS sockets (" + e.getMessage() + ")");
            return;
        }
        if (!result.failures().isEmpty()) {
            out.println("network: " + String.join("; ", result.failures()));
        }
        printBoards(result.boards(), out);
    }

    static void printBoards(List<NetworkBoards.Found> boards, PrintWriter out) {
        if (boards.isEmpty()) {
            out.println("no boards found on the network in " + DISCOVERY_MS / 1000 + " s (mDNS _pirt._tcp: a board announces itself "
                    + "with the pirt-runtime package and avahi-daemon running)");
            return;
        }
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[] {"BOARD", "RUNTIME", "HOST", "IP", "ADDRESS (--port)"});
        for (NetworkBoards.Found b : boards) {
            rows.add(new String[] {b.board(), b.runtime(), b.host(), b.addresses().isEmpty() ? "-" : String.join(",", b.addresses()),
                    b.sshAddress()});
        }
        int[] width = new int[5];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static void print(List<SerialPortEntry> ports, PrintWriter out) {
        if (ports.isEmpty()) {
            out.println("no serial ports found (is the board plugged in with a data cable?)");
            return;
        }
        int width = ports.stream().mapToInt(p -> p.path().length()).max().orElse(4);
        int descWidth = ports.stream().mapToInt(p -> p.description().length()).max().orElse(11);
        String row = "%-" + width + "s  %-9s  %-" + descWidth + "s  %s";
        out.println(String.format(row, "PORT", "USB", "DESCRIPTION", "NOTE"));
        for (SerialPortEntry p : ports) {
            out.println(String.format(row, p.path(), p.usbId().isEmpty() ? "-" : p.usbId(), p.description(), p.kind().note())
                    .stripTrailing());
        }
    }
}
