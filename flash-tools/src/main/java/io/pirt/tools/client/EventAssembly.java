package io.pirt.tools.client;

import io.pirt.wire.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Joins the EVENT frames of one event (docs/protocol.md §5.5) and hands the whole body to the
 * client's {@link EventListener}. An event longer than {@link Frame#MAX_EVENT_BYTES} is dropped
 * whole, and so is one cut by a lost session. Reader thread only, except {@link #listener}.
 */
final class EventAssembly {
    /** Where the board's events go; events arriving while it is null are dropped. */
    volatile EventListener listener;
    /** The event being assembled; reader thread only. */
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    /** True while the rest of an oversized event is skipped; reader thread only. */
    private boolean skipping;

    void onFrame(Frame frame, ByteBuffer p) {
        boolean last = !frame.hasFlag(Frame.FLAG_MORE);
        if (skipping || body.size() + p.remaining() > Frame.MAX_EVENT_BYTES) {
            body.reset(); // a board never sends this much: the whole event is dropped
            skipping = !last;
            return;
        }
        byte[] chunk = new byte[p.remaining()];
        p.get(chunk);
        body.writeBytes(chunk);
        if (!last) return;
        String whole = body.toString(StandardCharsets.UTF_8);
        body.reset();
        EventListener l = listener;
        if (l != null) l.onEvent(whole);
    }

    /** The session was lost: the rest of a cut event never comes. */
    void sessionLost() {
        body.reset();
        skipping = false;
    }
}
