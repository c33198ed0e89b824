package io.pirt.hal;

/**
 * A GPIO or UART operation that cannot be done, with a message that says what was wrong,
 * where (pin, port, device) and what to do.
 */
public class HalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HalException(String message) {
        super(message);
    }

    public HalException(String message, Throwable cause) {
        super(message, cause);
    }
}
