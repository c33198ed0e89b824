package io.pirt.runtime.store;

import static io.pirt.runtime.store.TestBundles.install;
import static io.pirt.runtime.store.TestBundles.versionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleStoreTest {
    private static final FileOps REAL = FileOps.durable(warning -> {
        throw new AssertionError("unexpected warning: " + warning);
    });

    @TempDir
    Path dir;

    private BundleStore open() throws IOException {
        return BundleStore.open(dir, REAL);
    }

    /** demo 1.0 committed. */
    private BundleStore withCommitted() throws IOException {
        BundleStore store = open();
        install(store, REAL, 0);
        store.commit();
        return store;
    }

    @Test
    void anEmptyStoreHasNothingToRun() throws IOException {
        BundleStore store = open();
        assertEquals(Optional.empty(), store.toRun());
        assertEquals(Optional.empty(), store.markStartAttempt());
        assertEquals(List.of(), store.bootNotes());
    }

    @Test
    void installPutsTheNewBundleOnTrialInTheOtherSlot() throws IOException {
        BundleStore store = withCommitted();
        Slot trial = install(store, REAL, 1);
        assertEquals(SlotId.B, trial.id());
        assertTrue(trial.onTrial());
        assertEquals(trial, store.toRun().orElseThrow());
        assertEquals(1, versionOf(trial));
    }

    @Test
    void failedStartsRollBackToTheCommittedBundleWithAReason() throws IOException {
        BundleStore store = withCommitted();
        install(store, REAL, 1);
        for (int start = 0; start < BundleStore.TRIAL_STARTS; start++) {
            assertEquals(1, versionOf(store.markStartAttempt().orElseThrow()), "start " + start);
        }
        Slot fallback = store.markStartAttempt().orElseThrow();
        assertEquals(0, versionOf(fallback));
        assertFalse(fallback.onTrial());
        assertTrue(text(store.status()).contains("last rollback: trial starts exhausted: demo 1.1 in slot B"), text(store.status()));
    }

    @Test
    void commitMakesTheTrialCommittedAndKeepsThePreviousForRollback() throws IOException {
        BundleStore store = withCommitted();
        install(store, REAL, 1);
        Slot committed = store.commit();
        assertFalse(committed.onTrial());
        assertEquals(committed, store.toRun().orElseThrow());
        assertEquals(committed, store.markStartAttempt().orElseThrow(), "a committed bundle has no trial count");
        assertEquals(committed, open().toRun().orElseThrow());
        assertThrows(IllegalStateException.class, store::commit);
    }

    @Test
    void trialCounterSurvivesReopen() throws IOException {
        install(withCommitted(), REAL, 1);
        open().markStartAttempt();
        assertTrue(text(open().status()).contains("on trial, demo 1.1 (generation 2), 2 trial starts left"), text(open().status()));
        open().markStartAttempt();
        open().markStartAttempt();
        BundleStore afterLastStart = open();
        assertEquals(0, versionOf(afterLastStart.toRun().orElseThrow()));
        assertEquals(1, afterLastStart.bootNotes().size(), afterLastStart.bootNotes().toString());
        assertTrue(afterLastStart.bootNotes().getFirst().startsWith("rolled back: trial starts exhausted"));
    }

    @Test
    void aCrashLoopThatTakesTheBoardDownEndsOnTheCommittedBundle() throws IOException {
        install(withCommitted(), REAL, 1);
        for (int boot = 0; boot < 10; boot++) {
            Slot started = open().markStartAttempt().orElseThrow(() -> new AssertionError("nothing to run"));
            assertEquals(boot < BundleStore.TRIAL_STARTS ? 1 : 0, versionOf(started), "boot " + boot);
        }
    }

    @Test
    void rollbackDropsTheTrial() throws IOException {
        BundleStore store = withCommitted();
        install(store, REAL, 1);
        assertThrows(IllegalArgumentException.class, () -> store.rollback(" \n "));
        Slot now = store.rollback("missed 3 heartbeats").orElseThrow();
        assertEquals(0, versionOf(now));
        assertTrue(text(open().status()).endsWith("last rollback: missed 3 heartbeats\n"), text(open().status()));
    }

    @Test
    void rollbackWithoutTrialReturnsToThePreviouslyCommittedBundleOnce() throws IOException {
        BundleStore store = withCommitted();
        install(store, REAL, 1);
        store.commit();
        assertEquals(0, versionOf(store.rollback("operator").orElseThrow()));
        assertEquals(0, versionOf(open().toRun().orElseThrow()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.rollback("again"));
        assertTrue(e.getMessage().startsWith("nothing to roll back to"), e.getMessage());
    }

    @Test
    void aTrialSlotThatFailsVerificationIsTreatedAsAbsent() throws IOException {
        BundleStore store = withCommitted();
        Slot trial = install(store, REAL, 1);
        Files.write(trial.jarsDir().resolve("lib/dep.jar"), new byte[] {1, 2, 3});
        BundleStore reopened = open();
        assertEquals(0, versionOf(reopened.toRun().orElseThrow()));
        assertEquals(List.of("slot B (on trial) failed verification and is treated as absent:"
                + " slot-b/jars/lib/dep.jar has 3 bytes; slot.properties says 1500"), reopened.bootNotes());
        assertTrue(text(reopened.status()).startsWith("slot A: committed, demo 1.0 (generation 1)\nslot B: free\n"),
                text(reopened.status()));
    }

    @Test
    void aCorruptStateFileIsRecoveredFromTheSlotsGivingTheNewerOneStart() throws IOException {
        BundleStore store = withCommitted();
        install(store, REAL, 1);
        store.commit();
        Files.writeString(dir.resolve(BundleStore.STATE_FILE), "format=1\ncommitted=B@2\n");
        BundleStore recovered = open();
        assertEquals(List.of("state.properties has no checksum line at its end; recovered from the slots:"
                + " committed A@1, trial B@2"), recovered.bootNotes());
        assertEquals(1, versionOf(recovered.markStartAttempt().orElseThrow()));
        assertEquals(0, versionOf(open().markStartAttempt().orElseThrow()));
    }

    @Test
    void installWhileOnTrialReplacesTheTrial() throws IOException {
        BundleStore store = withCommitted();
        install(store, REAL, 1);
        Slot replacement = install(store, REAL, 2);
        assertEquals(SlotId.B, replacement.id());
        assertEquals(2, versionOf(open().toRun().orElseThrow()));
    }

    @Test
    void statusShowsBothSlotsTheTrialCountAndTheLastRollback() throws IOException {
        BundleStore store = withCommitted();
        install(store, REAL, 1);
        store.markStartAttempt();
        assertEquals("""
                slot A: committed, demo 1.0 (generation 1)
                slot B: on trial, demo 1.1 (generation 2), 2 trial starts left
                last rollback: none
                """, text(store.status()));
        store.rollback("exited with status 1 during its trial");
        install(store, REAL, 2);
        store.commit();
        assertEquals("""
                slot A: previous, kept for rollback, demo 1.0 (generation 1)
                slot B: committed, demo 1.2 (generation 3)
                last rollback: exited with status 1 during its trial
                """, text(store.status()));
    }

    @Test
    void anExtractionWithNothingInItIsRefusedAndTheCommittedBundleStays() throws IOException {
        BundleStore store = withCommitted();
        IOException e = assertThrows(IOException.class, () -> store.install(TestBundles.content(1), emptyDir -> {}));
        assertTrue(e.getMessage().startsWith("the bundle's extraction wrote no file"), e.getMessage());
        assertEquals(0, versionOf(open().toRun().orElseThrow()));
        assertEquals(List.of(), open().bootNotes());
    }

    /** The store's status as the shell prints it (one line per slot and the last rollback, each ended by a newline). */
    private static String text(io.pirt.wire.message.StoreSlots status) {
        return io.pirt.wire.message.AnswerText.of(status) + "\n";
    }

    @Test
    void fileHashesNameEveryFileOfTheSlotsTheStateNamesForTheLibraryCacheToKeep() throws IOException {
        BundleStore store = withCommitted();
        install(store, REAL, 1);
        java.util.Set<String> expected = new java.util.HashSet<>();
        for (int version : new int[] {0, 1}) {
            for (byte[] jar : TestBundles.jars(version).values()) expected.add(CheckedFile.sha256(jar));
        }
        assertEquals(expected, store.fileSha256s(), "the committed and the trial slot's files");
        store.rollback("test");
        java.util.Set<String> committedOnly = new java.util.HashSet<>();
        for (byte[] jar : TestBundles.jars(0).values()) committedOnly.add(CheckedFile.sha256(jar));
        assertEquals(committedOnly, store.fileSha256s(), "a dropped trial's files are no longer kept");
    }
}
