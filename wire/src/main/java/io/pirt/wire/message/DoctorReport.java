package io.pirt.wire.message;

import java.util.List;

/**
 * The answer to {@code doctor} and what {@code pirt-runtime doctor} prints: the checks of a
 * board's setup, each with a verdict and, when not {@link Verdict#OK}, what to do
 * (docs/protocol.md §5.4, "doctor"). Immutable.
 *
 * @param board  the board profile's id the checks were made for, or {@code unknown} when no
 *               profile fits the board and none was given
 * @param root   the directory whose files were read ({@code /} on the board itself)
 * @param checks in the order they ran
 */
public record DoctorReport(String board, String root, List<Check> checks) {
    public DoctorReport {
        Required.of("DoctorReport", "board", board, "root", root, "checks", checks);
        checks = List.copyOf(checks);
    }

    /** Whether any check failed: {@code pirt doctor} then exits 1. */
    public boolean anyFailed() {
        return checks.stream().anyMatch(c -> c.verdict() == Verdict.FAIL);
    }

    /** What a check concluded. */
    public enum Verdict {
        /** As pirt needs it. */
        OK,
        /** Works, but not as well as it could (a real-time property lost, a risk); {@code advice} says how to improve it. */
        WARN,
        /** Something pirt needs is missing or wrong; {@code advice} says how to fix it. */
        FAIL,
        /** Does not apply to this board or could not be checked here; {@code found} says why. */
        SKIP
    }

    /**
     * One check.
     *
     * @param id      a stable name for programs ({@code userland}, {@code boot-config}, ...; docs/protocol.md)
     * @param title   what was checked, for a person
     * @param verdict what it concluded
     * @param found   what was found, naming the file or process it was read from
     * @param advice  what to do, naming the file, the line or the command; empty for {@link Verdict#OK}
     *                and {@link Verdict#SKIP}
     */
    public record Check(String id, String title, Verdict verdict, String found, String advice) {
        public Check {
            Required.of("Check", "id", id, "title", title, "verdict", verdict, "found", found, "advice", advice);
        }
    }
}
