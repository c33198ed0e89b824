package io.pirt.wire.message;

/**
 * The answer to {@code install-wait}: what became of a transferred bundle. What {@code pirt
 * flash} turns into its exit code and the JUnit extension returns from a flash.
 *
 * @param outcome what happened
 * @param name    the bundle's name (COMMITTED, TEST_READY); null otherwise
 * @param version the bundle's version (COMMITTED, TEST_READY); null otherwise
 * @param reason  why it was rolled back or refused, for a person (ROLLED_BACK, REFUSED); null otherwise
 * @param code    the refusal's code (REFUSED: a {@link Refusal} code); null otherwise
 */
public record InstallVerdict(Outcome outcome, String name, String version, String reason, String code) {
    public InstallVerdict {
        Required.of("InstallVerdict", "outcome", outcome);
    }

    /** What the board did with a bundle. */
    public enum Outcome {
        /** Installed, tried, committed: it runs now and after a reboot. */
        COMMITTED,
        /** Installed and tried, but it did not start or stay healthy: the previous application runs. */
        ROLLED_BACK,
        /** Not installed (signature, board, runtime version, downgrade...): the board is as it was. */
        REFUSED,
        /** A test bundle, verified and unpacked: {@code test-run} runs it. */
        TEST_READY
    }

    public static InstallVerdict committed(String name, String version) {
        return new InstallVerdict(Outcome.COMMITTED, name, version, null, null);
    }

    public static InstallVerdict rolledBack(String reason) {
        return new InstallVerdict(Outcome.ROLLED_BACK, null, null, reason, null);
    }

    public static InstallVerdict refused(String code, String reason) {
        return new InstallVerdict(Outcome.REFUSED, null, null, reason, code);
    }

    public static InstallVerdict testReady(String name, String version) {
        return new InstallVerdict(Outcome.TEST_READY, name, version, null, null);
    }

    /** True when the board committed the bundle. */
    public boolean committed() {
        return outcome == Outcome.COMMITTED;
    }

    /** {@code NAME VERSION} when committed or ready, else the reason. */
    public String detail() {
        return outcome == Outcome.COMMITTED || outcome == Outcome.TEST_READY ? name + " " + version : reason;
    }

    /** The verdict for a person: {@code committed demo 1.0.0}, {@code rolled back: it crashed ...}, {@code refused: ...}. */
    @Override
    public String toString() {
        return switch (outcome) {
            case COMMITTED -> "committed " + detail();
            case ROLLED_BACK -> "rolled back: " + detail();
            case REFUSED -> "refused: " + detail();
            case TEST_READY -> "test bundle " + detail() + " ready to run";
        };
    }
}
