package io.pirt.tools.board;

import picocli.CommandLine.Command;

/** {@code pirt restart}: the board's {@code restart}, over the wire protocol. */
@Command(name = "restart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Restart the application on the board.", "", "--json prints the board's answer record (Done, docs/tool.md \"JSON answers\")."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {OneShot.EXIT_OK, OneShot.EXIT_FAILURE, OneShot.EXIT_USAGE})
public final class RestartCommand extends OneShot {
    @Override
    io.pirt.wire.message.Command command() {
        return io.pirt.wire.message.Command.RESTART;
    }
}
