package io.pirt.runtime.store;

import io.pirt.wire.message.StoreSlots;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The board's bundle store (docs/store.md): two slots, A and B, and a state file saying which
 * slot is committed, which is on trial and how many trial starts it has left. Every change is
 * atomic: a power cut at any point leaves the board able to run the bundle it ran before or
 * the new one, complete and verified.
 *
 * <p>A new bundle is installed into the slot that is not committed and goes on trial. Before
 * each start the runtime calls {@link #markStartAttempt()}, which lowers the trial's count
 * durably first, so a crash loop ends after {@value #TRIAL_STARTS} starts with a rollback to
 * the committed bundle. The runtime calls {@link #commit()} once the trial has proved itself
 * and {@link #rollback(String)} when it fails.
 *
 * <p>Methods throw {@link IOException} when the disk fails; the change is then either done or
 * not, and {@link #open} tells which. They throw {@link IllegalStateException}, with a message
 * for the console, when the change makes no sense in the current state. Thread-safe: every
 * method locks the store.
 */
public final class BundleStore {
    /** The starts a newly installed bundle gets before it must have been committed. */
    public static final int TRIAL_STARTS = 3;

    static final String STATE_FILE = "state.properties";
    private static final String STATE_TMP = "state.tmp";
    private static final String TMP_SUFFIX = ".tmp";
    private static final String TRASH_PREFIX = "trash-";

    /** Writes an already-verified bundle's jars; called by {@link #install} with an empty directory. */
    @FunctionalInterface
    public interface Extractor {
        void extractTo(Path emptyDir) throws IOException;
    }

    /*
     * Implementation notes.
     *
     * The disk is the truth; the fields mirror it. A change builds the next StoreState, writes
     * it with the recipe in writeState (temp file, fsync, rename, fsync of the directory), and
     * only then assigns it. A slot directory is written only while the state names it in no
     * role, under a temporary name, and renamed into place once complete and fsynced; an
     * install then verifies it from disk before the state names it. So at any cut the state
     * file names only complete slots, and open() deletes whatever is half made.
     */

    private final Path dir;
    private final FileOps ops;
    /** What open() found and decided, one console line each. */
    private final List<String> bootNotes;

    // guarded by this
    /** What state.properties holds; assigned only after it is durably written. */
    private StoreState state;
    /** The verified manifest of each slot the state names; its keys are exactly those slots. */
    private final EnumMap<SlotId, SlotManifest> manifests;

    private BundleStore(Path dir, FileOps ops, StoreState state, EnumMap<SlotId, SlotManifest> manifests,
                        List<String> bootNotes) {
        this.dir = dir;
        this.ops = ops;
        this.state = state;
        this.manifests = manifests;
        this.bootNotes = List.copyOf(bootNotes);
    }

    /**
     * Opens the store in {@code dir} (created if missing), removes the remains of any change
     * cut short, verifies every slot the state file names (a slot that fails is treated as
     * absent) and rolls back a trial that has no starts left. What it found and decided is in
     * {@link #bootNotes()}.
     *
     * @throws IOException if the directory cannot be read or the state cannot be written
     */
    public static BundleStore open(Path dir, FileOps ops) throws IOException {
        Objects.requireNonNull(ops, "ops");
        if (!Files.isDirectory(dir)) {
            ops.createDirectory(dir);
            ops.fsyncDirectory(dir.toAbsolutePath().getParent());
        }
        removeTransients(dir, ops);
        List<String> notes = new ArrayList<>();
        StoreState state;
        boolean rewrite = false;
        byte[] bytes = readIfPresent(dir.resolve(STATE_FILE));
        if (bytes == null) {
            state = StoreState.EMPTY;
            for (SlotId id : SlotId.values()) {
                if (Files.exists(dir.resolve(id.directoryName()), LinkOption.NOFOLLOW_LINKS)) {
                    notes.add("no " + STATE_FILE + ": slot " + id + " is ignored (an install that did not finish)");
                }
            }
        } else {
            try {
                state = StoreState.decode(bytes, STATE_FILE);
            } catch (CheckedFile.Corrupt e) {
                state = recover(dir, notes);
                notes.add(e.getMessage() + "; recovered from the slots: " + describeRoles(state));
                rewrite = true;
            }
        }
        EnumMap<SlotId, SlotManifest> manifests = new EnumMap<>(SlotId.class);
        for (SlotId id : SlotId.values()) {
            SlotRef ref = refTo(state, id);
            if (ref == null) {
                continue;
            }
            try {
                manifests.put(id, SlotManifest.load(dir.resolve(id.directoryName()), ref.generation()));
            } catch (CheckedFile.Corrupt e) {
                String why = "slot " + id + " (" + role(state, id) + ") failed verification and is treated as absent: "
                        + e.getMessage();
                notes.add(why);
                boolean wasTrial = StoreState.is(state.trial(), id);
                state = state.without(id);
                if (wasTrial) {
                    state = withLastRollback(state, why);
                }
                rewrite = true;
            }
        }
        if (state.trial() != null && state.trialStartsLeft() == 0) {
            String why = exhausted(state, manifests);
            manifests.remove(state.trial().slot());
            state = rolledBack(state, why);
            notes.add("rolled back: " + why);
            rewrite = true;
        }
        if (rewrite) {
            writeState(dir, ops, state);
        }
        return new BundleStore(dir, ops, state, manifests, notes);
    }

    /** What {@link #open} found and decided (verification failures, recovery, rollback), one line each. */
    public List<String> bootNotes() {
        return bootNotes;
    }

    /**
     * The slot the next start would run: the trial while it has starts left, else the committed
     * slot; empty when there is neither. Changes nothing; a start calls {@link #markStartAttempt()}.
     */
    public synchronized Optional<Slot> toRun() {
        if (state.trial() != null && state.trialStartsLeft() > 0) {
            return Optional.of(slot(state.trial(), true));
        }
        return state.committed() == null ? Optional.empty() : Optional.of(slot(state.committed(), false));
    }

    /**
     * The SHA-256 of every file in the slots the state names (committed, trial, previous): what
     * the library cache must not evict (docs/testing.md, "The library cache"). The slots hold
     * their own links or copies, so an eviction could not break them; this keeps the cache from
     * throwing away what the board would need to install them again.
     */
    public synchronized java.util.Set<String> fileSha256s() {
        java.util.Set<String> all = new java.util.HashSet<>();
        for (SlotManifest m : manifests.values()) {
            for (SlotManifest.FileHash f : m.files()) all.add(f.sha256());
        }
        return all;
    }

    /** What the committed slot holds; empty when nothing is committed. Changes nothing. */
    public synchronized Optional<SlotContent> committed() {
        return state.committed() == null ? Optional.empty() : Optional.of(manifests.get(state.committed().slot()).content());
    }

    /**
     * Records that the runtime is about to start the slot it returns. A trial with starts left
     * has its count lowered durably before this returns; a trial with none left is rolled back
     * and the committed slot returned. Empty when there is nothing to run.
     *
     * @throws IOException if the state cannot be written; then start nothing
     */
    public synchronized Optional<Slot> markStartAttempt() throws IOException {
        if (state.trial() != null) {
            if (state.trialStartsLeft() > 0) {
                writeState(new StoreState(state.committed(), state.trial(), state.trialStartsLeft() - 1,
                        state.previous(), state.nextGeneration(), state.lastRollback()));
                return Optional.of(slot(state.trial(), true));
            }
            dropTrial(exhausted(state, manifests));
        }
        return toRun();
    }

    /**
     * Installs a bundle into the slot that is not committed and puts it on trial with
     * {@value #TRIAL_STARTS} starts. A bundle already on trial is dropped first: the newer
     * install replaces it. Nothing is switched until the new slot is written, fsynced and
     * verified from disk.
     *
     * @param content   what the bundle's manifest says
     * @param extractor writes the bundle's jars into the empty directory it is given
     * @return the new trial slot
     * @throws IOException if the extractor or the disk fails, or the extraction holds anything but
     *                     plain files; the committed slot still runs
     */
    public synchronized Slot install(SlotContent content, Extractor extractor) throws IOException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(extractor, "extractor");
        SlotId target = state.trial() != null ? state.trial().slot()
                : state.committed() != null ? state.committed().slot().other() : SlotId.A;
        if (state.names(target)) {
            writeState(state.without(target));
            manifests.remove(target);
        }
        long generation = state.nextGeneration();
        Path slotDir = slotDir(target);
        Path tmp = dir.resolve(target.directoryName() + TMP_SUFFIX);
        Path trash = dir.resolve(TRASH_PREFIX + target.name().toLowerCase(Locale.ROOT));
        deleteTree(tmp, ops);
        deleteTree(trash, ops);
        if (Files.exists(slotDir, LinkOption.NOFOLLOW_LINKS)) {
            ops.move(slotDir, trash);
            ops.fsyncDirectory(dir);
            deleteTree(trash, ops);
        }
        ops.createDirectory(tmp);
        Path jars = tmp.resolve(SlotManifest.JARS);
        ops.createDirectory(jars);
        extractor.extractTo(jars);
        SlotManifest written = SlotManifest.scan(generation, content, jars);
        fsyncTree(jars);
        Path record = tmp.resolve(SlotManifest.FILE_NAME);
        ops.write(record, written.encode());
        ops.fsync(record);
        ops.fsyncDirectory(tmp);
        ops.move(tmp, slotDir);
        ops.fsyncDirectory(dir);
        SlotManifest verified;
        try {
            verified = SlotManifest.load(slotDir, generation);
        } catch (CheckedFile.Corrupt e) {
            throw new IOException("slot " + target + " did not verify after it was written, so nothing was switched: "
                    + e.getMessage() + "; the storage may be failing", e);
        }
        StoreState next = new StoreState(state.committed(), new SlotRef(target, generation), TRIAL_STARTS,
                state.previous(), generation + 1, state.lastRollback());
        writeState(next);
        manifests.put(target, verified);
        return slot(next.trial(), true);
    }

    /**
     * Makes the trial the committed slot; the slot committed until now is kept for
     * {@link #rollback(String)}.
     *
     * @return the newly committed slot
     * @throws IllegalStateException if no bundle is on trial
     * @throws IOException           if the state cannot be written
     */
    public synchronized Slot commit() throws IOException {
        if (state.trial() == null) {
            throw new IllegalStateException("no bundle is on trial, so there is nothing to commit; `bundles` shows the slots");
        }
        StoreState next = new StoreState(state.trial(), null, 0, state.committed(), state.nextGeneration(),
                state.lastRollback());
        writeState(next);
        return slot(next.committed(), false);
    }

    /**
     * Rolls back, recording {@code reason} for {@code bundles}: a bundle on trial is dropped and
     * the committed one runs; with no trial, the previously committed bundle (kept since the
     * last commit) becomes committed again, after it verifies.
     *
     * @return what runs now; empty if the dropped trial had no committed bundle behind it
     * @throws IllegalStateException    if there is no trial and no verified previous bundle
     * @throws IllegalArgumentException if {@code reason} is blank
     * @throws IOException              if the state cannot be written
     */
    public synchronized Optional<Slot> rollback(String reason) throws IOException {
        String why = reason.replaceAll("[\\r\\n]+", " ").strip();
        if (why.isEmpty()) {
            throw new IllegalArgumentException("a rollback needs a reason: it is what `bundles` shows afterwards");
        }
        if (state.trial() != null) {
            dropTrial(why);
            return toRun();
        }
        SlotRef previous = state.previous();
        if (previous == null) {
            throw new IllegalStateException("nothing to roll back to: no bundle is on trial and no previously"
                    + " committed bundle is kept; install one");
        }
        SlotManifest verified;
        try {
            verified = SlotManifest.load(slotDir(previous.slot()), previous.generation());
        } catch (CheckedFile.Corrupt e) {
            writeState(state.without(previous.slot()));
            manifests.remove(previous.slot());
            throw new IllegalStateException("cannot roll back: the previously committed bundle failed verification ("
                    + e.getMessage() + "); install one");
        }
        SlotRef abandoned = state.committed();
        writeState(new StoreState(previous, null, 0, null, state.nextGeneration(), why));
        if (abandoned != null) {
            manifests.remove(abandoned.slot());
        }
        manifests.put(previous.slot(), verified);
        return toRun();
    }

    /**
     * For the console's {@code bundles} command: one line per slot with its role and content,
     * then the last rollback's reason.
     */
    public synchronized StoreSlots status() {
        List<StoreSlots.SlotState> slots = new ArrayList<>();
        for (SlotId id : SlotId.values()) {
            SlotRef ref = refTo(state, id);
            if (ref == null) {
                slots.add(new StoreSlots.SlotState(id.toString(), StoreSlots.Role.FREE, null, null, 0, null));
                continue;
            }
            SlotContent c = manifests.get(id).content();
            boolean trial = StoreState.is(state.trial(), id);
            StoreSlots.Role role = StoreState.is(state.committed(), id) ? StoreSlots.Role.COMMITTED
                    : trial ? StoreSlots.Role.TRIAL : StoreSlots.Role.PREVIOUS;
            slots.add(new StoreSlots.SlotState(id.toString(), role, c.name(), c.version(), ref.generation(),
                    trial ? state.trialStartsLeft() : null));
        }
        return new StoreSlots(slots, state.lastRollback().isEmpty() ? null : state.lastRollback());
    }

    private void dropTrial(String why) throws IOException {
        SlotId trial = state.trial().slot();
        writeState(rolledBack(state, why));
        manifests.remove(trial);
    }

    private Slot slot(SlotRef ref, boolean onTrial) {
        return new Slot(ref.slot(), manifests.get(ref.slot()).content(),
                slotDir(ref.slot()).resolve(SlotManifest.JARS), onTrial);
    }

    private Path slotDir(SlotId id) {
        return dir.resolve(id.directoryName());
    }

    private void writeState(StoreState next) throws IOException {
        writeState(dir, ops, next);
        state = next;
    }

    /** The recipe: temp file, fsync, rename over the state file, fsync of the directory. */
    private static void writeState(Path dir, FileOps ops, StoreState next) throws IOException {
        Path tmp = dir.resolve(STATE_TMP);
        ops.write(tmp, next.encode());
        ops.fsync(tmp);
        ops.move(tmp, dir.resolve(STATE_FILE));
        ops.fsyncDirectory(dir);
    }

    private void fsyncTree(Path root) throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted()::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    dirs.add(p);
                } else {
                    ops.fsync(p);
                }
            }
        }
        for (Path d : dirs.reversed()) {
            ops.fsyncDirectory(d);
        }
    }

    /** Deletes {@code root} and everything under it, deepest first; nothing when it does not exist. */
    private static void deleteTree(Path root, FileOps ops) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            ops.delete(p);
        }
    }

    private static void removeTransients(Path dir, FileOps ops) throws IOException {
        boolean removed = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.endsWith(TMP_SUFFIX) || name.startsWith(TRASH_PREFIX)) {
                    deleteTree(p, ops);
                    removed = true;
                }
            }
        }
        if (removed) {
            ops.fsyncDirectory(dir);
        }
    }

    /**
     * A state for a store whose state file is corrupt, from the slots alone: one verified slot
     * is committed; of two, the older is committed and the newer goes on trial with one start.
     */
    private static StoreState recover(Path dir, List<String> notes) throws IOException {
        List<SlotRef> verified = new ArrayList<>();
        for (SlotId id : SlotId.values()) {
            Path slotDir = dir.resolve(id.directoryName());
            byte[] bytes = readIfPresent(slotDir.resolve(SlotManifest.FILE_NAME));
            if (bytes == null) {
                continue;
            }
            try {
                long generation = SlotManifest.decode(bytes, id.directoryName()).generation();
                SlotManifest.load(slotDir, generation);
                verified.add(new SlotRef(id, generation));
            } catch (CheckedFile.Corrupt e) {
                notes.add("slot " + id + " is left out of the recovery: " + e.getMessage());
            }
        }
        verified.sort(Comparator.comparingLong(SlotRef::generation));
        long next = verified.isEmpty() ? 1 : verified.getLast().generation() + 1;
        String why = "state file was corrupt; recovered from the slots";
        return switch (verified.size()) {
            case 0 -> new StoreState(null, null, 0, null, next, why);
            case 1 -> new StoreState(verified.getFirst(), null, 0, null, next, why);
            default -> new StoreState(verified.getFirst(), verified.getLast(), 1, null, next, why);
        };
    }

    private static byte[] readIfPresent(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static StoreState rolledBack(StoreState s, String why) {
        return new StoreState(s.committed(), null, 0, s.previous(), s.nextGeneration(), why);
    }

    private static StoreState withLastRollback(StoreState s, String why) {
        return new StoreState(s.committed(), s.trial(), s.trialStartsLeft(), s.previous(), s.nextGeneration(), why);
    }

    private static String exhausted(StoreState s, EnumMap<SlotId, SlotManifest> manifests) {
        SlotContent c = manifests.get(s.trial().slot()).content();
        return "trial starts exhausted: " + c.name() + " " + c.version() + " in slot " + s.trial().slot()
                + " was started without being committed until none were left";
    }

    private static SlotRef refTo(StoreState s, SlotId id) {
        for (SlotRef ref : new SlotRef[] {s.committed(), s.trial(), s.previous()}) {
            if (StoreState.is(ref, id)) {
                return ref;
            }
        }
        return null;
    }

    private static String role(StoreState s, SlotId id) {
        if (StoreState.is(s.committed(), id)) {
            return "committed";
        }
        if (StoreState.is(s.trial(), id)) {
            return "on trial";
        }
        return StoreState.is(s.previous(), id) ? "previous, kept for rollback" : "free";
    }

    private static String describeRoles(StoreState s) {
        return "committed " + SlotRef.format(s.committed()) + ", trial " + SlotRef.format(s.trial());
    }
}
