package io.pirt.tools.board;

import picocli.CommandLine.Command;

/** {@code pirt rollback}: the board's {@code rollback}, over the wire protocol. */
@Command(name = "rollback", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Go back to the previous bundle on the board (its A/B store keeps one) and start it.", "", "--json prints the board's answer record (Done, docs/tool.md \"JSON answers\")."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {OneShot.EXIT_OK, OneShot.EXIT_FAILURE, OneShot.EXIT_USAGE})
public final class RollbackCommand extends OneShot {
    @Override
    io.pirt.wire.message.Command command() {
        return io.pirt.wire.message.Command.ROLLBACK;
    }
}
