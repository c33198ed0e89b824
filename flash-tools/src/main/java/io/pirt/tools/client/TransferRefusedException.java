package io.pirt.tools.client;

import io.pirt.wire.ProtocolException;
import io.pirt.wire.TransferMessages;

/**
 * The board answered a transfer with a result other than VERIFIED (docs/protocol.md §6):
 * {@link #status()} says which. A REFUSED or FAILED transfer of a bundle usually means the
 * board's store refused it; its typed verdict is then what {@code install-wait} answers for
 * the file's SHA-256.
 */
public final class TransferRefusedException extends ProtocolException {
    private final TransferMessages.Status status;

    TransferRefusedException(TransferMessages.Status status, String boardMessage) {
        super("the board did not store the file (" + status + "): " + boardMessage);
        this.status = status;
    }

    public TransferMessages.Status status() {
        return status;
    }
}
