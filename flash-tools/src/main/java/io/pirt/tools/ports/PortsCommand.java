package io.pirt.tools.ports;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pirt ports}: the serial ports of this machine, likely boards marked. */
@Command(name = "ports", mixinStandardHelpOptions = true,
        description = {"List the serial ports of this machine, marking the likely boards.", "",
                "A Raspberry Pi connected by its USB data port shows as a CDC ACM device (/dev/ttyACM*, \"Gadget Serial\"); "
                + "a USB-serial adapter (FTDI, CP210x, CH340, PL2303) may carry a board's UART console. Commands that talk "
                + "to a board use the one likely board when --port is not given. A virtual board (`pirt sim`) is not "
                + "listed: use the path it prints."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok (also when no port was found)"})
public final class PortsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        print(SerialPorts.list(), out);
        if (System.getProperty("os.name", "").equals("Linux")) {
            ModemManagerWarning.of(Path.of("/proc")).ifPresent(spec.commandLine().getErr()::println);
        }
        return 0;
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
