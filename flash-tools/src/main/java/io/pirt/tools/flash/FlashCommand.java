package io.pirt.tools.flash;

import io.pirt.bundle.BundleLibraries;
import io.pirt.tools.client.BoardClient;
import io.pirt.tools.client.TransferRefusedException;
import io.pirt.tools.client.TransferReport;
import io.pirt.wire.message.Done;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Refusal;
import io.pirt.wire.message.UnreadableAnswerException;
import io.pirt.wire.ProtocolException;
import io.pirt.tools.ToolException;
import io.pirt.tools.board.BoardSession;
import io.pirt.tools.board.PortOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pirt flash}: sends a bundle to a board, resuming after a lost line, and reports
 * the board's verdict. Success is claimed only when the board says it committed the bundle.
 */
@Command(name = "flash", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send a signed bundle to a board and install it.", "",
                "The board checks the file's SHA-256 and signature, starts the new application on trial and commits it "
                + "only when it runs; otherwise it keeps (or goes back to) the previous one, so a board never runs a "
                + "half-written bundle, and this command reports success only when the board committed it. Progress "
                + "goes to stderr. If the line is lost (cable pulled, board replugged) it waits for the port to come "
                + "back and resumes from what the board already has.", "",
                "Example:",
                "  pirt flash --port /dev/ttyACM0 demo-1.0.0.pirt"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the board committed the bundle and runs it",
                "1:failure: no such port, port busy, the board did not answer or could not be reached again in time",
                "2:usage error (also: no --port and not exactly one likely board)",
                "3:the board refused the bundle (not signed by a key it trusts, wrong board, too old a runtime, ...)",
                "4:the board rolled the bundle back (it did not start or stay healthy); the previous one runs"})
public final class FlashCommand implements Callable<Integer> {
    static final int EXIT_REFUSED = 3;
    static final int EXIT_ROLLED_BACK = 4;
    private static final long FAST_RATE_RECONNECT_MS = 5_000;
    private static final long PORT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    @Spec
    CommandSpec spec;

    @Mixin
    PortOptions port;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle file.")
    Path bundle;

    @Option(names = "--reconnect-timeout-ms", paramLabel = "MS", defaultValue = "30000",
            description = "After the line is lost, how long to wait for the board to come back (default: ${DEFAULT-VALUE}).")
    long reconnectTimeoutMs;

