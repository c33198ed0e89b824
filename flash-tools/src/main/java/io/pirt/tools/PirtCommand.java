package io.pirt.tools;

import io.pirt.boards.ProfileException;
import io.pirt.tools.boards.BoardsCommand;
import io.pirt.tools.sim.DemoCommand;
import io.pirt.tools.sim.SimCommand;
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
        description = "The pirt tool: run the demo, start a virtual board, look at board profiles.",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = PirtCommand.Version.class,
        subcommands = {DemoCommand.class, SimCommand.class, BoardsCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:failure, the reason is on stderr", "2:usage error"})
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
     * {@link ProfileException} is printed as {@code pirt: message} with exit code 1; any
     * other exception is a bug and is printed with its stack trace, also with exit code 1.
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new PirtCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
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
