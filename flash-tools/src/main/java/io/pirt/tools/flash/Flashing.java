package io.pirt.tools.flash;

import io.pirt.tools.client.BoardClient;
import io.pirt.tools.client.TransferProgress;
import io.pirt.tools.client.TransferReport;
import io.pirt.wire.ProtocolException;
import io.pirt.wire.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A bundle sent over one open session and the board's verdict on it: what {@code pirt demo}
 * and the JUnit extension do ({@code pirt flash} adds waiting for a replugged port around
 * the same steps). Stateless.
 */
public final class Flashing {
    /** The name a bundle is sent under; the board's store takes it. */
    public static final String TRANSFER_NAME = "bundle.pirt";

    private Flashing() {
    }

    /**
     * Sends {@code bundle} and waits up to {@code verdictTimeoutMs} for the board to try it.
     * A bundle the board refuses as it arrives is a {@link InstallVerdict.Outcome#REFUSED}
     * verdict, not an exception. The client's request timeout must exceed
     * {@code verdictTimeoutMs}.
     *
     * @throws ProtocolException if the line failed (the transfer resumes when called again), or
     *     the board's answer is not a verdict
     * @throws IOException if the bundle cannot be read
     */
    public static InstallVerdict flash(BoardClient client, Path bundle, long verdictTimeoutMs,
                                       Consumer<TransferProgress> progress) throws IOException, InterruptedException {
        TransferReport report;
        try {
            report = client.transfer(bundle, TRANSFER_NAME, progress);
        } catch (ProtocolException e) {
            InstallVerdict refused = InstallVerdict.ofFailedTransfer(e.getMessage());
            if (refused != null) return refused;
            throw e;
        }
        return awaitVerdict(client, report.sha256Hex(), verdictTimeoutMs);
    }

    /**
     * Asks the board ({@code install-wait}) what became of the bundle with this SHA-256,
     * waiting up to {@code timeoutMs} for its trial to end.
     *
     * @throws ProtocolException if the board fails the request or answers something that is not a verdict
     */
    public static InstallVerdict awaitVerdict(BoardClient client, String sha256Hex, long timeoutMs)
            throws IOException, InterruptedException {
        Response r = client.request("install-wait", sha256Hex + " " + timeoutMs);
        if (r.status() != Response.Status.OK) {
            throw new ProtocolException("the board did not say what became of the bundle (" + r.status() + "): " + r.body());
        }
        try {
            return InstallVerdict.parse(r.body());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(e.getMessage() + "; the board's runtime may be newer than this tool", e);
        }
    }
}
