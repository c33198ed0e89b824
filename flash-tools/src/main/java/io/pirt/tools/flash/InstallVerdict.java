package io.pirt.tools.flash;

/**
 * The board's answer to {@code install-wait}: what became of a transferred bundle.
 *
 * @param outcome what happened
 * @param detail  {@code NAME VERSION} when committed, else the board's reason
 */
record InstallVerdict(Outcome outcome, String detail) {
    enum Outcome { COMMITTED, ROLLED_BACK, REFUSED }

    /** @throws IllegalArgumentException if the text is none of the three answers */
    static InstallVerdict parse(String body) {
        String b = body.strip();
        if (b.startsWith("committed ")) return new InstallVerdict(Outcome.COMMITTED, b.substring("committed ".length()).strip());
        if (b.startsWith("rolled back:")) return new InstallVerdict(Outcome.ROLLED_BACK, b.substring("rolled back:".length()).strip());
        if (b.startsWith("refused:")) return new InstallVerdict(Outcome.REFUSED, b.substring("refused:".length()).strip());
        throw new IllegalArgumentException("the board's verdict '" + b + "' is not 'committed NAME VERSION', "
                + "'rolled back: REASON' or 'refused: REASON'");
    }
}
