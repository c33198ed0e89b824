package io.pirt.runtime.endpoint;

import io.pirt.wire.*;

/**
 * Runs the commands a tool sends in REQUEST frames (info, ps, logs, restart, stop,
 * rollback, bundles, ...); the runtime implements it. Quick commands are called on the
 * endpoint's worker thread, one at a time; the commands named waiting
 * ({@link ProtocolEndpoint.Builder#waitingRequests}) on waiter threads, alongside them, so
 * an implementation is thread-safe. The link keeps running meanwhile. Anything it throws is
 * answered as {@link Response.Status#FAILED} with the exception's message.
 */
@FunctionalInterface
public interface RequestHandler {
    /**
     * @param session  the session the request came in: a number unique among every session of
     *                 every endpoint of this JVM, never reused (a new HELLO, a lost session, a
     *                 reopened port all make a new one), so what a session proved dies with it
     * @param command  the command name, {@code [a-z][a-z0-9-]*}
     * @param argument the text after it, possibly empty
     * @return the answer; never null
     */
    Response handle(long session, String command, String argument);
}
