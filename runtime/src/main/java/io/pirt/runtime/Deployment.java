package io.pirt.runtime;

import io.pirt.bundle.BundleRejectedException;
import io.pirt.bundle.BundleVerifier;
import io.pirt.bundle.Target;
import io.pirt.bundle.TrustedKeys;
import io.pirt.bundle.VerifiedBundle;
import io.pirt.bundle.Version;
import io.pirt.runtime.log.ConsoleLog;
import io.pirt.runtime.endpoint.TransferSink;
import io.pirt.runtime.store.BundleStore;
import io.pirt.runtime.store.FileOps;
import io.pirt.runtime.store.LibraryCache;
import io.pirt.runtime.store.Slot;
import io.pirt.runtime.store.SlotContent;
import io.pirt.wire.message.BoardInfo;
import io.pirt.wire.message.CachedLibraries;
import io.pirt.wire.message.Done;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Refusal;
import io.pirt.wire.message.StoreSlots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the board runs from its bundle store, and the rules of a new bundle's trial.
 *
 * <p>A bundle arriving through the wire protocol is verified (signature, hashes, board,
 * runtime version, downgrade) before anything changes; a refused one leaves the board as
 * it was and the tool hears why. A verified one is installed into the free slot and started
 * on trial: it is committed once it has stayed up for the trial time, or at once when it
 * calls {@code Supervisor.markHealthy()}; it is rolled back if it crashes, exits, hangs or
 * fails to start during its trial, and the console says why. Each bundle's verdict
 * ({@code committed ...}, {@code rolled back: ...}, {@code refused: ...}) is kept for the
 * tool's {@code install-wait}. Thread-safe.
 */
final class Deployment implements TransferSink {
    /**
     * The longest {@code install-wait} the board accepts: 10 minutes, far beyond any trial, so
     * a request cannot hold a waiter for ever (docs/runtime.md, "Limits").
     */
    static final long MAX_INSTALL_WAIT_MS = 600_000;
    /**
     * Verdicts kept for {@code install-wait}: the last 64, the oldest forgotten first. A tool
     * asks for its verdict within seconds of its flash, so only a tool that waited through 64
     * later flashes finds none (it times out and sends its bundle again); without a bound,
     * every bundle a tool ever sent stayed in memory (docs/runtime.md, "Limits").
     */
    static final int MAX_VERDICTS = 64;
    /** Downgrades allowed and not yet used: the last 16, the oldest forgotten first (and logged). */
    static final int MAX_DOWNGRADES_ALLOWED = 16;

    /** Starts, stops and restarts the application; the runtime implements it. */
    interface Launcher {
        void run(Slot slot) throws IOException;

        void stopApp();
    }

    private final BundleStore store;
    /** Libraries sent once and referenced by later bundles (format 2); transfers named lib-SHA256.jar go here. */
    private final LibraryCache libraries;
    /** The libraries of the last test bundle accepted: pinned in the cache until the next one. Guarded by this. */
    private java.util.Set<String> testLibraries = java.util.Set.of();
    /** The release keys, the test keys, whether test runs are on and development mode. */
    private final io.pirt.runtime.access.Access access;
    private final String boardId;
    private final Version runtimeVersion;
    private final long trialMs;
    private final ConsoleLog log;
    private Launcher launcher;
    private io.pirt.runtime.testrun.TestRuns testRuns;
    /**
     * SHA-256 of the bundles a tool allowed to be a downgrade (flashed with force), each
     * good for one install; kept in memory only, oldest first, at most
     * {@link #MAX_DOWNGRADES_ALLOWED}. Guarded by this.
     */
    private final java.util.LinkedHashSet<String> downgradesAllowed = new java.util.LinkedHashSet<>();
    /** Verdict by bundle SHA-256, oldest first, at most {@link #MAX_VERDICTS}. Guarded by this. */
    private final Map<String, InstallVerdict> verdicts = new LinkedHashMap<>();
    /** The slot running now, or null. Guarded by this. */
    private Slot running;
    /** Bumped at every start, so a trial timer of an earlier start does nothing. Guarded by this. */
    private long startNumber;
    private final java.util.concurrent.ScheduledExecutorService timers = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        java.lang.Thread t = new java.lang.Thread(r, "trial-timer");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param libraryCacheDir      where the library cache lives (docs/testing.md, "The library cache")
     * @param libraryCacheBytes    its bound
     */
    Deployment(BundleStore store, Path libraryCacheDir, long libraryCacheBytes, io.pirt.runtime.access.Access access,
               String boardId, String runtimeVersion, long trialMs, ConsoleLog log) throws IOException {
        this.store = store;
        this.libraries = LibraryCache.open(libraryCacheDir, libraryCacheBytes, FileOps.durable(log::runtime), this::librariesInUse);
        this.access = access;
        this.boardId = boardId;
        this.runtimeVersion = Version.parse(runtimeVersion.replace("-SNAPSHOT", ""));
        this.trialMs = trialMs;
        this.log = log;
        store.bootNotes().forEach(n -> decision("bundle store: " + n));
        libraries.bootNotes().forEach(n -> decision("library cache: " + n));
        log.runtime("library cache: " + libraries.summary());
    }

