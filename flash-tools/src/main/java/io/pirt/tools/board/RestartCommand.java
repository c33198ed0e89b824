package io.pirt.tools.board;

import io.pirt.tools.ToolException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pirt restart}: the board shell's {@code restart}, over the wire protocol. */
@Command(name = "restart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Restart the application on the board.", "", "The answer is the board shell's own text; --json makes it {ok, message}."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:failure: no such port, port busy, the board did not answer, or the command failed on it",
                "2:usage error (also: no --port and not exactly one likely board)"})
public final class RestartCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PortOptions port;

    @Option(names = "--json", description = "Print JSON for scripts instead of the board's text.")
    boolean json;

    @Override
    public Integer call() throws ToolException, InterruptedException {
        return OneShot.run(spec, port, "restart", "", json, BoardText::outcome);
    }
}
