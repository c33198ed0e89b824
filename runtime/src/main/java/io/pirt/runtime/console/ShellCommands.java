package io.pirt.runtime.console;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.RealtimeTable;
import io.pirt.hal.Board;
import io.pirt.hal.BusRequest;
import io.pirt.hal.BusRequests;
import io.pirt.hal.GpioPin;
import io.pirt.hal.GpioRequest;
import io.pirt.hal.HalException;
import io.pirt.hal.PinMode;
import io.pirt.runtime.AppJvm;
import io.pirt.runtime.access.Access;
import io.pirt.runtime.log.ConsoleLog;
import io.pirt.runtime.supervisor.AppSupervisor;
import io.pirt.threading.Threading;
import io.pirt.wire.message.AnswerText;
import io.pirt.wire.message.BoardInfo;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.DoctorReport;
import io.pirt.wire.message.Done;
import io.pirt.wire.message.LogLines;
import io.pirt.wire.message.PinLevel;
import io.pirt.wire.message.PwmStates;
import io.pirt.wire.message.Refusal;
import io.pirt.wire.message.StoreSlots;
import io.pirt.wire.message.ThreadList;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The console shell's commands, for a person at the console and, through the wire
 * protocol, for the {@code pirt} tool. {@link #run} answers with the typed record of
 * docs/protocol.md §5.4 (what the tool receives as JSON) or refuses with a
 * {@link Refusal}; {@link #execute} renders the same answer as text for a person
 * ({@link AnswerText}). Thread-safe.
 */
public final class ShellCommands {
    static final String HELP = String.join("\n",
            "help                 this list (commands that change the board run here only if the board's",
            "                     configuration opens the shell: --shell operator; `info` says)",
            "info                 board, runtime version, scheduling, application, uptime",
            "ps                   the application's threads (periodic ones with their lateness figures)",
            "latency reset        start the periodic threads' figures afresh",
            "log [N]              the last N console lines (default 20), from before you connected too",
            "restart              stop and start the application again",
            "stop                 stop the application",
            "gpio read PIN        a pin's level (D17, LED0)",
            "gpio write PIN 0|1   drive a pin no application owns",
            "gpio press|release BUTTON   work a button of the simulated board",
            "i2c temperature BUS ADDRESS CELSIUS",
            "                     set a simulated TMP102 (i2c temperature i2c-1 0x48 31.5)",
            "spi voltage DEVICE CHANNEL VOLTS",
            "                     set an input of a simulated MCP3008 (spi voltage spi0.0 0 1.65)",
            "pwm [CHANNEL]        the PWM channels: frequency, duty, on or off, and their last changes",
            "bundles              the bundle store's slots and their state",
            "doctor               check the board's setup for pirt (each check with what to do)",
            "rollback             go back to the committed (or previous) bundle");
    /** The commands a person may type; the others are the tool's. */
    private static final Set<Command> SHELL = EnumSet.of(Command.INFO, Command.PS, Command.LOGS, Command.RESTART, Command.STOP,
            Command.GPIO, Command.I2C, Command.SPI, Command.PWM, Command.BUNDLES, Command.ROLLBACK, Command.LATENCY, Command.DOCTOR);

    /** The bundle store's side of the shell; the runtime implements it. */
    public interface Bundles {
        /** The slots and their state. */
        StoreSlots status();

        /** Rolls back and says what runs now; refuses when there is nothing to go back to. */
        Done rollback();

        /** The bundle running and its state, for {@code info}; null when none. */
        BoardInfo.RunningBundle active();
    }

    private final BoardProfile profile;
    private final String runtimeVersion;
    private final AppSupervisor supervisor;
    private final ConsoleLog log;
    private final Supplier<Done> restart;
    private final Supplier<Board> localBoard;
    private final Bundles bundles;
    /** Runs the doctor's checks on this board (io.pirt.runtime.doctor). */
    private final Supplier<DoctorReport> doctor;
    /** Whether a person at the shell may change the board, and what {@code info} says about access. */
    private final Access access;
    /** The flags the application's JVM starts with, for {@code info}. */
    private final AppJvm appJvm;
    private final long startedNanos = System.nanoTime();
    /** Pins this shell opened while no application ran, kept so written levels hold. Guarded by this. */
    private final Map<String, GpioPin> shellPins = new HashMap<>();

    /**
     * @param restart    restarts the application and says how that went (refuses when there is none)
     * @param localBoard the runtime's own board, for {@code gpio} while no application runs
     * @param access     the board's access settings: the shell changes the board only when they open it
     * @param appJvm     the flags the application's JVM starts with, for {@code info}
     * @param doctor     runs the doctor's checks on this board, for {@code doctor}
     */
    public ShellCommands(BoardProfile profile, String runtimeVersion, AppSupervisor supervisor, ConsoleLog log,
                         Supplier<Done> restart, Supplier<Board> localBoard, Bundles bundles, Access access,
                         AppJvm appJvm, Supplier<DoctorReport> doctor) {
        this.profile = profile;
        this.runtimeVersion = runtimeVersion;
        this.supervisor = supervisor;
        this.log = log;
        this.restart = restart;
        this.localBoard = localBoard;
        this.bundles = bundles;
        this.access = access;
        this.appJvm = appJvm;
        this.doctor = doctor;
    }

    /** Who may change the board through the port, in a line (the console's banner and {@code info} say it). */
    public String access() {
        return access.describe();
    }

    /** Runs one command line a person typed; returns its output (no trailing newline), empty for an empty line. */
    public String execute(String commandLine) {
        String line = commandLine.trim();
        if (line.isEmpty()) return "";
        String[] w = line.split("\\s+", 2);
        if (w[0].equals("help")) return HELP;
        Command command = Command.of(w[0]).filter(SHELL::contains).orElse(null);
        if (command == null) return "error: unknown command '" + w[0] + "'; type help";
        String argument = w.length > 1 ? w[1] : "";
        if (command.changesBoard(argument) && !access.shellChangesBoard()) {
            return "error: '" + line + "' changes the board, and this board's shell is read-only (docs/raspberry-pi.md, "
                    + "\"What the port gives\"). Do it with the pirt tool from a machine whose key the board trusts (`pirt "
                    + w[0] + "`, its .pub in " + access.trustedKeysDir() + "/), or open the shell: add --shell operator "
                    + "to PIRT_OPTS in /etc/pirt/pirt.conf and restart pirt-runtime";
        }
        try {
            return AnswerText.of(run(command, argument));
        } catch (Refusal.RefusedException e) {
            return AnswerText.of(e.refusal());
        }
    }

    /**
     * Runs a shell command for the tool or a person.
     *
     * @return the command's answer record (docs/protocol.md §5.4)
     * @throws Refusal.RefusedException when the command cannot be done; its refusal says why
     * @throws IllegalArgumentException for a command that is not the shell's
     */
    public Object run(Command command, String argument) {
        String[] w = argument.isBlank() ? new String[0] : argument.trim().split("\\s+");
        return switch (command) {
            case INFO -> noArgs(command, w, this::info);
            case PS -> noArgs(command, w, this::ps);
            case LOGS -> log(w);
            case RESTART -> noArgs(command, w, restart);
            case STOP -> noArgs(command, w, () -> {
                if (supervisor.current().isEmpty()) return new Done("no application is running");
                supervisor.stop();
                return new Done(supervisor.describe());
            });
            case GPIO -> gpio(w);
            case I2C, SPI, PWM -> bus(command, w);
            case BUNDLES -> noArgs(command, w, bundles::status);
            case ROLLBACK -> noArgs(command, w, bundles::rollback);
            case LATENCY -> latency(w);
            case DOCTOR -> noArgs(command, w, doctor);
            default -> throw new IllegalArgumentException(command.wireName() + " is not a shell command");
        };
    }

    private static <T> T noArgs(Command command, String[] w, Supplier<T> answer) {
        if (w.length > 0) throw refused(Refusal.BAD_ARGUMENT, command.wireName() + " takes no arguments");
        return answer.get();
    }

    private static Refusal.RefusedException refused(String code, String message) {
        return new Refusal(code, message).exception();
    }

    private BoardInfo info() {
        long upMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        return new BoardInfo(profile.id(), profile.name(), runtimeVersion, Runtime.version().feature(),
                Threading.schedulingMode().toString(), Threading.schedulingDescription().replaceFirst("^pirt: ", ""),
                new BoardInfo.AppStatus(supervisor.state().name(), supervisor.detail()), bundles.active(), upMs,
                access.describe(), realtime(), new BoardInfo.AppJvm(appJvm.flags(), appJvm.why()));
    }

    private BoardInfo.Realtime realtime() {
        RealtimeTable t = profile.realtime();
        return new BoardInfo.Realtime(java.util.Arrays.stream(t.fifoPriorities()).boxed().toList(), t.cpus(), t.dmaLatencyUs());
    }

    private ThreadList ps() {
        String reply = supervisor.ask("ps", 2_000);
        if (!reply.startsWith("threads")) {
            String why = reply.replaceFirst("^error ", "");
            throw refused(supervisor.current().isEmpty() ? Refusal.NO_APPLICATION : Refusal.FAILED, why);
        }
        List<ThreadList.ThreadRow> rows = new ArrayList<>();
        String[] threads = reply.split("\t");
        for (int i = 1; i < threads.length; i++) {
            // NAME|IDENT|PRIO|EFFECTIVE|STATE, then |PERIOD_US,WAKEUPS,P99_NS,MAX_NS,OVERRUNS (empty without a schedule)
            String[] f = threads[i].split("\\|", -1);
            if (f.length != 5 && f.length != 6) continue;
            try {
                rows.add(new ThreadList.ThreadRow(f[0], f[1].matches("-?\\d+") ? Long.parseLong(f[1]) : -1,
                        Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], f.length == 6 ? periodic(f[5]) : null));
            } catch (NumberFormatException e) {
                throw refused(Refusal.FAILED, "the application's thread list has a malformed row '" + threads[i] + "': " + e.getMessage());
            }
        }
        return new ThreadList(rows);
    }

    /** A ps row's periodic figures, or null for an empty field. */
    private static ThreadList.Periodic periodic(String field) {
        if (field.isEmpty()) return null;
        String[] n = field.split(",");
        if (n.length != 5) throw new NumberFormatException("periodic figures '" + field + "' are not 5 numbers");
        return new ThreadList.Periodic(Long.parseLong(n[0]), Long.parseLong(n[1]), Long.parseLong(n[2]), Long.parseLong(n[3]),
                Long.parseLong(n[4]));
    }

    private Done latency(String[] w) {
        if (w.length != 1 || !w[0].equals("reset")) throw refused(Refusal.BAD_ARGUMENT, "usage: latency reset");
        String reply = supervisor.ask("latency reset", 2_000);
        if (!reply.equals("latency reset")) {
            String why = reply.replaceFirst("^error ", "");
            throw refused(supervisor.current().isEmpty() ? Refusal.NO_APPLICATION : Refusal.FAILED, why);
        }
        return new Done("the periodic threads' figures start afresh");
    }

    private LogLines log(String[] w) {
        int n = 20;
        if (w.length > 1) throw refused(Refusal.BAD_ARGUMENT, "usage: log [N]");
        if (w.length == 1) {
            try {
                n = Integer.parseInt(w[0]);
            } catch (NumberFormatException e) {
                throw refused(Refusal.BAD_ARGUMENT, "log takes a number of lines, not '" + w[0] + "'");
            }
            if (n <= 0) throw refused(Refusal.BAD_ARGUMENT, "log takes a positive number of lines");
        }
        return new LogLines(log.recent(n));
    }

    /** {@code args}: the words after {@code gpio}. */
    private Object gpio(String[] args) {
        GpioRequest request = GpioRequest.parse(withWord("gpio", args))
                .orElseThrow(() -> refused(Refusal.BAD_ARGUMENT, "usage: " + GpioRequest.USAGE));
        String text = supervisor.current().isPresent() ? askApplication("gpio", request.commandLine()) : localGpio(request);
        if (request.action() == GpioRequest.Action.READ || request.action() == GpioRequest.Action.WRITE) {
            int eq = text.lastIndexOf('=');
            return new PinLevel(request.pin(), eq >= 0 && text.substring(eq + 1).strip().equals("1"));
        }
        return new Done(text);
    }

    /**
     * {@code i2c}, {@code spi} or {@code pwm}; {@code args}: the words after it. Carried out where
     * the board's devices are: in the application's process while one runs, else on the
     * runtime's own board.
     */
    private Object bus(Command command, String[] args) {
        String word = command.wireName();
        BusRequest request = BusRequest.parse(withWord(word, args))
                .orElseThrow(() -> refused(Refusal.BAD_ARGUMENT, "usage: " + BusRequest.usage(word)));
        String message;
        if (supervisor.current().isPresent()) {
            message = askApplication(word, request.commandLine());
        } else {
            try {
                message = okMessage(BusRequests.answer(request, localBoard.get()));
            } catch (HalException e) { // the runtime's own board cannot be opened
                throw refused(Refusal.FAILED, e.getMessage());
            }
        }
        return request instanceof BusRequest.ReadPwm ? pwmStates(message) : new Done(message);
    }

    /** {@code word} followed by {@code args}: a command line split into words as the request grammars take it. */
    private static String[] withWord(String word, String[] args) {
        String[] w = new String[args.length + 1];
        w[0] = word;
        System.arraycopy(args, 0, w, 1, args.length);
        return w;
    }

    /**
     * Asks the application's process, which holds the board while it runs, to carry out a
     * {@code gpio}, {@code i2c}, {@code spi} or {@code pwm} line; its reply is {@code WORD ok|error|unsupported MESSAGE}.
     *
     * @return the message of an {@code ok}
     */
    private String askApplication(String word, String commandLine) {
        String reply = supervisor.ask(commandLine, 10_000); // the first use opens the application's board: slow in a cold JVM
        if (reply.startsWith("error unknown request ")) {
            throw refused(Refusal.NOT_SUPPORTED, "the application's pirt libraries are older than the " + word
                    + " command; build it with this pirt to use it");
        }
        if (!reply.startsWith(word + " ")) throw refused(Refusal.FAILED, reply.replaceFirst("^error ", ""));
        return okMessage(reply.substring(word.length() + 1));
    }

    /** The message of an {@code ok MESSAGE} reply; {@code unsupported} and {@code error} replies are refusals. */
    private static String okMessage(String reply) {
        if (reply.startsWith("unsupported ")) throw refused(Refusal.NOT_SUPPORTED, reply.substring("unsupported ".length()));
        if (!reply.startsWith("ok ")) throw refused(Refusal.FAILED, reply.replaceFirst("^error ", ""));
        return reply.substring("ok ".length());
    }

    /** A {@code pwm} reply's message (io.pirt.hal.BusRequests): {@code simulated|real}, then a tab-separated field per channel. */
    private static PwmStates pwmStates(String message) {
        String[] fields = message.split("\t");
        List<PwmStates.Channel> channels = new ArrayList<>();
        try {
            for (int i = 1; i < fields.length; i++) {
                // NAME|PIN|OPEN|PERIOD_NS|DUTY_NS|ENABLED|EARLIER|AGO,PERIOD,DUTY,ENABLED;...
                String[] f = fields[i].split("\\|", -1);
                if (f.length != 8) throw new NumberFormatException("not 8 fields");
                List<PwmStates.Change> changes = new ArrayList<>();
                for (String c : f[7].isEmpty() ? new String[0] : f[7].split(";")) {
                    String[] n = c.split(",");
                    if (n.length != 4) throw new NumberFormatException("change '" + c + "' is not 4 numbers");
                    changes.add(new PwmStates.Change(Long.parseLong(n[0]), Long.parseLong(n[1]), Long.parseLong(n[2]), n[3].equals("1")));
                }
                channels.add(new PwmStates.Channel(f[0], f[1], f[2].equals("1"), Long.parseLong(f[3]), Long.parseLong(f[4]), f[5].equals("1"),
                        changes, Long.parseLong(f[6])));
            }
        } catch (NumberFormatException e) {
            throw refused(Refusal.FAILED, "the PWM state has a malformed field in '" + message + "': " + e.getMessage());
        }
        return new PwmStates(fields[0].equals("simulated"), channels);
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
                    if (sim == null) throw refused(Refusal.NOT_SUPPORTED, "buttons can be pressed only on the simulated board");
                    boolean press = request.action() == GpioRequest.Action.PRESS;
                    if (press) sim.press(pin); else sim.release(pin);
                    yield pin + (press ? " pressed" : " released");
                }
            };
        } catch (HalException | IllegalArgumentException e) {
            throw refused(Refusal.FAILED, e.getMessage());
        }
    }

    /** Closes the pins the shell opened (before an application takes the board). */
    public synchronized void releasePins() {
        shellPins.values().forEach(GpioPin::close);
        shellPins.clear();
    }
}
