package io.pirt.boards;

/**
 * A board profile could not be found, read, checked or matched to this machine.
 *
 * <p>The message is meant for a person and says what to do: for a bad profile it has the
 * form {@code FILE: FIELD.PATH: what is wrong} (for example
 * {@code my-board.yaml: pins[3].line: must be an integer 0..1023, got "17"}); for a board
 * no profile matches it quotes the model string and names the {@code --board-file} option.
 */
public final class ProfileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message a person can act on. */
    public ProfileException(String message) {
        super(message);
    }

    /** Creates the exception with a message a person can act on, and its cause. */
    public ProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
