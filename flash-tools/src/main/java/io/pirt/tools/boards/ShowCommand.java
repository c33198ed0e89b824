package io.pirt.tools.boards;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pirt boards show ID} prints one built-in profile; {@code pirt boards show
 * --board-file PATH} loads, checks and prints a profile file (for a custom board).
 */
@Command(name = "show", description = "Print a board profile: a built-in one by ID, or a file with --board-file.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:no such profile, or it cannot be read or is not valid (the reason is on stderr)", "2:usage error"})
public final class ShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "a built-in profile id (see `pirt boards`)")
    String id;

    @Option(names = "--board-file", paramLabel = "PATH", description = "a profile file to check and print")
    Path boardFile;

    @Override
    public Integer call() {
        if ((id == null) == (boardFile == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give one profile: an ID (see `pirt boards`) or --board-file PATH");
        }
        BoardProfiles profiles = BoardProfiles.builtIn();
        BoardProfile profile = id != null ? profiles.get(id) : profiles.loadFile(boardFile);
        spec.commandLine().getOut().print(ProfileText.of(profile));
        return 0;
    }
}
