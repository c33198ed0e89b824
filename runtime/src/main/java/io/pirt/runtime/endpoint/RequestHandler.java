package io.pirt.runtime.endpoint;

import io.pirt.wire.*;

/**
 * Runs the commands a tool sends in REQUEST frames (info, ps, logs, restart, stop,
 * rollback, bundles, ...); the runtime implements it. Called on the endpoint's worker
 * thread, one request at a time; it may take its time, the link keeps running meanwhile.
 * A {@link RuntimeException} it throws is answered as {@link Response.Status#FAILED} with
 * the exception's message.
 */
@FunctionalInterface
public interface RequestHandler {
    /**
     * @param command  the command name, {@code [a-z][a-z0-9-]*}
     * @param argument the text after it, possibly empty
     * @return the answer; never null
     */
    Response handle(String command, String argument);
}