    /** What the library cache must not evict: the files of every slot the store names, and the test bundle's libraries. */
    private java.util.Set<String> librariesInUse() {
        java.util.Set<String> all = new java.util.HashSet<>(store.fileSha256s());
        synchronized (this) {
            all.addAll(testLibraries);
        }
        return all;
    }

    /** The tool's {@code libs-have SHA256...}: which of those libraries the cache holds. */
    CachedLibraries librariesHave(String argument) {
        List<String> asked = argument.isBlank() ? List.of() : List.of(argument.trim().split("\\s+"));
        if (asked.size() > io.pirt.wire.message.Command.LIBS_HAVE_BATCH
                || !asked.stream().allMatch(a -> a.matches("[0-9a-f]{64}"))) {
            throw new Refusal(Refusal.BAD_ARGUMENT, "usage: libs-have SHA256... (at most "
                    + io.pirt.wire.message.Command.LIBS_HAVE_BATCH + " SHA-256s of 64 lowercase hex digits)").exception();
        }
        try {
            return libraries.have(asked);
        } catch (IOException e) {
            throw new Refusal(Refusal.FAILED, "cannot record the library cache's uses: " + e.getMessage()).exception();
        }
    }

    void launcher(Launcher l) {
        this.launcher = l;
    }

    /** Where test bundles go: they are never installed into the store. */
    void testRuns(io.pirt.runtime.testrun.TestRuns t) {
        this.testRuns = t;
    }

    /** Whether the bundle running now is on trial. */
    synchronized boolean trialInProgress() {
        return running != null && running.onTrial();
    }

    /** Starts what the store says should run, if anything. */
    void startFromStore() throws IOException {
        startFirstIntact(store.markStartAttempt(), "no bundle installed: flash one with `pirt flash`");
    }

    /**
     * Starts {@code slot}, or (when it no longer matches its signed record) rolls back and tries
     * what the store offers next, until one matches or none is left: then {@code whenNone} is
     * logged. Each failed slot leaves the store's state (a rollback), so this ends within as
     * many turns as there are slots.
     *
     * @return whether a slot was started
     */
    private boolean startFirstIntact(Optional<Slot> slot, String whenNone) throws IOException {
        while (slot.isPresent()) {
            Optional<String> tampered = signedCheck(slot.get());
            if (tampered.isEmpty()) {
                start(slot.get());
                return true;
            }
            if (!refuse(slot.get(), tampered.get())) return false;
            slot = store.markStartAttempt();
        }
        decision(whenNone);
        return false;
    }

    /** Says why {@code slot} is not run and rolls back; false when there is nothing behind it (then nothing runs). */
    private boolean refuse(Slot slot, String tampered) throws IOException {
        SlotContent c = slot.content();
        String why = "slot " + slot.id() + " (" + c.name() + " " + c.version() + ") no longer matches what was signed: " + tampered;
        decision(why + "; it is not run");
        synchronized (this) {
            if (running == slot) running = null;
        }
        try {
            store.rollback(why);
            return true;
        } catch (IllegalStateException nothingBehind) {
            log.runtime("no intact bundle to fall back to (" + nothingBehind.getMessage() + "): no application runs;"
                    + " flash a signed bundle with `pirt flash`");
            return false;
        } finally {
            if (slot.onTrial()) verdict(c.sha256(), InstallVerdict.rolledBack(why)); // once the store no longer names it
        }
    }

