package io.pirt.tools.boards;

import io.pirt.boards.BoardDetector;
import io.pirt.boards.BoardProfiles;
import io.pirt.boards.Detection;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pirt boards detect}: prints the id of the profile that fits this machine, alone on
 * its line, so scripts can use it. When the answer is the virtual board, why is said on
 * stderr; a model no profile matches is an error (exit 1).
 */
@Command(name = "detect", description = "Print the id of the board profile that fits this machine.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok (a machine no profile fits gets the virtual board's id, and the reason on stderr)",
                "1:a built-in profile cannot be read (the reason is on stderr)", "2:usage error"})
public final class DetectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/",
            description = "file-system root to read the device-tree model under (default: ${DEFAULT-VALUE})")
    Path root;

    @Override
    public Integer call() {
        Detection detection = new BoardDetector(BoardProfiles.builtIn()).detect(root);
        spec.commandLine().getOut().println(detection.profile().id());
        if (detection.isVirtual()) {
            spec.commandLine().getErr().println("pirt: " + detection.reason());
        }
        return 0;
    }
}
