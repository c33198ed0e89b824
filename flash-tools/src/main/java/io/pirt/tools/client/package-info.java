/**
 * The host's side of the pirt wire protocol (docs/protocol.md): {@link io.pirt.tools.client.BoardClient}
 * says hello to a board over a byte stream pair the caller opened (a jSerialComm port, a
 * pseudo-terminal, a pipe), sends requests, streams console lines and transfers files with
 * progress and resume. Frames and the link are the board's own code, from
 * {@code io.pirt.wire}.
 */
package io.pirt.tools.client;
