package io.pirt.runtime.endpoint;

import io.pirt.wire.*;

/**
 * Where a {@link ProtocolEndpoint} hands the bytes a person types: on the port itself when
 * no tool is attached, or carried in CONSOLE_IN frames when one is. The runtime's console
 * shell implements it. Called on the link's reader thread: it must not block for long, and
 * the array is valid only during the call.
 */
@FunctionalInterface
public interface ConsoleInput {
    void accept(byte[] bytes, int offset, int length);

    /**
     * A tool attached (a new session opened). What was typed on the port before it and not
     * yet ended with Enter is not a person's line: line noise, or the tail of a tool's frame
     * whose start was lost (seen on the emulated Pi 3 B, docs/pi3.md, Findings). The shell
     * drops it, so it does not prefix the next line typed. On the link's reader thread, after
     * the session opened.
     */
    default void toolAttached() {
    }
}
