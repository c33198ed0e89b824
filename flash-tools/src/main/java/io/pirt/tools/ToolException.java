package io.pirt.tools;

/**
 * A command's failure that a person can act on: {@link PirtCommand} prints
 * {@code pirt: MESSAGE} on stderr and exits with {@link #exitCode()}. Anything else a
 * command throws is a bug and is printed with its stack trace.
 */
public final class ToolException extends Exception {
    /** Exit code of a failure whose reason is on stderr. */
    public static final int FAILURE = 1;
    /** Exit code of a usage error. */
    public static final int USAGE = 2;

    private final int exitCode;

    public ToolException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ToolException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A failure (exit code 1). */
    public static ToolException failure(String message) {
        return new ToolException(FAILURE, message);
    }

    /** A failure (exit code 1) caused by {@code cause}, kept for {@code --debug}-style inspection. */
    public static ToolException failure(String message, Throwable cause) {
        return new ToolException(FAILURE, message, cause);
    }

    public int exitCode() {
        return exitCode;
    }
}
