package io.pirt.wire;

import java.io.IOException;

/**
 * The baud rate of a UART under a protocol session, which both ends can change together
 * (docs/protocol.md §5.6). The board's console port and the tool's serial port are its two
 * implementations; a pseudo-terminal console has one too (the virtual board's cable is paced
 * at the rate each end sets). Only a USB gadget port has no rate to change and offers none.
 * Implementations are thread-safe.
 */
public interface LineRate {
    /** The rate the port is set to now, in baud. */
    int baud();

    /**
     * Sets the port to {@code baud} (8N1 stays). Bytes still in the port's output buffer may
     * leave at either rate, so callers let the line drain first.
     *
     * @throws IOException if the port refuses the rate; it stays at the one it had
     */
    void setBaud(int baud) throws IOException;
}
