package io.pirt.tools.board;

import io.pirt.tools.ToolException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pirt info}: the board shell's {@code info}, over the wire protocol. */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show what the board is and runs: board, runtime version, scheduling mode, application, bundle, uptime.", "", "--json prints the board's answer as a JSON object (BoardInfo, docs/tool.md \"JSON answers\")."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:failure: no such port, port busy, the board did not answer, or the command failed on it",
                "2:usage error (also: no --port and not exactly one likely board)"})
public final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PortOptions port;

    @Option(names = "--json", description = "Print the board's answer record as JSON (docs/tool.md, \"JSON answers\").")
    boolean json;

    @Override
    public Integer call() throws ToolException, InterruptedException {
        return OneShot.run(spec, port, io.pirt.wire.message.Command.INFO, "", json);
    }
}