    /**
     * Called before the runtime starts the application again on its own (the restart policy
     * after a crash, the console's {@code restart}): whether the slot that ran still matches
     * its signed record, or no store slot ran (an {@code --app-jar}). If it does not, this says
     * so, rolls back and starts the first intact slot instead, and returns false: the caller
     * starts nothing.
     */
    boolean mayRestart() throws IOException {
        Slot slot;
        synchronized (this) {
            slot = running;
        }
        if (slot == null) return true;
        Optional<String> tampered = signedCheck(slot);
        if (tampered.isEmpty()) return true;
        if (refuse(slot, tampered.get())) {
            startFirstIntact(store.markStartAttempt(), "no committed bundle to go back to: flash one with `pirt flash`");
        }
        return false;
    }

    /**
     * Whether the slot still holds exactly what its signer signed (docs/store.md, "What the
     * application cannot do"): the slot's own record (slot.properties) only proves it is complete,
     * and the application, running as the runtime's user, could rewrite both its jars and that
     * record. Empty when it matches; else why not. Read every start: a slot is a few MB, hashed
     * in well under a second even on a Pi's SD card (docs/store.md gives the figures).
     */
    private Optional<String> signedCheck(Slot slot) throws IOException {
        io.pirt.bundle.BundleManifest m;
        TrustedKeys keys;
        try {
            keys = TrustedKeys.load(access.trustedKeysDir());
        } catch (IOException e) { // the trust store is broken, not the slot: the store keeps it for when it is fixed
            throw new IOException("cannot check slot " + slot.id() + " (" + slot.content().name() + " " + slot.content().version()
                    + ") against the trusted keys: " + e.getMessage() + "; the slot is kept: fix or remove that key file and `restart`", e);
        }
        try {
            m = BundleVerifier.verifyExtracted(slot.jarsDir(), keys, access.developmentMode());
        } catch (BundleRejectedException e) {
            return Optional.of(e.getMessage());
        }
        SlotContent c = slot.content();
        SlotContent signed = new SlotContent(m.name(), m.version().toString(), m.mainClass(), m.mainThreadPriority(), c.sha256());
        if (!signed.equals(c)) {
            return Optional.of("the store's record says " + c.name() + " " + c.version() + " main " + c.mainClass() + " priority "
                    + c.mainPriority() + ", the signed manifest " + signed.name() + " " + signed.version() + " main "
                    + signed.mainClass() + " priority " + signed.mainPriority());
        }
        return Optional.empty();
    }

    /**
     * A line about what runs and why (a boot decision of the store, a start, an install, a
     * commit, a rollback): to the console log, and to stderr, which is the journal under
     * systemd. After a power cut the journal is where a person looks for why the board runs
     * what it runs; the console log is only on the board's port.
     */
    private void decision(String line) {
        log.runtime(line);
        System.err.println("pirt-runtime: " + line);
    }

    private void start(Slot slot) throws IOException {
        synchronized (this) {
            running = slot;
            startNumber++;
        }
        SlotContent c = slot.content();
        decision((slot.onTrial() ? "starting bundle " + c.name() + " " + c.version() + " on trial (slot " + slot.id() + ")"
                : "starting bundle " + c.name() + " " + c.version() + " (slot " + slot.id() + ")"));
        launcher.run(slot);
    }

