package io.pirt.tools.flash;

import io.pirt.bundle.BundleLibraries;
import io.pirt.bundle.BundleRejectedException;
import io.pirt.tools.client.BoardClient;
import io.pirt.tools.client.TransferProgress;
import io.pirt.tools.client.TransferRefusedException;
import io.pirt.tools.client.TransferReport;
import io.pirt.wire.ProtocolException;
import io.pirt.wire.TransferMessages;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.Refusal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * A bundle sent over one open session and the board's verdict on it: what {@code pirt flash},
 * {@code pirt demo} and the JUnit extension do. Stateless.
 */
public final class Flashing {
    /** The name a bundle is sent under; the board's store takes it. */
    public static final String TRANSFER_NAME = "bundle.pirt";
    /** How long to ask for the verdict on a bundle the board would not store: it is there already, or there is none. */
    private static final long REFUSAL_VERDICT_MS = 2_000;

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
        Path work = Files.createTempDirectory("pirt-flash-");
        // a failure to remove it is added to the flash's own failure, never hides it
        try (RemovedWhenClosed removed = () -> deleteTree(work)) {
            BundleLibraries.Split split = split(bundle, work);
            Path toSend = bundle;
            if (!split.jars().isEmpty()) {
                try {
                    if (LibraryUpload.upload(client, split.jars()).isPresent()) toSend = split.thin();
                } catch (TransferRefusedException e) {
                    return InstallVerdict.refused(Refusal.FAILED, "the board refused a library for its cache: " + e.getMessage());
                }
            }
            TransferReport report;
            try {
                report = client.transfer(toSend, TRANSFER_NAME, progress);
            } catch (TransferRefusedException e) {
                return verdictOnRefusal(client, toSend, e);
            }
            return awaitVerdict(client, report.sha256Hex(), verdictTimeoutMs);
        }
    }

    /** A temporary directory's removal, as a resource. */
    private interface RemovedWhenClosed extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /**
     * The libraries a bundle of format 2 carries, taken out into {@code work}, and the thin bundle
     * to send once the board's library cache holds them (docs/bundle.md §3). A file that is not
     * a bundle, or a bundle without carried libraries, comes back whole with no jars: it is sent
     * as it is, and the board, which verifies everything, gives its typed refusal if it is bad.
     *
     * @throws IOException if the file cannot be read or the libraries cannot be written
     */
    public static BundleLibraries.Split split(Path bundle, Path work) throws IOException {
        try {
            return BundleLibraries.split(bundle, work);
        } catch (java.util.zip.ZipException | BundleRejectedException notABundle) {
            return new BundleLibraries.Split(bundle, java.util.List.of(), java.util.List.of());
        }
    }

    /** Removes a temporary directory of {@link #split}'s. */
    static void deleteTree(Path dir) throws IOException {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /**
     * The verdict on a bundle the board did not store: the board's store refuses a bundle as it
     * arrives and keeps its typed verdict, which {@code install-wait} then gives. A damaged copy
     * ({@code MISMATCH}) is the line's fault, not a verdict: that is thrown again.
     */
    public static InstallVerdict verdictOnRefusal(BoardClient client, Path bundle, TransferRefusedException e)
            throws IOException, InterruptedException {
        if (e.status() == TransferMessages.Status.MISMATCH) throw e;
        try {
            InstallVerdict v = awaitVerdict(client, sha256Hex(bundle), REFUSAL_VERDICT_MS);
            if (v.outcome() == InstallVerdict.Outcome.REFUSED) return v;
        } catch (Refusal.RefusedException noVerdict) {
            // no verdict: the transfer itself was refused (name, size, space), which the message says
        }
        return InstallVerdict.refused(Refusal.FAILED, e.getMessage());
    }

    /**
     * Asks the board ({@code install-wait}) what became of the bundle with this SHA-256,
     * waiting up to {@code timeoutMs} for its trial to end.
     *
     * @throws Refusal.RefusedException if the board has no verdict within the time, or refuses the request
     * @throws ProtocolException if the line fails or the answer is not a verdict
     */
    public static InstallVerdict awaitVerdict(BoardClient client, String sha256Hex, long timeoutMs)
            throws IOException, InterruptedException {
        return Messages.answer(client.request(Command.INSTALL_WAIT.wireName(), sha256Hex + " " + timeoutMs), InstallVerdict.class);
    }

    /** The SHA-256 of a file, in hex, as the board keys its verdicts. */
    public static String sha256Hex(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
