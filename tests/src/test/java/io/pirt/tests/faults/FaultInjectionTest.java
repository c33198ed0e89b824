package io.pirt.tests.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.bundle.BundleManifest;
import io.pirt.bundle.BundleWriter;
import io.pirt.bundle.Version;
import io.pirt.tools.board.SerialLink;
import io.pirt.tools.client.BoardClient;
import io.pirt.tools.client.TransferReport;
import io.pirt.virtualboard.VirtualBoard;
import io.pirt.wire.Response;
import io.pirt.wire.message.BoardInfo;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-injection suite of issue 16: the real runtime process on a virtual board, started
 * on a state directory that holds a committed bundle (fault-app 2.0.0, with 1.0.0 kept as the
 * previous one and a library in the cache) after one fault was put into it: a file of every
 * kind the runtime reads truncated, garbled or emptied, leftovers of cut operations, a state
 * directory that is read-only (a read-only bind mount), full (a small tmpfs filled up) or that
 * fills while the runtime runs. For each case the runtime must start, answer {@code info}
 * within 5 s of opening its console, and keep what was committed: the committed bundle runs,
 * committed — or, where the fault destroyed that bundle's own files, the runtime runs what
 * its store decided and says why in its log (the expectation names the words).
 *
 * <p>Cases run {@code pirt.faults.parallel} at a time (default 3), each on a copy of one
 * prepared state; one runtime per case. The outcome table goes to stdout and to
 * {@code target/fault-injection.txt}. Mount cases need root (or CAP_SYS_ADMIN); without it they
 * are skipped with the reason. Command: docs/testing.md, "Fault injection".
 */
@org.junit.jupiter.api.Tag("faults")
@Timeout(600)
class FaultInjectionTest {
    static final String APP = "fault-app";
    /** How long the console may take to answer {@code info} once it is open. */
    static final long INFO_MS = 5_000;
    /** Bound of every other step: a runtime start, a flash, a bundle settling. */
    static final long STEP_MS = 60_000;
    static final Pattern COMMITTED = Pattern.compile("committed=([AB])@\\d+");
    static final Pattern PREVIOUS = Pattern.compile("previous=([AB])@\\d+");

    @TempDir
    static Path dir;

    /** What a case expects of the committed bundle. */
    /** What the log says when the trusted keys cannot be read. */
    private static final String KEYS_BROKEN = "cannot check slot [AB] \\(fault-app 2\\.0\\.0\\) against the trusted keys: .*dev\\.pub.*the slot is kept";

    record Expect(String version, String logRegex) {
        /** The committed bundle runs, committed, at {@code version}. */
        static Expect keeps(String version) {
            return new Expect(version, null);
        }

        /** {@code version} runs committed (null: nothing runs), and the log says why, matching {@code logRegex}. */
        static Expect reports(String version, String logRegex) {
            return new Expect(version, logRegex);
        }

        @Override
        public String toString() {
            return (version == null ? "nothing runs" : APP + " " + version + " runs committed")
                    + (logRegex == null ? "" : ", log says /" + logRegex + "/");
        }
    }

    /** Puts a fault into a copy of the prepared board; may add cleanups (unmounts) to undo it. */
    @FunctionalInterface
    interface Fault {
        void inject(Board b) throws Exception;
    }

    /** Something done once the runtime answers (a flash on a failing disk); returns what happened, for the table. */
    @FunctionalInterface
    interface Then {
        String run(Board b, VirtualBoard board) throws Exception;
    }

    record Case(String kind, String name, Fault fault, Expect expect, Then then) {
        Case(String kind, String name, Fault fault, Expect expect) {
            this(kind, name, fault, expect, null);
        }
    }

    /** A case's board: its directory (keys, config), its runtime state, its undo steps. */
    record Board(Path dir, Path state, List<String> unmounts, Random random) {
        Path committedSlot() throws IOException {
            return slot(COMMITTED);
        }

        Path previousSlot() throws IOException {
            return slot(PREVIOUS);
        }

        private Path slot(Pattern p) throws IOException {
            Matcher m = p.matcher(Files.readString(state.resolve("store/state.properties")));
            if (!m.find()) throw new IllegalStateException("the prepared state names no " + p + " slot");
            return state.resolve("store/slot-" + m.group(1).toLowerCase());
        }

