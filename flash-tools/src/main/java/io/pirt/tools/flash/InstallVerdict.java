package io.pirt.tools.flash;

/**
 * The board's answer to {@code install-wait}: what became of a transferred bundle. What
 * {@code pirt flash} turns into its exit code and the JUnit extension returns from
 * {@code ConnectedBoard.flash}.
 *
 * @param outcome what happened
 * @param detail  {@code NAME VERSION} when committed, else the board's reason
 */
public record InstallVerdict(Outcome outcome, String detail) {
    /** What the board did with a bundle. */
    public enum Outcome {
        /** Installed, tried, committed: it runs now and after a reboot. */
        COMMITTED,
        /** Installed and tried, but it did not start or stay healthy: the previous application runs. */
        ROLLED_BACK,
        /** Not installed (signature, board, runtime version, downgrade...): the board is as it was. */
        REFUSED
    }

    /**
     * The verdict in the text of an {@code install-wait} answer.
     *
     * @throws IllegalArgumentException if the text is none of the three answers
     */
    public static InstallVerdict parse(String body) {
        String b = body.strip();
        if (b.startsWith("committed ")) return new InstallVerdict(Outcome.COMMITTED, b.substring("committed ".length()).strip());
        if (b.startsWith("rolled back:")) return new InstallVerdict(Outcome.ROLLED_BACK, b.substring("rolled back:".length()).strip());
        if (b.startsWith("refused:")) return new InstallVerdict(Outcome.REFUSED, b.substring("refused:".length()).strip());
        throw new IllegalArgumentException("the board's verdict '" + b + "' is not 'committed NAME VERSION', "
                + "'rolled back: REASON' or 'refused: REASON'");
    }

    /**
     * The refusal in the message of a transfer the board's store did not take (it refuses a
     * bundle as it arrives, before {@code install-wait}), or null when the transfer failed
     * for another reason (the line, a damaged copy) and may be tried again.
     */
    public static InstallVerdict ofFailedTransfer(String message) {
        String prefix = "the board did not store the file (";
        if (!message.startsWith(prefix) || message.contains("(MISMATCH)")) return null;
        int reason = message.indexOf("): ");
        return new InstallVerdict(Outcome.REFUSED, reason >= 0 ? message.substring(reason + 3) : message);
    }

    /** True when the board committed the bundle. */
    public boolean committed() {
        return outcome == Outcome.COMMITTED;
    }

    @Override
    public String toString() {
        return switch (outcome) {
            case COMMITTED -> "committed " + detail;
            case ROLLED_BACK -> "rolled back: " + detail;
            case REFUSED -> "refused: " + detail;
        };
    }
}
