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
}