        Path firstJar(Path slot) throws IOException {
            try (Stream<Path> s = Files.walk(slot.resolve("jars"))) {
                return s.filter(f -> f.toString().endsWith(".jar")).sorted().findFirst().orElseThrow();
            }
        }

        Path cachedLibrary() throws IOException {
            try (Stream<Path> s = Files.list(state.resolve("libs"))) {
                return s.filter(f -> f.toString().endsWith(".jar")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("the prepared library cache holds no jar"));
            }
        }
    }

    enum Status { PASS, FAIL, SKIPPED }

    record Outcome(Case c, Status status, long infoMs, String runs, String detail, long caseMs) {
        Outcome(Case c, Status status, long infoMs, String runs, String detail) {
            this(c, status, infoMs, runs, detail, -1);
        }

        Outcome timed(long ms) {
            return new Outcome(c, status, infoMs, runs, detail, ms);
        }
    }

    static final String V1 = "1.0.0", V2 = "2.0.0", V3 = "3.0.0";

    static List<Case> cases() {
        // The committed bundle's own files are damaged: it cannot run, and the store does not start the previous one by
        // itself (docs/store.md, boot decision); the board runs nothing, says why, and `rollback` brings the previous back.
        String committedDropped = "bundle store: slot [AB] \\(committed\\) failed verification and is treated as absent";
        String readOnlySaid = "(?s)(?=.*the log file \\S+ cannot be written \\(.*Read-only file system)"
                + "(?=.*the application's supervision socket goes to)";
        String previousDropped = "bundle store: slot [AB] \\(previous, kept for rollback\\) failed verification and is treated as absent";
        return List.of(
                new Case("store", "state.properties truncated", b -> truncate(b.state.resolve("store/state.properties")), Expect.keeps(V2)),
                new Case("store", "state.properties garbled", b -> garble(b.state.resolve("store/state.properties"), b.random), Expect.keeps(V2)),
                new Case("store", "state.properties empty", b -> Files.write(b.state.resolve("store/state.properties"), new byte[0]), Expect.keeps(V2)),
                new Case("store", "state.tmp left over, garbage", b -> Files.write(b.state.resolve("store/state.tmp"), noise(b.random, 300)), Expect.keeps(V2)),
                new Case("store", "slot-x.tmp left over, garbage", b -> {
                    Path tmp = Files.createDirectories(b.state.resolve("store/slot-c.tmp/jars"));
                    Files.write(tmp.resolve("half.jar"), noise(b.random, 5000));
                }, Expect.keeps(V2)),
                new Case("slot", "committed slot.properties truncated", b -> truncate(b.committedSlot().resolve("slot.properties")),
                        Expect.reports(null, committedDropped)),
                new Case("slot", "committed slot.properties garbled", b -> garble(b.committedSlot().resolve("slot.properties"), b.random),
                        Expect.reports(null, committedDropped)),
                new Case("slot", "committed jar truncated", b -> truncate(b.firstJar(b.committedSlot())), Expect.reports(null, committedDropped)),
                new Case("slot", "committed jar garbled", b -> garble(b.firstJar(b.committedSlot()), b.random), Expect.reports(null, committedDropped)),
                new Case("slot", "previous slot.properties garbled", b -> garble(b.previousSlot().resolve("slot.properties"), b.random),
                        Expect.reports(V2, previousDropped)),
                new Case("slot", "previous jar truncated", b -> truncate(b.firstJar(b.previousSlot())), Expect.reports(V2, previousDropped)),
                new Case("libs", "library cache index garbled", b -> garble(b.state.resolve("libs/index.properties"), b.random), Expect.keeps(V2)),
                new Case("libs", "library cache index truncated", b -> truncate(b.state.resolve("libs/index.properties")), Expect.keeps(V2)),
                new Case("libs", "cached library garbled", b -> garble(b.cachedLibrary(), b.random), Expect.keeps(V2)),
                new Case("log", "console.log torn UTF-8", b -> Files.write(b.state.resolve("log/console.log"),
                        new byte[] {'[', 'p', 'i', 'r', 't', ']', ' ', (byte) 0xE2, (byte) 0x82}, java.nio.file.StandardOpenOption.APPEND),
                        Expect.keeps(V2)),
                new Case("log", "console.log binary garbage", b -> Files.write(b.state.resolve("log/console.log"), noise(b.random, 20_000)),
                        Expect.keeps(V2)),
                new Case("log", "console.log.1 garbled", b -> Files.write(b.state.resolve("log/console.log.1"), noise(b.random, 20_000)),
                        Expect.keeps(V2)),
                // A damaged trust store: no slot can be checked against its signature, so nothing runs (every start
                // re-verifies the slot), the store keeps the committed bundle for when the key file is fixed, and the log says so.
                new Case("config", "trusted key garbled, then a flash", b -> garble(b.dir.resolve("config/keys/dev.pub"), b.random),
                        Expect.reports(null, KEYS_BROKEN), (b, board) -> flash(board, b.dir.getParent().resolve("fault-app-3.0.0.pirt"))),
                new Case("config", "trusted key empty", b -> Files.write(b.dir.resolve("config/keys/dev.pub"), new byte[0]),
                        Expect.reports(null, KEYS_BROKEN)),
                new Case("transfers", "garbled partial transfers in incoming/", b -> {
                    Path in = Files.createDirectories(b.state.resolve("incoming"));
                    Files.write(in.resolve("0".repeat(64) + ".part"), noise(b.random, 10_000));
                    Files.write(in.resolve("1".repeat(64) + ".verified"), noise(b.random, 10_000));
                }, Expect.keeps(V2)),
                new Case("tests", "garbage in tests/", b -> {
                    Path t = Files.createDirectories(b.state.resolve("tests/run"));
                    Files.write(t.resolve("tests.jar"), noise(b.random, 10_000));
                    Files.write(b.state.resolve("tests/bundle.pirt"), noise(b.random, 10_000));
                }, Expect.keeps(V2)),
                new Case("run", "stale files in run/", b -> {
                    Path r = Files.createDirectories(b.state.resolve("run"));
                    Files.write(r.resolve("app-1-1.sock"), noise(b.random, 100));
                }, Expect.keeps(V2)),
                new Case("live", "an application printing 1 MiB lines, then a flood", b -> { }, Expect.keeps(V2), (b, board) -> {
                    String ring = RuntimeProbe.awaitLog(b.state, STEP_MS, "\\[app\\] huge 1 h{4000}.*?\\n");
                    check(ring.contains("more bytes of this line dropped; the runtime keeps at most 4096 bytes of a line")
                            && ring.length() < 4300, "the 1 MiB lines were cut at 4 KiB in the ring file", ring.substring(0, 200));
                    RuntimeProbe.awaitLog(b.state, STEP_MS, "\\[app\\] flood " + (FaultTestApp.FLOOD_LINES - 1));
                    String log = RuntimeProbe.text(board, "log", "700", STEP_MS);
                    check(log.contains("[pirt] starting bundle " + APP + " " + V2), "the runtime's own lines survive the flood in `log`", log);
                    return "1 MiB lines cut to 4 KiB; the runtime's lines kept in `log` under " + FaultTestApp.FLOOD_LINES + " application lines";
                }),
                new Case("live", "requests that block: 6 install-wait at once", b -> { }, Expect.keeps(V2), (b, board) -> blockingRequests(board)),
                new Case("live", "a peer grows allow-downgrade entries (100)", b -> { }, Expect.keeps(V2), (b, board) -> {
                    try (Session s = Session.open(board)) {
                        for (int i = 0; i < 100; i++) {
                            Response r = s.client.request("allow-downgrade", sha(b.random));
                            check(r.status() == Response.Status.OK, "allow-downgrade " + i + " answered OK", r.toString());
                        }
                    }
                    String log = RuntimeProbe.text(board, "log", "300", STEP_MS);
                    check(log.contains("is forgotten: the board keeps the last"), "the board forgets the oldest allowances and says so", log);
                    return "100 allowances sent, the oldest forgotten and logged";
                }),
                new Case("live", "a peer declares a 65 MiB transfer", b -> { }, Expect.keeps(V2), (b, board) -> {
                    Path big = b.dir.resolve("big.pirt");
                    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
                        f.setLength(65L << 20); // sparse: costs no disk
                    }
                    try (Session s = Session.open(board)) {
                        s.client.transfer(big, "big.pirt", p -> { });
                        throw new AssertionError("the board took a 65 MiB transfer");
                    } catch (IOException | RuntimeException e) {
                        check(String.valueOf(e.getMessage()).contains("accepts transfers of at most"), "refused with the limit", e.toString());
                        return "refused: " + e.getMessage();
                    }
                }),
                new Case("disk", "state directory read-only", b -> readOnly(b), Expect.reports(V2, readOnlySaid)),
                new Case("disk", "state directory read-only, run/ log/ incoming/ tests/ missing", b -> {
                    for (String d : List.of("run", "log", "incoming", "tests")) deleteTree(b.state.resolve(d));
                    readOnly(b);
                }, Expect.reports(V2, readOnlySaid)),
                new Case("disk", "state directory full", b -> {
                    tmpfsWithCopy(b, "8m");
                    fill(b.state);
                }, Expect.keeps(V2)),
                new Case("disk", "state fills while running, then a flash", b -> tmpfsWithCopy(b, "8m"), Expect.keeps(V2), (b, board) -> {
                    fill(b.state);
                    return "flash on a full disk: " + flash(board, b.dir.getParent().resolve("fault-app-3.0.0.pirt"));
                }));
    }

    @TestFactory
    List<DynamicTest> runtimeStartsAnswersInfoAndKeepsWhatWasCommitted() throws Exception {
        long started = System.nanoTime();
        Path golden = prepare();
        String only = System.getProperty("pirt.faults.only", "");
        List<Case> cases = cases().stream().filter(c -> (c.kind + ": " + c.name).contains(only)).toList();
        int parallel = Integer.getInteger("pirt.faults.parallel", 3);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<Outcome>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                Path caseDir = dir.resolve("case-" + i);
                futures.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    return run(c, golden, caseDir).timed(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                }));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) outcomes.add(f.get(10, TimeUnit.MINUTES));
            report(outcomes, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return outcomes.stream().map(o -> DynamicTest.dynamicTest(o.c.kind + ": " + o.c.name, () -> {
                Assumptions.assumeTrue(o.status != Status.SKIPPED, o.detail);
                assertTrue(o.status == Status.PASS, o.c.name + ": " + o.detail);
            })).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs one case on a copy of {@code golden}; every failure is an outcome, never thrown. */
    static Outcome run(Case c, Path golden, Path caseDir) {
        Board b = new Board(caseDir, caseDir.resolve("state"), new ArrayList<>(), new Random(caseDir.getFileName().toString().hashCode()));
        long infoMs = -1;
        String runs = "?";
        try {
            copy(golden, caseDir);
            try {
                c.fault.inject(b);
            } catch (MountUnavailable e) {
                return new Outcome(c, Status.SKIPPED, -1, "-", e.getMessage());
            }
            VirtualBoard board;
            long t0 = System.nanoTime();
            try {
                board = VirtualBoard.start(options(caseDir));
            } catch (IOException e) {
                return new Outcome(c, Status.FAIL, -1, "-", "the runtime did not start: " + e.getMessage());
            }
            try (board) {
                long open = System.nanoTime();
                try {
                    RuntimeProbe.info(board, INFO_MS);
                } catch (IOException e) {
                    return new Outcome(c, Status.FAIL, -1, "-", "no info within " + INFO_MS + " ms of the console opening: "
                            + e.getMessage() + "\n" + tail(board.runtimeOutput(), 20));
                }
                infoMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - open);
                if (infoMs > INFO_MS) {
                    return new Outcome(c, Status.FAIL, infoMs, "-", "info took " + infoMs + " ms, more than " + INFO_MS);
                }
                String then = "";
                if (c.then != null) {
                    then = "; " + c.then.run(b, board);
                    long t = System.nanoTime();
                    try {
                        RuntimeProbe.info(board, INFO_MS);
                    } catch (IOException e) {
                        return new Outcome(c, Status.FAIL, infoMs, "-", "no info within " + INFO_MS + " ms after the fault" + then + ": " + e);
                    }
                    long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
                    if (afterMs > INFO_MS) return new Outcome(c, Status.FAIL, infoMs, "-", "info took " + afterMs + " ms after the fault" + then);
                    then += " (then info in " + afterMs + " ms)";
                }
                long t1 = System.nanoTime();
                BoardInfo settled = settle(board, c.expect);
                System.out.printf("FaultInjectionTest: %s: console open after %d ms, settled %d ms later%n", c.name,
                        TimeUnit.NANOSECONDS.toMillis(open - t0), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1));
                runs = describe(settled);
                List<String> problems = new ArrayList<>();
                if (!board.runtimeProcess().isAlive()) problems.add("the runtime died");
                String expectedRuns = c.expect.version == null ? "nothing" : APP + " " + c.expect.version + " committed";
                if (!runs.startsWith(expectedRuns)) problems.add("runs " + runs + ", expected " + expectedRuns);
                if (c.expect.logRegex != null) {
                    String log = logAfterSettling(board); // all the runtime's lines: the app floods 3,000
                    if (!Pattern.compile(c.expect.logRegex).matcher(log).find()) {
                        problems.add("the log does not say /" + c.expect.logRegex + "/:\n" + tail(log, 30));
                    }
                }
                if (!problems.isEmpty()) {
                    return new Outcome(c, Status.FAIL, infoMs, runs, String.join("; ", problems) + then
                            + "\nlog:\n" + tail(safeLog(board), 25) + "\nruntime output:\n" + tail(board.runtimeOutput(), 15));
                }
                return new Outcome(c, Status.PASS, infoMs, runs, c.expect + then);
            }
        } catch (Exception | AssertionError e) {
            String output;
            try {
                output = tail(Files.readString(caseDir.resolve("runtime.err")), 30);
            } catch (IOException notThere) {
                output = "(none: " + notThere + ")";
            }
            return new Outcome(c, Status.FAIL, infoMs, runs, "the case broke: " + e + "\nruntime output:\n" + output);
        } finally {
            for (int i = b.unmounts.size() - 1; i >= 0; i--) {
                try {
                    exec(List.of("umount", b.unmounts.get(i)));
                } catch (IOException | InterruptedException e) {
                    System.err.println("FaultInjectionTest: cannot unmount " + b.unmounts.get(i) + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * Asks {@code info} until the board runs what {@code expect} says — {@code version}
     * RUNNING and committed, or (no version) no bundle and the log's "no bundle installed" —
     * at most {@link #STEP_MS}; returns the last answer either way, for the case to judge.
     */
    static BoardInfo settle(VirtualBoard board, Expect expect) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_MS);
        BoardInfo info = null;
        IOException last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                info = RuntimeProbe.info(board, INFO_MS);
                if (expect.version != null) {
                    if (info.application().state().equals("RUNNING") && info.bundle() != null && !info.bundle().onTrial()
                            && info.bundle().version().equals(expect.version)) {
                        return info;
                    }
                } else if (info.bundle() == null && Pattern.compile(expect.logRegex != null ? expect.logRegex : "no bundle installed")
                        .matcher(RuntimeProbe.text(board, "log", "700", INFO_MS)).find()) {
                    return info; // nothing runs, and the log has said why
                }
            } catch (IOException e) {
                last = e;
            }
            // The board is another process: no latch reaches here; each ask costs a session, so ask a few times a second.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
        if (info == null) throw new IOException("the board never answered info within " + STEP_MS + " ms", last);
        return info;
    }

    /**
     * The last 700 log lines, asked again once if the session is lost on the way: while the
     * application floods the console, 700 lines take seconds at 115200 baud, and on a loaded
     * machine (the whole suite, three boards here at once) a session can time out meanwhile;
     * each ask has a session of its own.
     */
    static String logAfterSettling(VirtualBoard board) throws IOException, InterruptedException {
        try {
            return RuntimeProbe.text(board, "log", "700", STEP_MS);
        } catch (IOException first) {
            System.out.println("FaultInjectionTest: 'log 700' lost its session (" + first.getMessage() + "); asking again");
            return RuntimeProbe.text(board, "log", "700", STEP_MS);
        }
    }

    static String describe(BoardInfo info) {
        if (info.bundle() == null) return "nothing (" + info.application().state() + ": " + info.application().detail() + ")";
        return info.bundle().name() + " " + info.bundle().version() + (info.bundle().onTrial() ? " on trial" : " committed")
                + " (" + info.application().state() + ")";
    }

    static String safeLog(VirtualBoard board) {
        try {
            return RuntimeProbe.text(board, "log", "60", INFO_MS);
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    // ------------------------------------------------------------------ the prepared state

    /**
     * A board whose store holds fault-app 1.0.0 (previous) and 2.0.0 (committed, with a library
     * from the cache), flashed through the tool's client; returns its directory, runtime stopped.
     * Also writes 3.0.0 beside it, signed with its key, for the cases that flash.
     */
    static Path prepare() throws Exception {
        Path golden = dir.resolve("golden");
        Path state = golden.resolve("state");
        try (VirtualBoard board = VirtualBoard.start(options(golden))) {
            Path lib = dir.resolve("fault-lib.jar");
            writeJar(lib, "fault/lib/readme.txt", "a library the cache keeps".getBytes(StandardCharsets.UTF_8));
            for (String v : List.of(V1, V2, V3)) {
                Path jar = dir.resolve("fault-app-" + v + ".jar");
                writeJar(jar, FaultTestApp.class.getName().replace('.', '/') + ".class", classBytes(FaultTestApp.class));
                Path file = dir.resolve("fault-app-" + v + ".pirt");
                BundleManifest m = new BundleManifest(APP, Version.parse(v), FaultTestApp.class.getName(), List.of("virtual"),
                        Version.parse("0.1.0"), 4);
                if (v.equals(V2)) { // its library goes to the cache first, and the bundle references it (bundle format 2)
                    io.pirt.bundle.LibraryReference ref = BundleWriter.referenceTo(lib);
                    sendLibrary(board, lib, ref.sha256());
                    RuntimeProbe.awaitLog(state, STEP_MS, "library " + ref.sha256().substring(0, 16) + "\\.\\.\\. stored in the library cache");
                    BundleWriter.write(file, m, List.of(jar), List.of(ref), board.signingKeys());
                } else {
                    BundleWriter.write(file, m, List.of(jar), board.signingKeys());
                }
                if (!v.equals(V3)) {
                    String verdict = flash(board, file);
                    if (!verdict.startsWith("committed " + APP + " " + v)) {
                        throw new AssertionError("preparing: the flash of " + v + " gave " + verdict + "\n" + board.runtimeOutput());
                    }
                    RuntimeProbe.awaitLog(state, STEP_MS, Pattern.quote(FaultTestApp.line(v, board.runtimeProcess().pid())));
                }
            }
        }
        for (String need : List.of("store/state.properties", "libs/index.properties", "log/console.log")) {
            if (!Files.exists(state.resolve(need))) throw new AssertionError("the prepared state has no " + need);
        }
        if (!Files.exists(state.resolve("log/console.log.1"))) Files.writeString(state.resolve("log/console.log.1"), "[pirt] an older line\n");
        return golden;
    }

    static VirtualBoard.Options options(Path boardDir) {
        return VirtualBoard.Options.at(boardDir).runtimeState(boardDir.resolve("state")).args(List.of(
                "--app-jvm-flag", "-Xmx48m", "--app-jvm-flag", "-Dpirt.scheduling=none", "--app-jvm-flag", "-XX:TieredStopAtLevel=1",
                "--app-jvm-flag", "-XX:+UseSerialGC", "--trial-ms", "30000"));
    }

    /** Sends {@code lib} to the library cache, as {@code pirt test} does: a transfer named {@code lib-SHA256.jar}. */
    static void sendLibrary(VirtualBoard board, Path lib, String sha256) throws IOException, InterruptedException {
        SerialLink port;
        try {
            port = SerialLink.open(board.port().toString(), 115_200);
        } catch (io.pirt.tools.ToolException e) {
            throw new IOException(e.getMessage(), e);
        }
        try (port; BoardClient client = BoardClient.connect(port.in(), port.out(),
                BoardClient.Options.defaults().withTimeouts(3000, 3000, 30_000, 3000), (source, line) -> { })) {
            client.transfer(lib, "lib-" + sha256 + ".jar", p -> { });
        }
    }

    /** Sends {@code file} and waits for its verdict, as {@code pirt flash} does; what happened, in words. */
    static String flash(VirtualBoard board, Path file) throws IOException, InterruptedException {
        SerialLink port;
        try {
            port = SerialLink.open(board.port().toString(), 115_200);
        } catch (io.pirt.tools.ToolException e) {
            throw new IOException(e.getMessage(), e);
        }
        try (port; BoardClient client = BoardClient.connect(port.in(), port.out(),
                BoardClient.Options.defaults().withTimeouts(3000, 3000, 30_000, 3000), (source, line) -> { })) {
            TransferReport report;
            try {
                report = client.transfer(file, "bundle.pirt", p -> { });
            } catch (IOException | RuntimeException e) {
                return "transfer refused: " + e.getMessage();
            }
            Response r = client.request("install-wait", report.sha256Hex() + " 30000");
            return r.status() == Response.Status.OK ? Messages.decode(r.body(), InstallVerdict.class).toString()
                    : "install refused: " + r;
        }
    }

    /** A tool's session with the board, for the live cases. */
    record Session(SerialLink port, BoardClient client) implements AutoCloseable {
        static Session open(VirtualBoard board) throws IOException, InterruptedException {
            SerialLink port;
            try {
                port = SerialLink.open(board.port().toString(), 115_200);
            } catch (io.pirt.tools.ToolException e) {
                throw new IOException(e.getMessage(), e);
            }
            try {
                return new Session(port, BoardClient.connect(port.in(), port.out(),
                        BoardClient.Options.defaults().withTimeouts(3000, 3000, 30_000, 3000), (source, line) -> { }));
            } catch (IOException | RuntimeException e) {
                port.close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                client.close();
            } finally {
                port.close();
            }
        }
    }

    /**
     * Six requests that wait (install-wait for bundles never sent, 10 minutes each) on one
     * session: four wait, the others are refused at once; {@code info} on the same session
     * answers within 5 s; and once that tool has gone, the next tool's install-wait is served.
     */
    static String blockingRequests(VirtualBoard board) throws Exception {
        Random random = new Random(6);
        List<Response> refused = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(2);
        long infoMs;
        try (Session s = Session.open(board)) {
            List<Thread> waiters = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String sha = sha(random);
                Thread t = new Thread(() -> {
                    try {
                        Response r = s.client.request("install-wait", sha + " 600000");
                        refused.add(r);
                        answered.countDown();
                    } catch (IOException | InterruptedException e) {
                        // the session closes under the waits still waiting: that ends them here
                    }
                }, "install-wait-" + i);
                t.setDaemon(true);
                t.start();
                waiters.add(t);
            }
            check(answered.await(INFO_MS, TimeUnit.MILLISECONDS), "two of six waits refused within 5 s", refused.toString());
            for (Response r : refused) check(r.status() == Response.Status.BUSY, "refused BUSY", r.toString());
            long t0 = System.nanoTime();
            Response info = s.client.request("info", "");
            infoMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            check(info.status() == Response.Status.OK && infoMs <= INFO_MS, "info within 5 s beside four waits", infoMs + " ms: " + info);
        }
        // The tool went away: its four waits must not keep the next tool from waiting.
        try (Session s = Session.open(board)) {
            Response r = s.client.request("install-wait", sha(random) + " 200");
            check(r.status() != Response.Status.BUSY, "the next tool's install-wait is served, not refused BUSY by a gone tool's waits",
                    r.toString());
        }
        return "4 waited, 2 refused BUSY at once, info in " + infoMs + " ms on the same session; the next tool's wait served";
    }

    static String sha(Random random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    static void check(boolean ok, String what, String seen) {
        if (!ok) throw new AssertionError("expected: " + what + "; saw:\n" + tail(seen, 30));
    }

    // ------------------------------------------------------------------ faults

    static void truncate(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length / 2));
    }

    /** Overwrites a run of bytes in the middle of {@code f} with noise; its size stays. */
    static void garble(Path f, Random random) throws IOException {
        byte[] b = Files.readAllBytes(f);
        if (b.length == 0) throw new IllegalStateException(f + " is empty: nothing to garble");
        int from = b.length / 3;
        int n = Math.max(1, Math.min(64, b.length - from));
        for (int i = from; i < from + n; i++) b[i] = (byte) random.nextInt(256);
        Files.write(f, b);
    }

    static byte[] noise(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Thrown when this machine cannot mount (not root); the case is skipped with this reason. */
    static final class MountUnavailable extends Exception {
        MountUnavailable(String message) {
            super(message);
        }
    }

    static void mount(Board b, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mount"));
        cmd.addAll(List.of(args));
        String out;
        try {
            out = exec(cmd);
        } catch (IOException e) {
            throw new MountUnavailable("cannot mount here (" + e.getMessage() + "); the case needs root or CAP_SYS_ADMIN");
        }
        String target = args[args.length - 1];
        if (!b.unmounts.contains(target) || !String.join(" ", args).contains("remount")) b.unmounts.add(target);
        if (!out.isBlank()) System.out.println("FaultInjectionTest: mount said: " + out);
    }

    /** The case's state directory becomes a read-only bind mount of itself. */
    static void readOnly(Board b) throws Exception {
        mount(b, "--bind", b.state.toString(), b.state.toString());
        mount(b, "-o", "remount,bind,ro", b.state.toString());
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }

    /** The case's state on a tmpfs of {@code size}, holding the prepared state. */
    static void tmpfsWithCopy(Board b, String size) throws Exception {
        Path saved = b.dir.resolve("state.saved");
        Files.move(b.state, saved);
        Files.createDirectories(b.state);
        mount(b, "-t", "tmpfs", "-o", "size=" + size, "tmpfs", b.state.toString());
        copy(saved, b.state);
    }

    /** Fills the file system of {@code dir} to its last byte. */
    static void fill(Path dir) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(dir.resolve("filler"))) {
            for (int i = 0; i < 1 << 16; i++) out.write(chunk);
            throw new IllegalStateException("the tmpfs at " + dir + " took 4 GiB without filling up");
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) throw e;
        }
        // What the filler's last block left: smaller writes until none fits.
        for (int n = 4096; n > 0; n /= 2) {
            try {
                Files.write(dir.resolve("filler-" + n), new byte[n]);
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("No space left")) throw e;
            }
        }
    }

    /** Runs a command; its output; fails with it when the command fails. */
    static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not end within 30 s");
        }
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out.strip());
        return out;
    }

    // ------------------------------------------------------------------ files

    /** Copies the board {@code from} to {@code to}: regular files, directories, symbolic links; not the cable, sockets or output. */
    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path rel = from.relativize(p);
                String first = rel.getNameCount() > 0 ? rel.getName(0).toString() : "";
                if (first.equals("cable") || first.equals("runtime.err") || first.equals("runtime.ready")) continue;
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) Files.createDirectories(target);
                else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
                    Files.copy(p, target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void writeJar(Path jar, String entry, byte[] content) throws IOException {
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(f)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(content);
            out.closeEntry();
        }
    }

    static byte[] classBytes(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            if (in == null) throw new IllegalStateException(c.getName() + ".class is not on the test class path");
            return in.readAllBytes();
        }
    }

    static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    // ------------------------------------------------------------------ the table

    static void report(List<Outcome> outcomes, long totalMs) throws IOException {
        StringBuilder t = new StringBuilder();
        t.append(String.format("Fault injection: %d cases, %d passed, %d failed, %d skipped, %d s%n", outcomes.size(),
                count(outcomes, Status.PASS), count(outcomes, Status.FAIL), count(outcomes, Status.SKIPPED), totalMs / 1000));
        t.append(String.format("%-10s %-62s %-7s %7s %7s  %s%n", "KIND", "CASE", "RESULT", "INFO MS", "CASE S", "RUNS AFTERWARDS / DETAIL"));
        for (Outcome o : outcomes) {
            String detail = o.status == Status.PASS ? o.runs + "; " + o.detail : o.detail;
            t.append(String.format("%-10s %-62s %-7s %7s %7.1f  %s%n", o.c.kind, o.c.name, o.status, o.infoMs < 0 ? "-" : Long.toString(o.infoMs),
                    o.caseMs / 1000.0,
                    o.status == Status.FAIL ? detail : detail.lines().findFirst().orElse("")));
        }
        System.out.print(t);
        Path file = Path.of("target", "fault-injection.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, t);
    }

    static long count(List<Outcome> outcomes, Status s) {
        return outcomes.stream().filter(o -> o.status == s).count();
    }
}
