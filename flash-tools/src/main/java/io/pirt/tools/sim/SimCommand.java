package io.pirt.tools.sim;

import io.pirt.virtualboard.CableFaults;
import io.pirt.virtualboard.VirtualBoard;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pirt sim}: a virtual board with its cable, until Ctrl-C or SIGTERM. */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = {"Start a virtual board: the real pirt runtime with a simulated board profile, its console on a",
                "virtual serial cable. Prints 'port: PATH' (the host end of the cable) as its first line and",
                "'socket: PATH' (the runtime's wire socket, as a board's /run/pirt/wire.sock) as its second, then runs",
                "until Ctrl-C or SIGTERM and stops everything it started.",
                "",
                "Talk to it with `pirt console --port PATH`, picocom or screen."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by Ctrl-C or SIGTERM",
                "1:the virtual board did not start, or its runtime ended by itself (what it printed is on stderr)",
                "2:usage error"})
public final class SimCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--baud", defaultValue = "115200", description = "The board's console rate; the cable behaves like a UART: paced at the rate each end sets, garbled when they differ (0: unpaced, rates ignored; default: ${DEFAULT-VALUE}).")
    int baud;

    @Option(names = "--state", paramLabel = "DIR", description = "The board's state directory (log, bundles); default: a new temporary one.")
    Path state;

    @Option(names = "--wiring", paramLabel = "FILE", description = "What is connected to the pins (docs/hal.md); default: a button on BTN0, an LED on LED0, a jumper D22-D23.")
    Path wiring;

    @Option(names = "--app-jar", paramLabel = "JAR", description = "Run this application jar on the board (development).")
    Path appJar;

    @Option(names = "--app-main", paramLabel = "CLASS", description = "Main class of --app-jar.")
    String appMain;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = state != null ? state : Files.createTempDirectory("pirt-sim-");
        Path w = wiring != null ? wiring : DefaultWiring.writeTo(dir);
        List<String> args = new ArrayList<>();
        if (appJar != null) args.addAll(List.of("--app-jar", appJar.toAbsolutePath().toString(), "--app-main", String.valueOf(appMain)));
        VirtualBoard board = VirtualBoard.start(VirtualBoard.Options.at(dir).baud(baud).faults(CableFaults.NONE).wiring(w).args(args));
        boolean[] stopping = {false};
        Runtime.getRuntime().addShutdownHook(new java.lang.Thread(() -> {
            synchronized (stopping) {
                stopping[0] = true;
            }
            board.close();
        }, "pirt-sim-stop"));
        out.println("port: " + board.port());
        out.println("socket: " + board.wireSocket());
        out.println("state: " + dir + " (the runtime's own messages: " + dir.resolve("runtime.err") + ")");
        out.println("virtual board running at " + (baud == 0 ? "full speed" : baud + " baud (the tool's --baud must match, as on a UART)")
                + "; Ctrl-C stops it");
        out.flush();
        int code = board.runtimeProcess().waitFor();
        synchronized (stopping) {
            if (stopping[0]) return 0; // Ctrl-C or SIGTERM: the hook stops the rest
        }
        spec.commandLine().getErr().println("pirt: the virtual board's runtime ended by itself (status " + code + "); its messages:\n"
                + board.runtimeOutput());
        board.close();
        return 1;
    }
}
