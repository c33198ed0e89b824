package io.pirt.tools.boards;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pirt boards}: lists the built-in board profiles, one {@code ID  NAME} per line. */
@Command(name = "boards",
        description = "List the built-in board profiles (id and name).",
        subcommands = {ShowCommand.class, DetectCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:a profile cannot be read or is not valid (the reason is on stderr)", "2:usage error"})
public final class BoardsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (BoardProfile p : BoardProfiles.builtIn().all()) {
            out.printf("%-12s %s%n", p.id(), p.name());
        }
        return 0;
    }
}