    @Override
    public void accept(String name, Path file, String sha256Hex) throws IOException {
        if (name.startsWith("lib-") && name.endsWith(".jar")) {
            String named = name.substring("lib-".length(), name.length() - ".jar".length());
            if (!named.equals(sha256Hex)) {
                throw new IOException("the library " + name + " has SHA-256 " + sha256Hex + ", not the one its name says;"
                        + " send a library as lib-<its SHA-256>.jar");
            }
            libraries.store(sha256Hex, file);
            log.runtime("library " + sha256Hex.substring(0, 16) + "... stored in the library cache (" + libraries.summary() + ")");
            return;
        }
        VerifiedBundle bundle;
        try {
            Optional<Version> committed = committedVersion();
            boolean force;
            synchronized (this) {
                force = downgradesAllowed.remove(sha256Hex);
                verdicts.remove(sha256Hex); // sent again (now forced, or after a key was added): a new verdict, not the old one
            }
            bundle = verify(file, new Target(boardId, runtimeVersion, access.developmentMode(), committed, force));
        } catch (BundleRejectedException e) {
            verdict(sha256Hex, InstallVerdict.refused(Refusal.BUNDLE_PREFIX + e.reason().name(), e.getMessage()));
            log.runtime("bundle refused: " + e.getMessage() + "; the board keeps what it had");
            throw new IOException("bundle refused: " + e.getMessage(), e);
        } catch (Refusal.RefusedException e) {
            verdict(sha256Hex, InstallVerdict.refused(e.refusal().code(), e.refusal().message()));
            log.runtime("bundle refused: " + e.refusal().message() + "; the board keeps what it had");
            throw new IOException("bundle refused: " + e.refusal().message(), e);
        }
        var m = bundle.manifest();
        if (m.kind() == io.pirt.bundle.BundleManifest.Kind.TEST) {
            synchronized (this) {
                testLibraries = bundle.libraries().stream().map(io.pirt.bundle.LibraryReference::sha256)
                        .collect(java.util.stream.Collectors.toUnmodifiableSet());
            }
            try {
                testRuns.accept(bundle, sha256Hex, libraries);
                libraries.saveUses();
            } catch (IOException e) {
                verdict(sha256Hex, InstallVerdict.refused(Refusal.NOT_NOW, e.getMessage()));
                throw e;
            }
            verdict(sha256Hex, InstallVerdict.testReady(m.name(), m.version().toString()));
            return;
        }
        SlotContent content = new SlotContent(m.name(), m.version().toString(), m.mainClass(), m.mainThreadPriority(), bundle.sha256());
        Slot slot;
        try {
            slot = store.install(content, dir -> {
                try {
                    bundle.extractTo(dir, libraries);
                    bundle.writeSignedRecord(dir); // what every start checks the slot against
                    libraries.saveUses();
                } catch (BundleRejectedException e) {
                    throw new IOException("the bundle changed while it was installed: " + e.getMessage(), e);
                }
            });
        } catch (IOException e) {
            verdict(sha256Hex, InstallVerdict.refused(Refusal.FAILED, "cannot install: " + e.getMessage()));
            throw e;
        }
        decision("bundle " + m.name() + " " + m.version() + " installed in slot " + slot.id() + "; trying it");
        launcher.stopApp();
        startFromStore();
    }

    /**
     * Verifies a bundle against the key set of its kind (docs/bundle.md §7): a release bundle
     * must be signed by a key in the trusted keys, a test bundle by one in the test keys, so a
     * key that may run tests on a board cannot install an application on it, nor the other way
     * round. Development mode takes either set for either kind (and unsigned bundles).
     *
     * @throws Refusal.RefusedException {@code BUNDLE_UNKNOWN_KEY} for a bundle signed by a key of
     *     the other set, {@code NOT_SUPPORTED} for a test bundle while test runs are off
     */
    private VerifiedBundle verify(Path file, Target target) throws IOException, BundleRejectedException {
        TrustedKeys release = TrustedKeys.load(access.trustedKeysDir());
        TrustedKeys test = TrustedKeys.load(access.testKeysDir());
        VerifiedBundle bundle;
        try {
            bundle = BundleVerifier.verify(file, release, target);
        } catch (BundleRejectedException e) {
            if (e.reason() != BundleRejectedException.Reason.UNKNOWN_KEY || test.keyIds().isEmpty()) throw e;
            try {
                bundle = BundleVerifier.verify(file, test, target); // perhaps a test bundle signed by a test key
            } catch (BundleRejectedException inTestKeys) {
                if (inTestKeys.reason() == BundleRejectedException.Reason.UNKNOWN_KEY) throw e; // in neither set: say the release keys
                throw inTestKeys;
            }
        }
        boolean isTest = bundle.manifest().kind() == io.pirt.bundle.BundleManifest.Kind.TEST;
        if (isTest && !access.testRuns()) {
            throw new Refusal(Refusal.NOT_SUPPORTED, "test runs are off on this board (--test-runs off): it takes no test "
                    + "bundle; turn them on in the runtime's options (/etc/pirt/pirt.conf) to run tests here").exception();
        }
        String signer = bundle.signerKeyId().orElse(null);
        if (signer == null || access.developmentMode()) return bundle; // unsigned: only development mode got here
        if (isTest && !test.contains(signer)) {
            throw new Refusal(Refusal.BUNDLE_PREFIX + BundleRejectedException.Reason.UNKNOWN_KEY.name(), "the test bundle is "
                    + "signed by key " + signer + ", which is not a test key of this board: test bundles must be signed by a key "
                    + "whose .pub is in " + access.testKeysDir() + "/ (the release keys in " + access.trustedKeysDir()
                    + "/ do not run tests)").exception();
        }
        if (!isTest && !release.contains(signer)) {
            throw new Refusal(Refusal.BUNDLE_PREFIX + BundleRejectedException.Reason.UNKNOWN_KEY.name(), "the bundle is signed by "
                    + "key " + signer + ", which is a test key of this board, not a release key: an application must be signed "
                    + "by a key whose .pub is in " + access.trustedKeysDir() + "/").exception();
        }
        return bundle;
    }

