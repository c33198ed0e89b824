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
        description = {"Show what the board is and runs: board, runtime version, scheduling mode, application, bundle, uptime.", "", "The answer is the board shell's own text; --json makes it an object of the board's 'key: value' lines."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:failure: no such port, port busy, the board did not answer, or the command failed on it",
                "2:usage error (also: no --port and not exactly one likely board)"})
public final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PortOptions port;

    @Option(names = "--json", description = "Print JSON for scripts instead of the board's text.")
    boolean json;

    @Override
    public Integer call() throws ToolException, InterruptedException {
        return OneShot.run(spec, port, "info", "", json, BoardText::info);
    }
}
