package io.pirt.tools.board;

import io.pirt.tools.ToolException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pirt logs}: the board shell's {@code log N}, over the wire protocol. */
@Command(name = "logs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the last lines of the board's console log.", "",
                "Also lines from before you connected or the last restart; each is marked with its source: [app], [app!] "
                + "(its stderr), [pirt] (the runtime). Follow the console live with `pirt console`. --json prints "
                + "the board's answer as a JSON object {lines: [...]} (docs/tool.md \"JSON answers\")."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:failure: no such port, port busy, the board did not answer, or the command failed on it",
                "2:usage error (also: no --port and not exactly one likely board)"})
public final class LogsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PortOptions port;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "20", description = "How many lines (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = "--json", description = "Print the board's answer record as JSON (docs/tool.md, \"JSON answers\").")
    boolean json;

    @Override
    public Integer call() throws ToolException, InterruptedException {
        if (lines < 1) throw new ToolException(ToolException.USAGE, "--lines must be at least 1, not " + lines);
        return OneShot.run(spec, port, io.pirt.wire.message.Command.LOGS, Integer.toString(lines), json);
    }
}
