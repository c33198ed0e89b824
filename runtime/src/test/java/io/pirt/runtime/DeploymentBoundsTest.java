package io.pirt.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.runtime.log.ConsoleLog;
import io.pirt.runtime.store.BundleStore;
import io.pirt.runtime.store.FileOps;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Refusal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a tool's requests leave in Deployment is bounded: verdicts and downgrade allowances, oldest forgotten first. */
@Timeout(30)
class DeploymentBoundsTest {
    @TempDir
    Path dir;

    private ConsoleLog log;
    private Deployment deployment;

    @BeforeEach
    void open() throws IOException {
        log = new ConsoleLog(dir.resolve("log"), 1000);
        BundleStore store = BundleStore.open(dir.resolve("store"), FileOps.durable(warning -> {
            throw new AssertionError("unexpected warning: " + warning);
        }));
        deployment = new Deployment(store, dir.resolve("libs"), 64L << 20, new io.pirt.runtime.access.Access(false, false, true, Files.createDirectories(dir.resolve("keys")), dir.resolve("test-keys")),
                "virtual", "1.0.0", 10_000, log);
    }

    @AfterEach
    void close() {
        deployment.close();
        log.close();
    }

    private static String sha(int n) {
        return String.format("%064x", n);
    }

    @Test
    void onlyTheLast64VerdictsAreKeptTheOldestForgottenFirst() throws Exception {
        int sent = 1000;
        for (int i = 1; i <= sent; i++) {
            Path file = Files.writeString(dir.resolve("not-a-bundle-" + i), "not a bundle " + i);
            int n = i;
            assertThrows(IOException.class, () -> deployment.accept("b" + n + ".pirt", file, sha(n)));
            Files.delete(file);
        }
        assertEquals(Deployment.MAX_VERDICTS, deployment.verdictsKept());
        InstallVerdict last = deployment.awaitVerdict(sha(sent) + " 0");
        assertEquals(InstallVerdict.Outcome.REFUSED, last.outcome(), last.toString());
        deployment.awaitVerdict(sha(sent - Deployment.MAX_VERDICTS + 1) + " 0"); // the oldest kept
        assertEquals(Refusal.TIMEOUT, assertThrows(Refusal.RefusedException.class,
                () -> deployment.awaitVerdict(sha(sent - Deployment.MAX_VERDICTS) + " 0")).refusal().code(), "forgotten");
    }

    @Test
    void onlyTheLast16DowngradeAllowancesAreKeptTheOldestForgottenFirstAndLogged() {
        for (int i = 1; i <= 1000; i++) deployment.allowDowngrade(sha(i));
        for (int i = 1000 - Deployment.MAX_DOWNGRADES_ALLOWED + 1; i <= 1000; i++) {
            assertTrue(deployment.downgradeAllowed(sha(i)), "allowance " + i + " is among the last 16");
        }
        assertFalse(deployment.downgradeAllowed(sha(1000 - Deployment.MAX_DOWNGRADES_ALLOWED)), "the 17th newest is forgotten");
        assertFalse(deployment.downgradeAllowed(sha(1)));
        assertTrue(log.recent(1000).stream().anyMatch(l -> l.contains("the downgrade allowed for bundle " + sha(984).substring(0, 16)
                + "... is forgotten")), "the log says which allowance was forgotten");
    }
}
