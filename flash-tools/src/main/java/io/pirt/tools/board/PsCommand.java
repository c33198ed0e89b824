package io.pirt.tools.board;

import picocli.CommandLine.Command;

/** {@code pirt ps}: the application's threads, over the wire protocol. */
@Command(name = "ps", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the application's threads on the board: name, ident (Linux tid), priority, effective priority, state.", "", "--json prints the board's answer record (ThreadList, docs/tool.md \"JSON answers\")."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {OneShot.EXIT_OK, OneShot.EXIT_FAILURE, OneShot.EXIT_USAGE})
public final class PsCommand extends OneShot {
    @Override
    io.pirt.wire.message.Command command() {
        return io.pirt.wire.message.Command.PS;
    }
}
