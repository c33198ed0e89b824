package io.pirt.tools.console;

import io.pirt.tools.client.BoardClient;
import io.pirt.wire.ConsoleSource;
import io.pirt.wire.ProtocolException;
import io.pirt.tools.ToolException;
import io.pirt.tools.board.BoardSession;
import io.pirt.tools.board.PortOptions;
import io.pirt.tools.flash.FlashCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pirt console}: the board's console through the wire protocol. Lines typed here go
 * to the board's shell, edited locally with a history on a terminal ({@link TerminalKeyboard}),
 * line by line otherwise ({@link StreamKeyboard}); Ctrl-] leaves at once. Everything the
 * board prints streams to stdout (above the line being typed), and with {@code --log} to a file.
 */
@Command(name = "console", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Open the board's console: its output here, your lines to its shell.", "",
                "What the application and the runtime print streams to stdout, and the lines you type go to the board's "
                + "shell (help, info, ps, log, restart, stop, gpio). On a terminal a line is edited here before it is sent "
                + "(arrows, Ctrl-A/E/K/U/W) and earlier lines come back with Up and Ctrl-R (kept in "
                + "~/.pirt/console_history). Leave with Ctrl-] (at once) or Ctrl-D. If the board is unplugged, the "
                + "console waits for it to come back (up to --reconnect-timeout-ms) when you next type."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:you left the console",
                "1:failure: no such port, port busy, the board did not answer or did not come back in time",
                "2:usage error (also: no --port and not exactly one likely board)"})
public final class ConsoleCommand implements Callable<Integer> {
    private static final long PORT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    @Spec
    CommandSpec spec;

    @Mixin
    PortOptions port;

    @Option(names = "--log", paramLabel = "FILE", description = "Also append every line the board prints to FILE.")
    Path logFile;

    @Option(names = "--reconnect-timeout-ms", paramLabel = "MS", defaultValue = "30000",
            description = "After the line is lost, how long to wait for the board to come back (default: ${DEFAULT-VALUE}).")
    long reconnectTimeoutMs;

    @Override
    public Integer call() throws ToolException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String path = port.port();
        Writer log = openLog();
        try (Keyboard keyboard = openKeyboard(out)) {
            Shown shown = new Shown(keyboard, log);
            BoardClient.Options options = BoardSession.clientOptions(port.timeoutMs(), reconnectTimeoutMs);
            BoardSession session = BoardSession.open(path, port.link(), options, shown::line);
            err.println("pirt: connected to " + session.client().board().name() + " (runtime "
                    + session.client().board().software() + ") on " + path + "; leave with Ctrl-] or Ctrl-D");
            err.flush();
            try {
                String line;
                while ((line = keyboard.readLine()) != null) {
                    byte[] typed = (line + "\r").getBytes(StandardCharsets.UTF_8);
                    try {
                        session.client().type(typed, 0, typed.length);
                    } catch (ProtocolException e) {
                        session.close();
                        session = reconnect(path, options, shown, err, e.getMessage());
                        session.client().type(typed, 0, typed.length);
                    }
                }
            } catch (IOException e) {
                throw ToolException.failure("reading the keyboard or writing to " + path + " failed: " + e.getMessage(), e);
            } finally {
                shown.stop(); // the person left: what arrives while the port closes is not theirs to see
                session.close();
            }
            err.println("pirt: left the console");
            return 0;
        } catch (IOException e) {
            throw ToolException.failure("the terminal: " + e.getMessage(), e); // opening it, or giving it back
        } finally {
            if (log != null) {
                try {
                    log.close();
                } catch (IOException e) {
                    err.println("pirt: the log " + logFile + " may be incomplete: " + e.getMessage());
                }
            }
        }
    }

    private BoardSession reconnect(String path, BoardClient.Options options, Shown shown, PrintWriter err, String why)
            throws ToolException, InterruptedException {
        err.println("pirt: lost the board (" + why + "); waiting up to " + reconnectTimeoutMs + " ms for it on " + path);
        err.flush();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(reconnectTimeoutMs);
        while (true) {
            try {
                BoardSession s = BoardSession.open(path, port.link(), options, shown::line);
                err.println("pirt: reconnected to " + path);
                err.flush();
                return s;
            } catch (ToolException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw ToolException.failure("the board did not come back on " + path + " within " + reconnectTimeoutMs
                            + " ms: " + e.getMessage(), e);
                }
                LockSupport.parkNanos(PORT_POLL_NANOS); // a device node has no event to wait on portably
                if (java.lang.Thread.interrupted()) throw new InterruptedException();
            }
        }
    }

    /** The terminal when the tool runs on one, else lines from standard input. */
    private static Keyboard openKeyboard(PrintWriter out) throws IOException {
        if (FlashCommand.onTerminal()) return TerminalKeyboard.system();
        return new StreamKeyboard(System.in, out);
    }

    private Writer openLog() throws ToolException {
        if (logFile == null) return null;
        try {
            return Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw ToolException.failure("cannot open the log file " + logFile + ": " + e.getMessage(), e);
        }
    }

    /** Prints the board's lines, without the shell's terminal control sequences, to stdout and the log. */
    static final class Shown {
        private final Keyboard screen;
        private final Writer log;
        /** Set when the person left. Guarded by this. */
        private boolean stopped;

        Shown(Keyboard screen, Writer log) {
            this.screen = screen;
            this.log = log;
        }

        /**
         * Shows nothing more. While the port closes the board still prints (its prompt, after the
         * session ended) and the port may already be back at another rate, which turns that into
         * noise on the screen after the person left.
         */
        synchronized void stop() {
            stopped = true;
        }

        synchronized void line(ConsoleSource source, String raw) {
            if (stopped) return;
            String line = ConsoleText.clean(raw);
            screen.show(line);
            if (log != null) {
                try {
                    log.write(line);
                    log.write('\n');
                    log.flush();
                } catch (IOException e) {
                    screen.show("pirt: cannot write to the log: " + e.getMessage()); // shown where the person looks
                }
            }
        }
    }
}
