package io.pirt.virtualboard;

/** A C library call on a pseudo-terminal failed; the message names the call, the terminal and the error. */
public final class PseudoTerminalException extends RuntimeException {
    PseudoTerminalException(String message) {
        super(message);
    }

    PseudoTerminalException(String message, Throwable cause) {
        super(message, cause);
    }
}
