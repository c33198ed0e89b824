package io.pirt.tools.board;

import io.pirt.tools.ToolException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pirt logs}: the last lines of the board's console log, over the wire protocol. */
@Command(name = "logs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the last lines of the board's console log.", "",
                "Also lines from before you connected or the last restart; each is marked with its source: [app], [app!] "
                + "(its stderr), [pirt] (the runtime). Follow the console live with `pirt console`. --json prints "
                + "the board's answer record (LogLines {lines: [...]}, docs/tool.md \"JSON answers\")."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {OneShot.EXIT_OK, OneShot.EXIT_FAILURE, OneShot.EXIT_USAGE})
public final class LogsCommand extends OneShot {
    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "20", description = "How many lines (default: ${DEFAULT-VALUE}).")
    int lines;

    @Override
    io.pirt.wire.message.Command command() {
        return io.pirt.wire.message.Command.LOGS;
    }

    @Override
    String argument() throws ToolException {
        if (lines < 1) throw new ToolException(ToolException.USAGE, "--lines must be at least 1, not " + lines);
        return Integer.toString(lines);
    }
}
