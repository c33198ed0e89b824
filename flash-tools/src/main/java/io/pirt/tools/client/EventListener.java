package io.pirt.tools.client;

/**
 * Receives the board's events (docs/protocol.md §5.5), whole and in the order the board
 * sent them, on the client's reader thread: return quickly and never call back into the
 * client from here.
 */
@FunctionalInterface
public interface EventListener {
    /** One event's body, as the board sent it (UTF-8 JSON for the events pirt's runtime sends). */
    void onEvent(String body);
}
