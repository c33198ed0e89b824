package io.pirt.tools.board;

import picocli.CommandLine.Command;

/** {@code pirt bundles}: the board's bundle store, over the wire protocol. */
@Command(name = "bundles", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the board's bundle store: its two slots (free, committed, on trial, previous) and the last rollback.", "", "--json prints the board's answer record (StoreSlots, docs/tool.md \"JSON answers\")."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {OneShot.EXIT_OK, OneShot.EXIT_FAILURE, OneShot.EXIT_USAGE})
public final class BundlesCommand extends OneShot {
    @Override
    io.pirt.wire.message.Command command() {
        return io.pirt.wire.message.Command.BUNDLES;
    }
}
