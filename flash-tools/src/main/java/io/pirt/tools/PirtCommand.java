package io.pirt.tools;

import io.pirt.boards.ProfileException;
import io.pirt.tools.board.DoctorCommand;
import io.pirt.tools.board.InfoCommand;
import io.pirt.tools.board.LogsCommand;
import io.pirt.tools.board.PsCommand;
import io.pirt.tools.board.RestartCommand;
import io.pirt.tools.board.RollbackCommand;
import io.pirt.tools.board.BundlesCommand;
import io.pirt.tools.boards.BoardsCommand;
import io.pirt.tools.bundle.BundleCommand;
import io.pirt.tools.bundle.KeygenCommand;
import io.pirt.tools.console.ConsoleCommand;
import io.pirt.tools.flash.FlashCommand;
import io.pirt.tools.ports.PortsCommand;
import io.pirt.tools.sim.DemoCommand;
import io.pirt.tools.sim.SimCommand;
import io.pirt.tools.test.TestCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root {@code pirt} command: it only dispatches to its subcommands. */
@Command(name = "pirt",
        description = {"The pirt tool on your laptop: sign an application into a bundle, flash it to a board over its "
                + "serial console, watch the board's console, ask it what runs; start a virtual board; look at board "
                + "profiles. `pirt COMMAND --help` says more about each command; docs/tool.md has examples."},
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = PirtCommand.Version.class,
        commandListHeading = "%nCommands:%n",
        subcommands = {PortsCommand.class, KeygenCommand.class, BundleCommand.class, FlashCommand.class,
                ConsoleCommand.class, InfoCommand.class, DoctorCommand.class, PsCommand.class, LogsCommand.class, RestartCommand.class,
                RollbackCommand.class, BundlesCommand.class, TestCommand.class, DemoCommand.class, SimCommand.class, BoardsCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:failure, the reason is on stderr", "2:usage error",
                "3:(flash) the board refused the bundle", "4:(flash) the board rolled the bundle back"})
public final class PirtCommand implements Runnable {
    /** Exit code of a command that failed for a reason it printed on stderr. */
    static final int EXIT_FAILURE = 1;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "say what to do, e.g. `pirt boards`; `pirt --help` lists the commands");
    }

    /**
     * The {@code pirt} command line, writing to {@code out} and {@code err}. A
     * {@link ToolException} is printed as {@code pirt: message} with its exit code; a
     * {@link ProfileException} is printed as {@code pirt: message} with exit code 1; any
     * other exception is a bug and is printed with its stack trace, also with exit code 1.
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new PirtCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            if (ex instanceof ToolException t) {
                e.println("pirt: " + t.getMessage());
                return t.exitCode();
            }
            if (ex instanceof ProfileException) {
                e.println("pirt: " + ex.getMessage());
            } else {
                e.println("pirt: internal error, please report it with this trace:");
                ex.printStackTrace(e);
            }
            return EXIT_FAILURE;
        });
        return cl;
    }

    /** Reads the version Maven wrote into {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = PirtCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"pirt " + p.getProperty("version", "(version unknown: not built by Maven)")};
        }
    }
}