    /**
     * A tool's {@code allow-downgrade SHA256} ({@code pirt flash --force}): the bundle with
     * that SHA-256 may be older than the committed one, once. Every other check still
     * applies. Returns the answer for the tool.
     */
    Done allowDowngrade(String sha256Hex) {
        String sha = sha256Hex.strip().toLowerCase(java.util.Locale.ROOT);
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new Refusal(Refusal.BAD_ARGUMENT, "allow-downgrade takes a bundle's SHA-256 (64 hex digits), not '" + sha256Hex + "'")
                    .exception();
        }
        String forgotten = null;
        synchronized (this) {
            downgradesAllowed.remove(sha); // allowed again: now the newest
            downgradesAllowed.add(sha);
            if (downgradesAllowed.size() > MAX_DOWNGRADES_ALLOWED) {
                Iterator<String> oldest = downgradesAllowed.iterator();
                forgotten = oldest.next();
                oldest.remove();
            }
        }
        if (forgotten != null) {
            log.runtime("the downgrade allowed for bundle " + forgotten.substring(0, 16) + "... is forgotten: the board keeps the last "
                    + MAX_DOWNGRADES_ALLOWED + " unused ones; flash it with force again if it is still to come");
        }
        log.runtime("a tool allows bundle " + sha.substring(0, 16) + "... to be a downgrade (flashed with force)");
        return new Done("the bundle with SHA-256 " + sha + " may be a downgrade, once");
    }

    /** The committed bundle's version, for the downgrade check. */
    private Optional<Version> committedVersion() {
        return store.committed().map(c -> Version.parse(c.version()));
    }

    /** The application linked up: a trial starts its clock. */
    void started() {
        long number;
        Slot slot;
        synchronized (this) {
            slot = running;
            number = startNumber;
        }
        if (slot == null || !slot.onTrial()) return;
        log.runtime("bundle " + slot.content().name() + " " + slot.content().version() + " is up; committing it after "
                + trialMs + " ms of uptime, or when it says it is healthy");
        timers.schedule(() -> commitIfStill(number, "stayed up " + trialMs + " ms"), trialMs, TimeUnit.MILLISECONDS);
    }

    /** The application called markHealthy(). */
    void healthy() {
        long number;
        synchronized (this) {
            number = startNumber;
        }
        commitIfStill(number, "it said it is healthy");
    }

    private void commitIfStill(long number, String why) {
        Slot slot;
        synchronized (this) {
            if (number != startNumber || running == null || !running.onTrial()) return;
            slot = running;
        }
        try {
            store.commit();
            synchronized (this) {
                if (running == slot) running = new Slot(slot.id(), slot.content(), slot.jarsDir(), false);
            }
            SlotContent c = slot.content();
            decision("bundle " + c.name() + " " + c.version() + " committed (" + why + ")");
            verdict(c.sha256(), InstallVerdict.committed(c.name(), c.version()));
        } catch (IOException e) {
            log.runtime("cannot commit bundle " + slot.content().name() + ": " + e.getMessage());
        }
    }

    /**
     * The application ended. Returns true if that ended a trial (rolled back here), false if
     * the runtime's ordinary restart policy applies.
     */
    boolean ended(String why) {
        Slot slot;
        synchronized (this) {
            slot = running;
            if (slot == null || !slot.onTrial()) return false;
            running = null;
        }
        SlotContent c = slot.content();
        String reason = "bundle " + c.name() + " " + c.version() + " failed its trial: it " + why;
        decision(reason + "; rolling back");
        try {
            store.rollback("it " + why);
            startFirstIntact(store.markStartAttempt(), "no committed bundle to go back to: flash one with `pirt flash`");
        } catch (IOException | IllegalStateException e) {
            log.runtime("rollback failed: " + e.getMessage());
        } finally {
            // Once the store has rolled back and the bundle behind it is started, as for a commit (verdict after
            // store.commit): a tool told "rolled back" that asks `info` at once finds the board running that bundle.
            verdict(c.sha256(), InstallVerdict.rolledBack("it " + why));
        }
        return true;
    }

    /** The console's {@code rollback}. */
    Done rollback() {
        try {
            store.rollback("requested on the console"); // refuses (and changes nothing) when there is nothing to go back to
            launcher.stopApp();
            synchronized (this) {
                running = null;
            }
            if (!startFirstIntact(store.markStartAttempt(), "rolled back; nothing left to run")) {
                return new Done("rolled back; nothing left to run");
            }
            Slot now;
            synchronized (this) {
                now = running;
            }
            return new Done(now == null ? "rolled back; the bundle started has already ended (see the log)"
                    : "rolled back to " + now.content().name() + " " + now.content().version());
        } catch (IllegalStateException e) {
            throw new Refusal(Refusal.NOT_FOUND, e.getMessage()).exception();
        } catch (IOException e) {
            throw new Refusal(Refusal.FAILED, e.getMessage()).exception();
        }
    }

    StoreSlots status() {
        return store.status();
    }

    /** For {@code info}: the bundle running and its state, or null when none runs. */
    synchronized BoardInfo.RunningBundle active() {
        if (running == null) return null;
        SlotContent c = running.content();
        return new BoardInfo.RunningBundle(c.name(), c.version(), running.id().toString(), running.onTrial());
    }

    private synchronized void verdict(String sha, InstallVerdict verdict) {
        verdicts.remove(sha); // a new verdict is the newest, whatever the old one was
        verdicts.put(sha, verdict);
        if (verdicts.size() > MAX_VERDICTS) {
            Iterator<String> oldest = verdicts.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        notifyAll();
    }

    /** For tests: whether a downgrade of bundle {@code sha256Hex} is allowed and not yet used. */
    synchronized boolean downgradeAllowed(String sha256Hex) {
        return downgradesAllowed.contains(sha256Hex);
    }

    /** For tests: how many verdicts are kept. */
    synchronized int verdictsKept() {
        return verdicts.size();
    }

    /**
     * {@code install-wait SHA TIMEOUTMS}: the verdict on that bundle, waiting for it up to the
     * timeout, which is at most {@link #MAX_INSTALL_WAIT_MS}.
     */
    synchronized InstallVerdict awaitVerdict(String argument) {
        String[] w = argument.trim().split("\\s+");
        if (w.length != 2 || !w[0].matches("[0-9a-f]{64}")) {
            throw new Refusal(Refusal.BAD_ARGUMENT, "usage: install-wait SHA256 TIMEOUTMS").exception();
        }
        long timeoutMs;
        try {
            timeoutMs = Long.parseLong(w[1]);
        } catch (NumberFormatException e) {
            throw new Refusal(Refusal.BAD_ARGUMENT, "install-wait needs a timeout in ms, not '" + w[1] + "'").exception();
        }
        if (timeoutMs < 0 || timeoutMs > MAX_INSTALL_WAIT_MS) {
            throw new Refusal(Refusal.BAD_ARGUMENT, "install-wait waits at most " + MAX_INSTALL_WAIT_MS + " ms, not " + timeoutMs
                    + " ms: give a timeout in 0.." + MAX_INSTALL_WAIT_MS + " and ask again if the verdict is not in yet").exception();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try {
            while (!verdicts.containsKey(w[0])) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) throw new Refusal(Refusal.TIMEOUT, "no verdict on that bundle within " + timeoutMs + " ms").exception();
                wait(left);
            }
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            throw new Refusal(Refusal.FAILED, "interrupted while waiting for the verdict").exception();
        }
        return verdicts.get(w[0]);
    }

    void close() {
        timers.shutdownNow();
    }
}
