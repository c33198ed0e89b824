package io.pirt.runtime.endpoint;

import io.pirt.wire.TransferMessages.Begin;
import java.util.Arrays;
import java.util.Optional;

/**
 * The board's one incoming transfer, shared by the endpoints of all its ports (the console
 * device and each wire-socket connection): every port keeps its partial copy in the same
 * directory, and a BEGIN removes the partial copies of other transfers, so a second transfer
 * from another port while one is receiving would destroy the first. The second is refused
 * instead, saying which file is on its way; the same transfer again (a tool resuming over a
 * new connection after a cut one) is let through. Thread-safe.
 */
public final class TransferSlot {
    /** The receiver that began a transfer last; null before any. Guarded by this. */
    private TransferReceiver holder;

    /**
     * Takes the slot for {@code receiver}'s transfer with wire SHA-256 {@code wireSha256}.
     *
     * @return empty if taken; else the name of the other transfer in progress
     */
    synchronized Optional<String> claim(TransferReceiver receiver, byte[] wireSha256) {
        if (holder != null && holder != receiver) {
            Begin other = holder.receiving();
            if (other != null && !Arrays.equals(other.wireSha256(), wireSha256)) return Optional.of(other.name());
        }
        holder = receiver;
        return Optional.empty();
    }
}
