package io.pirt.runtime;

import io.pirt.runtime.log.ConsoleLog;
import io.pirt.runtime.store.BundleStore;
import io.pirt.runtime.store.FileOps;
import io.pirt.wire.message.Refusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code install-wait}'s timeout on the board: bounded, refused beyond its maximum. */
class DeploymentInstallWaitTest {
    private static final String SHA = "ab".repeat(32);

    @TempDir
    Path dir;

    private ConsoleLog log;
    private Deployment deployment;

    private Deployment open() throws IOException {
        log = new ConsoleLog(dir.resolve("log"), 100);
        BundleStore store = BundleStore.open(dir.resolve("store"), FileOps.durable(warning -> {
            throw new AssertionError("unexpected warning: " + warning);
        }));
        deployment = new Deployment(store, dir.resolve("libs"), 64L << 20, new io.pirt.runtime.access.Access(false, false, true, dir.resolve("keys"), dir.resolve("test-keys")), "virtual", "1.0.0", 10_000, log);
        return deployment;
    }

    @AfterEach
    void close() {
        if (deployment != null) deployment.close();
        if (log != null) log.close();
    }

    @Test
    void aTimeoutBeyondTheMaximumIsRefusedAtOnceAsABadArgument() throws IOException {
        Deployment d = open();
        Refusal.RefusedException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                () -> assertThrows(Refusal.RefusedException.class, () -> d.awaitVerdict(SHA + " 9223372036854775807")));
        assertEquals(Refusal.BAD_ARGUMENT, e.refusal().code());
        assertTrue(e.refusal().message().contains("at most " + Deployment.MAX_INSTALL_WAIT_MS + " ms"), e.refusal().message());
        assertEquals(Refusal.BAD_ARGUMENT, assertThrows(Refusal.RefusedException.class,
                () -> d.awaitVerdict(SHA + " " + (Deployment.MAX_INSTALL_WAIT_MS + 1))).refusal().code());
        assertEquals(Refusal.BAD_ARGUMENT, assertThrows(Refusal.RefusedException.class,
                () -> d.awaitVerdict(SHA + " -1")).refusal().code());
    }

    @Test
    void aTimeoutWithinTheMaximumWaitsAndAnswersTimeout() throws IOException {
        Deployment d = open();
        Refusal.RefusedException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                () -> assertThrows(Refusal.RefusedException.class, () -> d.awaitVerdict(SHA + " 50")));
        assertEquals(Refusal.TIMEOUT, e.refusal().code());
    }
}
