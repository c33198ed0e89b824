package io.pirt.tools.client;

/**
 * A transfer the board verified.
 *
 * @param name             the name the file was sent under
 * @param sha256Hex        SHA-256 of the file, as the board computed and matched it
 * @param fileBytes        size of the file
 * @param wireBytes        size of what crossed the line for it (smaller when compressed)
 * @param compressed       whether it was sent as a deflate stream
 * @param resumedFromBytes wire offset the last session started from (0: from the start)
 * @param dataBytesSent    wire bytes put into DATA frames over all sessions (retransmissions by
 *                         the link not counted); equals {@code wireBytes} when nothing was resent
 * @param sessions         sessions the transfer needed (1 unless the line was cut)
 * @param elapsedMillis    from the first BEGIN to the board's result
 */
public record TransferReport(String name, String sha256Hex, long fileBytes, long wireBytes, boolean compressed,
                             long resumedFromBytes, long dataBytesSent, int sessions, long elapsedMillis) {}
