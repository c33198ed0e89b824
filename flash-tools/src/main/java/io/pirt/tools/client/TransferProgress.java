package io.pirt.tools.client;

/**
 * How far a transfer is, in bytes of the wire stream (the file, or its deflate stream).
 *
 * @param doneBytes      wire bytes the board has or that are in flight to it
 * @param totalBytes     size of the wire stream
 * @param bytesPerSecond wire bytes per second sent in this session so far
 * @param etaMillis      time left at that rate; -1 before a rate is known
 */
public record TransferProgress(long doneBytes, long totalBytes, double bytesPerSecond, long etaMillis) {}