    @Option(names = "--verdict-timeout-ms", paramLabel = "MS", defaultValue = "60000",
            description = "How long the board may take to start the application on trial and decide (default: ${DEFAULT-VALUE}).")
    long verdictTimeoutMs;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "bar (one updating line), lines (a line per tenth), none, or auto: bar on a terminal, "
                    + "else lines (default: ${DEFAULT-VALUE}).")
    String progressMode;

    @Option(names = "--no-compress", negatable = false, description = "Send the bundle as is, not deflated.")
    boolean noCompress;

    @Mixin
    io.pirt.tools.board.ProofKeyOptions key;

    @Option(names = "--force", negatable = false,
            description = "Allow this bundle to be older than the one committed on the board (going back on purpose). "
                    + "Every other check still applies: a bundle must be signed by a key the board trusts, be for this "
                    + "board and this runtime.")
    boolean force;

    @Option(names = "--flash-baud", paramLabel = "BAUD", defaultValue = "0",
            description = "On a UART, switch both ends to BAUD for the transfer (e.g. 921600), going back to --baud if "
                    + "nothing answers there; the board's console returns to --baud afterwards. A USB gadget port has no "
                    + "rate and ignores this (default: 0, stay at --baud).")
    int flashBaud;

    @Override
    public Integer call() throws ToolException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (flashBaud < 0) throw new ToolException(ToolException.USAGE, "--flash-baud is a rate in baud, or 0 to stay at --baud");
        if (!Files.isRegularFile(bundle)) {
            throw ToolException.failure("no such bundle file: " + bundle + " (make one with `pirt bundle`)");
        }
        ProgressBar progress = progressBar(err);
        String path = port.port();
        BoardClient.Options options = BoardSession.clientOptions(port.timeoutMs(), reconnectTimeoutMs)
                .withCompress(!noCompress).withKeyProof(key.proof()); // --force asks allow-downgrade, which needs a trusted key
        // install-wait blocks on the board for up to verdictTimeoutMs: the request must wait longer
        // After a lost line at --flash-baud the board is back at --baud within seconds: the
        // client stops saying hello at the fast rate soon, and the port is opened again at --baud.
        long clientReconnectMs = flashBaud > 0 ? Math.min(reconnectTimeoutMs, FAST_RATE_RECONNECT_MS) : reconnectTimeoutMs;
        BoardClient.Options verdictOptions = options.withTimeouts(options.idleTimeoutMs(), options.helloTimeoutMs(),
                verdictTimeoutMs + port.timeoutMs(), clientReconnectMs);

        Path work;
        try {
            work = Files.createTempDirectory("pirt-flash-");
        } catch (IOException e) {
            throw ToolException.failure("cannot make a temporary directory for the bundle's libraries: " + e.getMessage(), e);
        }
        try {
            BundleLibraries.Split split = split(bundle, work);
            Path toSend = bundle; // the thin bundle once the board's library cache holds its libraries
            boolean librariesDone = split.jars().isEmpty();
            TransferReport report = null;
            InstallVerdict verdict = null;
            boolean lostOnce = false;
            long deadline = 0;
            while (verdict == null) {
                BoardSession session = lostOnce ? reopen(path, verdictOptions, deadline, err)
                        : BoardSession.open(path, port.link(), verdictOptions, (source, line) -> { });
                try (session) {
                    if (flashBaud > 0 && flashBaud != port.baud() && report == null) {
                        err.println("pirt: " + session.switchBaud(flashBaud).message());
                        err.flush();
                    }
                    if (!librariesDone) {
                        // before the bundle: a thin bundle's libraries must be in the board's cache when it arrives
                        Optional<LibraryUpload.Result> cached;
                        try {
                            cached = LibraryUpload.upload(session.client(), split.jars());
                        } catch (TransferRefusedException e) {
                            throw ToolException.failure(path + ": the board refused a library for its cache: " + e.getMessage(), e);
                        }
                        if (cached.isPresent()) toSend = split.thin();
                        err.println(cached.map(LibraryUpload.Result::summary).orElse("libraries: the board has no library cache"
                                + " (runtime " + session.client().board().software() + "); they travel in the bundle"));
                        err.flush();
                        librariesDone = true;
                    }
                    if (force && report == null) {
                        // before the transfer: the board checks the downgrade as the file arrives
                        session.ask(io.pirt.wire.message.Command.ALLOW_DOWNGRADE, Flashing.sha256Hex(toSend), Done.class);
                    }
                    if (report == null) {
                        err.println("flashing " + bundle + " (" + Files.size(toSend) + " bytes" + (toSend.equals(bundle) ? ""
                                : " without the libraries the board has") + ") to " + session.client().board().name()
                                + " (runtime " + session.client().board().software() + ") on " + path);
                        err.flush();
                        try {
                            report = session.client().transfer(toSend, Flashing.TRANSFER_NAME, progress);
                        } catch (TransferRefusedException e) {
                            progress.finish();
                            verdict = Flashing.verdictOnRefusal(session.client(), toSend, e);
                            break;
                        }
                        progress.finish();
                        err.println(describe(report));
                        err.flush();
                    }
                    verdict = Flashing.awaitVerdict(session.client(), report.sha256Hex(), verdictTimeoutMs);
                } catch (Refusal.RefusedException e) {
                    throw ToolException.failure("the board gave no verdict on " + bundle + ": " + e.refusal().message());
                } catch (UnreadableAnswerException e) {
                    throw ToolException.failure(e.getMessage() + "; the board's runtime and this tool disagree on the protocol: "
                            + "update the older one", e);
                } catch (ProtocolException e) {
                    progress.finish();
                    String m = e.getMessage();
                    if (!lostOnce) deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(reconnectTimeoutMs);
                    lostOnce = true;
                    if (System.nanoTime() - deadline >= 0) {
                        throw ToolException.failure("lost the board on " + path + " and it did not come back within "
                                + reconnectTimeoutMs + " ms (" + m + "). Nothing half-written is ever started; run the same "
                                + "flash again to resume", e);
                    }
                    err.println("pirt: lost the board (" + m + "); reconnecting to " + path + " to resume");
                    err.flush();
                    progress.restart();
                } catch (IOException e) {
                    throw ToolException.failure("cannot send " + bundle + ": " + e.getMessage(), e);
                }
            }
            return switch (verdict.outcome()) {
                case COMMITTED -> {
                    out.println("committed " + verdict.detail());
                    yield 0;
                }
                case REFUSED -> {
                    err.println("pirt: the board refused " + bundle + ": " + verdict.detail());
                    yield EXIT_REFUSED;
                }
                case ROLLED_BACK -> {
                    err.println("pirt: the board rolled " + bundle + " back: " + verdict.detail()
                            + "; the previous application runs. `pirt logs` shows why");
                    yield EXIT_ROLLED_BACK;
                }
                case TEST_READY -> throw ToolException.failure(bundle + " is a test bundle (" + verdict.detail()
                        + "): run it with `pirt test`, which also collects its results");
            };
        } finally {
            deleteTree(work, err);
        }
    }

    /** The bundle's libraries taken out, for a board whose cache may hold them; none for a bundle of format 1. */
    private static BundleLibraries.Split split(Path bundle, Path work) throws ToolException {
        try {
            return Flashing.split(bundle, work);
        } catch (IOException e) {
            throw ToolException.failure("cannot read the libraries of " + bundle + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir, PrintWriter err) {
        try {
            Flashing.deleteTree(dir);
        } catch (IOException e) {
            err.println("pirt: could not remove the temporary directory " + dir + ": " + e.getMessage());
        }
    }

    /** Opens the port again once it is back, until {@code deadline}. */
    private BoardSession reopen(String path, BoardClient.Options options, long deadline, PrintWriter err)
            throws ToolException, InterruptedException {
        boolean said = false;
        while (true) {
            try {
                BoardSession s = BoardSession.open(path, port.link(), options, (source, line) -> { });
                err.println("pirt: the board is back on " + path + "; resuming");
                err.flush();
                return s;
            } catch (ToolException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw ToolException.failure("the board did not come back on " + path + " within " + reconnectTimeoutMs
                            + " ms (" + e.getMessage() + "). Plug it in and run the same flash again: it resumes", e);
                }
                if (!said) {
                    err.println("pirt: waiting for " + path + " to come back (" + e.getMessage() + ")");
                    err.flush();
                    said = true;
                }
                // a device node has no event to wait on portably: look again shortly
                LockSupport.parkNanos(PORT_POLL_NANOS);
                if (java.lang.Thread.interrupted()) throw new InterruptedException();
            }
        }
    }

    private ProgressBar progressBar(PrintWriter err) throws ToolException {
        return switch (progressMode) {
            case "bar" -> new ProgressBar(err, true);
            case "lines" -> new ProgressBar(err, false);
            case "none" -> new ProgressBar(new PrintWriter(java.io.Writer.nullWriter()), false);
            case "auto" -> new ProgressBar(err, onTerminal());
            default -> throw new ToolException(ToolException.USAGE, "--progress is bar, lines, none or auto, not '" + progressMode + "'");
        };
    }

    /**
     * Whether the tool runs on a terminal. Java 21's {@code System.console()} is null when
     * redirected; from Java 22 on it may not be, and {@code Console.isTerminal()} (called
     * reflectively: the tool is built for 21) says it.
     */
    public static boolean onTerminal() {
        java.io.Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (NoSuchMethodException e) {
            return true; // Java 21: a console exists only on a terminal
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Console.isTerminal() exists but cannot be called", e);
        }
    }

    static String describe(TransferReport r) {
        double seconds = r.elapsedMillis() / 1000.0;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "sent %d bytes", r.fileBytes()));
        if (r.compressed()) s.append(String.format(Locale.ROOT, " (%d deflated)", r.wireBytes()));
        s.append(String.format(Locale.ROOT, " in %.1f s", seconds));
        if (r.resumedFromBytes() > 0) {
            s.append(String.format(Locale.ROOT, "; resumed from byte %d of %d", r.resumedFromBytes(), r.wireBytes()));
        }
        s.append("; the board verified SHA-256 ").append(r.sha256Hex(), 0, 16).append("...; waiting for its verdict");
        return s.toString();
    }
}
