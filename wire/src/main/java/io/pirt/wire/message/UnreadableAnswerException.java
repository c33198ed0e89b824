package io.pirt.wire.message;

import io.pirt.wire.ProtocolException;

/**
 * A message arrived whole but is not the record it should be: the board and the tool disagree
 * on the protocol (a bug, or versions that HELLO did not tell apart). Unlike a lost line,
 * asking again gives the same answer, so a caller must not retry it.
 */
public final class UnreadableAnswerException extends ProtocolException {
    UnreadableAnswerException(String message, Throwable cause) {
        super(message, cause);
    }

    UnreadableAnswerException(String message) {
        super(message);
    }
}
