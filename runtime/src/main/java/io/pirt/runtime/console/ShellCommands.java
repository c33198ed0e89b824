package io.pirt.runtime.console;

import io.pirt.boards.BoardProfile;
import io.pirt.hal.Board;
import io.pirt.hal.GpioPin;
import io.pirt.hal.GpioRequest;
import io.pirt.hal.HalException;
import io.pirt.hal.PinMode;
import io.pirt.runtime.log.ConsoleLog;
import io.pirt.runtime.supervisor.AppSupervisor;
import io.pirt.threading.Threading;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The console shell's commands, for a person at the console and, through the wire
 * protocol, for the {@code pirt} tool: each takes a command line and returns the text to
 * show. Unknown commands and bad arguments give one line starting with "error:".
 * Thread-safe.
 */
public final class ShellCommands {
    static final String HELP = String.join("\n",
            "help                 this list",
            "info                 board, runtime version, scheduling, application, uptime",
            "ps                   the application's threads",
            "log [N]              the last N console lines (default 20), from before you connected too",
            "restart              stop and start the application again",
            "stop                 stop the application",
            "gpio read PIN        a pin's level (D17, LED0)",
            "gpio write PIN 0|1   drive a pin no application owns",
            "gpio press|release BUTTON   work a button of the simulated board",
            "bundles              the bundle store's slots and their state",
            "rollback             go back to the committed (or previous) bundle");

    /** The bundle store's side of the shell; the runtime implements it. */
    public interface Bundles {
        /** The slots and their state. */
        String status();

        /** Rolls back and says what runs now, or a line starting with "error:". */
        String rollback();

        /** The bundle running and its state, for {@code info}. */
        String active();
    }

    private final BoardProfile profile;
    private final String runtimeVersion;
    private final AppSupervisor supervisor;
    private final ConsoleLog log;
    private final Supplier<String> restart;
    private final Supplier<Board> localBoard;
    private final Bundles bundles;
    private final long startedNanos = System.nanoTime();
    /** Pins this shell opened while no application ran, kept so written levels hold. Guarded by this. */
    private final Map<String, GpioPin> shellPins = new HashMap<>();

    /**
     * @param restart    restarts the application and says how that went
     * @param localBoard the runtime's own board, for {@code gpio} while no application runs
     */
    public ShellCommands(BoardProfile profile, String runtimeVersion, AppSupervisor supervisor, ConsoleLog log,
                         Supplier<String> restart, Supplier<Board> localBoard, Bundles bundles) {
        this.profile = profile;
        this.runtimeVersion = runtimeVersion;
        this.supervisor = supervisor;
        this.log = log;
        this.restart = restart;
        this.localBoard = localBoard;
        this.bundles = bundles;
    }

    /** Runs one command line; returns its output (no trailing newline), empty for an empty line. */
    public String execute(String commandLine) {
        String[] w = commandLine.trim().split("\\s+");
        if (w[0].isEmpty()) return "";
        return switch (w[0]) {
            case "help" -> HELP;
            case "info" -> noArgs(w, this::info);
            case "ps" -> noArgs(w, this::ps);
            case "log", "logs" -> log(w);
            case "restart" -> noArgs(w, restart);
            case "stop" -> noArgs(w, () -> {
                if (supervisor.current().isEmpty()) return "no application is running";
                supervisor.stop();
                return supervisor.describe();
            });
            case "gpio" -> gpio(w);
            case "bundles" -> noArgs(w, bundles::status);
            case "rollback" -> noArgs(w, bundles::rollback);
            default -> "error: unknown command '" + w[0] + "'; type help";
        };
    }

    private static String noArgs(String[] w, Supplier<String> command) {
        return w.length == 1 ? command.get() : "error: " + w[0] + " takes no arguments";
    }

    private String info() {
        Duration up = Duration.ofNanos(System.nanoTime() - startedNanos);
        return String.join("\n",
                "board:       " + profile.id() + " (" + profile.name() + ")",
                "runtime:     pirt " + runtimeVersion + " on Java " + Runtime.version().feature(),
                "scheduling:  " + Threading.schedulingMode() + " (" + Threading.schedulingDescription().replaceFirst("^pirt: ", "") + ")",
                "application: " + supervisor.describe(),
                "bundle:      " + bundles.active(),
                "uptime:      " + String.format("%dd %02d:%02d:%02d", up.toDays(), up.toHoursPart(), up.toMinutesPart(), up.toSecondsPart()));
    }

    private String ps() {
        String reply = supervisor.ask("ps", 2_000);
        if (!reply.startsWith("threads")) return reply.replaceFirst("^error ", "error: ");
        StringBuilder out = new StringBuilder(String.format("%-24s %8s %5s %9s  %s", "NAME", "IDENT", "PRIO", "EFFECTIVE", "STATE"));
        String[] threads = reply.split("\t");
        for (int i = 1; i < threads.length; i++) {
            String[] f = threads[i].split("\\|", -1);
            if (f.length != 5) continue;
            out.append('\n').append(String.format("%-24s %8s %5s %9s  %s", f[0], f[1], f[2], f[3], f[4]));
        }
        return out.toString();
    }

    private String log(String[] w) {
        int n = 20;
        if (w.length > 2) return "error: usage: log [N]";
        if (w.length == 2) {
            try {
                n = Integer.parseInt(w[1]);
            } catch (NumberFormatException e) {
                return "error: log takes a number of lines, not '" + w[1] + "'";
            }
            if (n <= 0) return "error: log takes a positive number of lines";
        }
        return String.join("\n", log.recent(n));
    }

    private String gpio(String[] w) {
        GpioRequest request = GpioRequest.parse(w).orElse(null);
        if (request == null) return "error: usage: " + GpioRequest.USAGE;
        if (supervisor.current().isPresent()) {
            String reply = supervisor.ask(request.commandLine(), 10_000); // the first use opens the application's board: slow in a cold JVM
            return reply.startsWith("gpio ok ") ? reply.substring(8) : reply.replaceFirst("^(gpio )?error ", "error: ");
        }
        return localGpio(request);
    }

    private synchronized String localGpio(GpioRequest request) {
        String pin = request.pin();
        try {
            Board board = localBoard.get();
            return switch (request.action()) {
                case READ -> {
                    GpioPin held = shellPins.get(pin);
                    boolean level;
                    if (held != null) {
                        level = held.read();
                    } else if (board.simulation().isPresent()) {
                        level = board.simulation().get().level(pin);
                    } else {
                        try (GpioPin p = board.pin(pin, PinMode.INPUT)) {
                            level = p.read();
                        }
                    }
                    yield pin + "=" + (level ? 1 : 0);
                }
                case WRITE -> {
                    GpioPin p = shellPins.get(pin);
                    if (p == null) {
                        p = board.pin(pin, PinMode.OUTPUT);
                        shellPins.put(pin, p);
                    }
                    p.write(request.level());
                    yield pin + "=" + (request.level() ? 1 : 0);
                }
                case PRESS, RELEASE -> {
                    var sim = board.simulation().orElse(null);
                    if (sim == null) yield "error: buttons can be pressed only on the simulated board";
                    boolean press = request.action() == GpioRequest.Action.PRESS;
                    if (press) sim.press(pin); else sim.release(pin);
                    yield pin + (press ? " pressed" : " released");
                }
            };
        } catch (HalException | IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
    }

    /** Closes the pins the shell opened (before an application takes the board). */
    public synchronized void releasePins() {
        shellPins.values().forEach(GpioPin::close);
        shellPins.clear();
    }
}
