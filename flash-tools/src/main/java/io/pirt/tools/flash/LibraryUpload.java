package io.pirt.tools.flash;

import io.pirt.bundle.BundleWriter;
import io.pirt.bundle.LibraryReference;
import io.pirt.tools.client.BoardClient;
import io.pirt.tools.client.TransferReport;
import io.pirt.wire.message.CachedLibraries;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.Refusal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Puts libraries into the board's library cache (docs/testing.md, "The library cache"): asks
 * which the board has ({@code libs-have}), sends only the others (transfers named
 * {@code lib-SHA256.jar}), and returns the references a bundle of format 2 carries instead of
 * the jars. Stateless.
 */
public final class LibraryUpload {
    /**
     * What was uploaded.
     *
     * @param references one per jar, in the order given: what the bundle references
     * @param onBoard    distinct libraries the board had already
     * @param sent       distinct libraries sent now
     * @param sentBytes  their size (the files; the wire may have carried them deflated)
     */
    public record Result(List<LibraryReference> references, int onBoard, int sent, long sentBytes) {
        /** The line {@code pirt} prints on stderr. */
        public String summary() {
            return "libraries: " + onBoard + " on the board already, " + sent + " sent (" + sentBytes + " bytes)";
        }
    }

    private LibraryUpload() {
    }

    /**
     * Makes sure the board's cache holds every jar of {@code jars}.
     *
     * @return the references, or empty when the board has no library cache (a runtime before
     *     bundle format 2 answers {@code libs-have} with NOT_SUPPORTED): then carry the jars
     * @throws io.pirt.tools.client.TransferRefusedException if the board refused a library (the message says why)
     * @throws Refusal.RefusedException if the board refused {@code libs-have} for another reason
     * @throws IOException if a jar cannot be read or the line failed
     */
    public static Optional<Result> upload(BoardClient client, List<Path> jars) throws IOException, InterruptedException {
        List<LibraryReference> references = new ArrayList<>();
        Map<String, Path> bySha = new LinkedHashMap<>();
        for (Path jar : jars) {
            LibraryReference r = BundleWriter.referenceTo(jar);
            references.add(r);
            bySha.putIfAbsent(r.sha256(), jar);
        }
        Set<String> have = new HashSet<>();
        List<String> all = new ArrayList<>(bySha.keySet());
        for (int from = 0; from < all.size() || from == 0; from += Command.LIBS_HAVE_BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + Command.LIBS_HAVE_BATCH));
            CachedLibraries answer;
            try {
                answer = Messages.answer(client.request(Command.LIBS_HAVE.wireName(), String.join(" ", batch)),
                        CachedLibraries.class);
            } catch (Refusal.RefusedException e) {
                if (e.refusal().code().equals(Refusal.NOT_SUPPORTED)) return Optional.empty();
                throw e;
            }
            have.addAll(answer.have());
            if (all.isEmpty()) break;
        }
        int sent = 0;
        long sentBytes = 0;
        for (Map.Entry<String, Path> library : bySha.entrySet()) {
            if (have.contains(library.getKey())) continue;
            TransferReport report = client.transfer(library.getValue(), CachedLibraries.transferName(library.getKey()), p -> { });
            sent++;
            sentBytes += report.fileBytes();
        }
        return Optional.of(new Result(references, have.size(), sent, sentBytes));
    }
}
