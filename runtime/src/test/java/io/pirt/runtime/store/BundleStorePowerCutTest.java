package io.pirt.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cuts the power before every single file operation of each store change (and once after the
 * last), with and without losing unsynced writes, then boots the store again with real
 * operations: it must open, run the bundle from before the change or the one after it, and
 * that slot must hold exactly that bundle's jars, and the store must take a new install.
 *
 * <p>Before each change the store holds demo 1.0 (kept for rollback) and demo 1.1 (committed);
 * the changes that need a trial also have demo 1.2 on trial with all its starts.
 */
class BundleStorePowerCutTest {
    private static final FileOps REAL = FileOps.durable(warning -> {
        throw new AssertionError("unexpected warning: " + warning);
    });
    private static final Map<Change, Integer> CUT_POINTS = new EnumMap<>(Change.class);

    enum Change {
        INSTALL(false, Set.of(1, 2)),
        COMMIT(true, Set.of(2)),
        ROLLBACK_TRIAL(true, Set.of(1, 2)),
        ROLLBACK_TO_PREVIOUS(false, Set.of(0, 1)),
        START_ATTEMPT(true, Set.of(2));

        final boolean withTrial;
        /** The versions the board may run after a cut: the one before the change and the one after. */
        final Set<Integer> oldOrNew;

        Change(boolean withTrial, Set<Integer> oldOrNew) {
            this.withTrial = withTrial;
            this.oldOrNew = oldOrNew;
        }

        void apply(BundleStore store, FileOps ops) throws IOException {
            switch (this) {
                case INSTALL -> TestBundles.install(store, ops, 2);
                case COMMIT -> store.commit();
                case ROLLBACK_TRIAL -> store.rollback("test: trial crashed");
                case ROLLBACK_TO_PREVIOUS -> store.rollback("test: operator asked");
                case START_ATTEMPT -> store.markStartAttempt();
            }
        }
    }

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Change.class)
    void everyCutPointBootsTheOldOrTheNewBundleCompleteAndVerified(Change change) throws IOException {
        Path template = tmp.resolve("template");
        prepare(template, change);
        int operations = countOperations(template, change);
        assertTrue(operations > 0, change + " did no file operation");
        Set<Integer> seen = new TreeSet<>();
        for (int k = 0; k <= operations; k++) {
            for (boolean loseUnsynced : new boolean[] {false, true}) {
                Path dir = tmp.resolve(change + "-" + k + "-" + loseUnsynced);
                copy(template, dir);
                CrashingFileOps ops = new CrashingFileOps(k, loseUnsynced ? new Random(k) : null);
                String where = change + " cut at operation " + k + " of " + operations
                        + (loseUnsynced ? ", unsynced writes lost" : "");
                BundleStore store = BundleStore.open(dir, ops);
                try {
                    change.apply(store, ops);
                    assertEquals(operations, k, where + ": the change finished without reaching the cut");
                    ops.cutNow();
                } catch (PowerCut expected) {
                    assertTrue(k < operations, where + ": " + expected.getMessage());
                }
                seen.add(bootAndCheck(dir, change, where));
            }
        }
        assertEquals(change.oldOrNew, seen, change + ": the sweep must see both the old and the new bundle");
        CUT_POINTS.put(change, operations + 1);
    }

    /** Boots the store as after the cut and returns the version it runs, after checking it. */
    private static int bootAndCheck(Path dir, Change change, String where) throws IOException {
        BundleStore store;
        try {
            store = BundleStore.open(dir, REAL);
        } catch (IOException | RuntimeException e) {
            throw new AssertionError(where + ": the store did not open", e);
        }
        assertEquals(List.of(), store.bootNotes(), where + ": a slot the state named was not intact");
        Slot running = store.toRun().orElseThrow(() -> new AssertionError(where + ": nothing to run\n" + text(store.status())));
        int version = TestBundles.versionOf(running);
        assertTrue(change.oldOrNew.contains(version), where + ": runs 1." + version + ", neither old nor new");
        // The store must still work after the cut: a fresh install lands and verifies.
        Slot next = TestBundles.install(store, new CrashingFileOps(Long.MAX_VALUE, null), 7);
        assertEquals(7, TestBundles.versionOf(BundleStore.open(dir, REAL).toRun().orElseThrow()), where);
        assertTrue(next.onTrial(), where);
        return version;
    }

    private static void prepare(Path dir, Change change) throws IOException {
        BundleStore store = BundleStore.open(dir, REAL);
        TestBundles.install(store, REAL, 0);
        store.commit();
        TestBundles.install(store, REAL, 1);
        store.commit();
        if (change.withTrial) {
            TestBundles.install(store, REAL, 2);
        }
    }

    private int countOperations(Path template, Change change) throws IOException {
        Path dir = tmp.resolve(change + "-count");
        copy(template, dir);
        CrashingFileOps ops = new CrashingFileOps(Long.MAX_VALUE, null);
        change.apply(BundleStore.open(dir, ops), ops);
        return Math.toIntExact(ops.operationsDone());
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.sorted().toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    @AfterAll
    static void reportCutPoints() {
        if (!CUT_POINTS.isEmpty()) {
            System.out.println("[store] power-cut points covered (each with and without lost unsynced writes): " + CUT_POINTS);
        }
    }

    /** The store's status as the shell prints it (one line per slot and the last rollback, each ended by a newline). */
    private static String text(io.pirt.wire.message.StoreSlots status) {
        return io.pirt.wire.message.AnswerText.of(status) + "\n";
    }
}
