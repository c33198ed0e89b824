package io.pirt.runtime.access;

import java.nio.file.Path;

/**
 * The board's access settings, from the runtime's options: what a tool session must prove
 * before it changes the board, what a person at the console's shell may do, and whether test
 * bundles may run. Immutable.
 *
 * <p>The package's default is the safe one: requests that change the board need a session
 * that proved a key in {@code trustedKeysDir}; the shell is read-only; test runs are on but
 * need a test bundle signed by a key in {@code testKeysDir}, which is empty on a fresh board.
 * Development mode ({@code --dev}, the virtual board) opens all of it and says so.
 *
 * @param developmentMode every request and shell command is open, test bundles are taken
 *                        unsigned or signed by any trusted key
 * @param operatorShell   the shell may change the board too (restart, stop, rollback, gpio write)
 * @param testRuns        test bundles are taken and run; false refuses them
 * @param trustedKeysDir  the keys a tool session proves ({@code CONFIG/keys}, also the release keys)
 * @param testKeysDir     the keys test bundles must be signed by ({@code CONFIG/test-keys})
 */
public record Access(boolean developmentMode, boolean operatorShell, boolean testRuns, Path trustedKeysDir, Path testKeysDir) {
    /** Whether the shell may run commands that change the board. */
    public boolean shellChangesBoard() {
        return developmentMode || operatorShell;
    }

    /** One line for {@code info} and the log: who may change the board through the port. */
    public String describe() {
        if (developmentMode) {
            return "open (development mode): anyone at the port may change the board; unsigned bundles and downgrades "
                    + "are taken";
        }
        return "changes need a trusted key (" + trustedKeysDir + "); shell " + (operatorShell ? "operator (opened by --shell operator)"
                : "read-only") + "; test runs " + (testRuns ? "on, for bundles signed by a key in " + testKeysDir : "off");
    }
}
