package io.pirt.wire.message;

/**
 * Why the board did not do what it was asked: the body of every {@code FAILED} answer. The
 * {@code code} is for programs, the {@code message} for a person (what was wrong and what to
 * do). Codes are strings so a newer board can add some; a tool treats an unknown code as
 * {@link #FAILED}.
 *
 * @param code    one of the constants here, or {@code BUNDLE_} and a bundle refusal reason
 *                (docs/bundle.md §5: {@code BUNDLE_UNSIGNED}, {@code BUNDLE_DOWNGRADE}, ...)
 * @param message what was wrong and what to do
 */
public record Refusal(String code, String message) {
    /** The request's argument is malformed; the message gives the usage. */
    public static final String BAD_ARGUMENT = "BAD_ARGUMENT";
    /** The command needs a running application and none runs. */
    public static final String NO_APPLICATION = "NO_APPLICATION";
    /** Nothing to act on: no bundle to roll back to, no test run, no such pin. */
    public static final String NOT_FOUND = "NOT_FOUND";
    /** Not now: a trial or a test run is in progress, or the board is busy. */
    public static final String NOT_NOW = "NOT_NOW";
    /** The answer did not come within the time asked for. */
    public static final String TIMEOUT = "TIMEOUT";
    /** The board cannot do it here (no rate on this port, no simulated button on a real board). */
    public static final String NOT_SUPPORTED = "NOT_SUPPORTED";
    /**
     * The command changes the board, and this session has not proved a key the board trusts
     * (docs/protocol.md §5.7): the tool proves one ({@code auth-challenge}, {@code auth}) and asks again.
     */
    public static final String PROOF_REQUIRED = "PROOF_REQUIRED";
    /** An {@code auth} the board did not accept: the key is not trusted, the signature is wrong, or no challenge is outstanding. */
    public static final String PROOF_REFUSED = "PROOF_REFUSED";
    /** Anything else that failed; the message says what. */
    public static final String FAILED = "FAILED";
    /** The prefix of a bundle refusal's code. */
    public static final String BUNDLE_PREFIX = "BUNDLE_";

    public Refusal {
        if (code == null || code.isBlank() || message == null) throw new IllegalArgumentException("a refusal needs a code and a message");
    }

    /** Thrown on the board by whatever refuses a request; the endpoint answers it as {@code FAILED}. */
    public RefusedException exception() {
        return new RefusedException(this);
    }

    /** A refusal as an exception, so code deep in a command can refuse. */
    public static final class RefusedException extends RuntimeException {
        private final Refusal refusal;

        RefusedException(Refusal refusal) {
            super(refusal.message());
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }
}
