package io.pirt.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.runtime.log.ConsoleLog;
import io.pirt.runtime.store.BundleStore;
import io.pirt.runtime.store.FileOps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's decisions at boot reach stderr, which systemd keeps in the journal: after a power
 * cut on the emulated Pi 3 (tests/pi3/run.sh) the journal said the runtime started and nothing
 * of why it ran what it ran; that was only in the console log, on the board's port.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeploymentJournalTest {
    @TempDir
    Path dir;

    @Test
    void anInstallCutShortIsSaidOnStderrAtBoot() throws IOException {
        // A slot directory and no state file: what a cut during a first install leaves.
        Files.createDirectories(dir.resolve("store").resolve("slot-a"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        ConsoleLog log = new ConsoleLog(dir.resolve("log"), 100);
        Deployment deployment = null;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            BundleStore store = BundleStore.open(dir.resolve("store"), FileOps.durable(warning -> {
                throw new AssertionError("unexpected warning: " + warning);
            }));
            deployment = new Deployment(store, dir.resolve("libs"), 64L << 20, new io.pirt.runtime.access.Access(false, false, true,
                    dir.resolve("keys"), dir.resolve("test-keys")), "virtual", "1.0.0", 10_000, log);
        } finally {
            System.setErr(original);
            if (deployment != null) deployment.close();
            log.close();
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("pirt-runtime: bundle store: no state.properties: slot A is ignored (an install that did not finish)"),
                "stderr (the journal) has the store's boot note; it had:\n" + said);
    }
}
