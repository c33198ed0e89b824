/**
 * The wire protocol between the {@code pirt} tool and the board runtime, specified in
 * {@code docs/protocol.md} (version 1): COBS-delimited frames with a CRC-32
 * ({@link io.pirt.runtime.protocol.FrameEncoder}, {@link io.pirt.runtime.protocol.FrameDecoder}),
 * a reliable windowed link over a pair of byte streams ({@link io.pirt.runtime.protocol.Link}),
 * the message layouts, and the board's side of a session
 * ({@link io.pirt.runtime.protocol.ProtocolEndpoint}). The host's side is
 * {@code io.pirt.runtime.client}; both use the frame code here, never a copy of it.
 */
package io.pirt.runtime.protocol;
