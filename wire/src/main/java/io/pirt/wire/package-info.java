/**
 * The wire protocol between the {@code pirt} tool and the board runtime, specified in
 * {@code docs/protocol.md} (version 1): COBS-delimited frames with a CRC-32
 * ({@link io.pirt.wire.FrameEncoder}, {@link io.pirt.wire.FrameDecoder}),
 * a reliable windowed link over a pair of byte streams ({@link io.pirt.wire.Link}),
 * the message layouts, and the board's side of a session
 * ({@link io.pirt.runtime.endpoint.ProtocolEndpoint}). The host's side is
 * {@code io.pirt.tools.client}; both use the frame code here, never a copy of it.
 */
package io.pirt.wire;
