package io.pirt.boardtest;

import io.pirt.boards.BoardProfile;
import io.pirt.hal.Board;
import io.pirt.hal.Supervisor;
import org.opentest4j.TestAbortedException;

/**
 * What a test running on the board may use besides its own code: the board it runs on, its
 * profile, and the host side of the rig, which can act on the board from outside (press a
 * simulated button). The same test runs on the host against the simulated board
 * ({@code Board.current()} outside a runtime), where there is no host to ask: such steps are
 * then skipped (the test is aborted with the reason), as they are on a rig that cannot do
 * them. Thread-safe.
 */
public final class TestRig {
    /** How long {@link #askHost(String)} waits for the host by default. */
    public static final long DEFAULT_HOST_TIMEOUT_MS = 10_000;

    private TestRig() {
    }

    /** The board the test runs on ({@link Board#current()}). */
    public static Board board() {
        return Board.current();
    }

    /** The board's profile: pins, UARTs, LEDs, real-time settings. */
    public static BoardProfile profile() {
        return Board.current().profile();
    }

    /**
     * Asks the host to act on the board, e.g. {@code "press BTN0"}, {@code "release BTN0"},
     * {@code "set D22 1"}, and waits until it has.
     *
     * @return the host's answer
     * @throws TestAbortedException if there is no host to ask, or the rig cannot do it (the
     *     test is reported skipped, with the reason)
     * @throws io.pirt.hal.HalException if the host tried and failed or did not answer in time
     */
    public static String askHost(String action) {
        return askHost(action, DEFAULT_HOST_TIMEOUT_MS);
    }

    /** {@link #askHost(String)} with a timeout of its own. */
    public static String askHost(String action, long timeoutMs) {
        try {
            return Supervisor.askHost(action, timeoutMs);
        } catch (UnsupportedOperationException e) {
            throw new TestAbortedException("this rig cannot '" + action + "': " + e.getMessage(), e);
        }
    }
}
