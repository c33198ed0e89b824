package io.pirt.tools.board;

import picocli.CommandLine.Command;

/** {@code pirt info}: the board's {@code info}, over the wire protocol. */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show what the board is and runs: board, runtime version, scheduling mode, application, bundle, uptime.", "", "--json prints the board's answer record (BoardInfo, docs/tool.md \"JSON answers\")."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {OneShot.EXIT_OK, OneShot.EXIT_FAILURE, OneShot.EXIT_USAGE})
public final class InfoCommand extends OneShot {
    @Override
    io.pirt.wire.message.Command command() {
        return io.pirt.wire.message.Command.INFO;
    }
}
