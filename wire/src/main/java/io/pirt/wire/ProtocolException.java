package io.pirt.wire;

import java.io.IOException;

/**
 * The peer or the line did something the protocol does not allow, or did not answer in
 * time. The message says what happened and, where there is one, what to do about it.
 */
public class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
