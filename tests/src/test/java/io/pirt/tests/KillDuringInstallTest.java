package io.pirt.tests;

import io.pirt.wire.message.AnswerText;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pirt.bundle.BundleManifest;
import io.pirt.bundle.BundleWriter;
import io.pirt.bundle.Version;
import io.pirt.tools.client.BoardClient;
import io.pirt.tools.client.TransferReport;
import io.pirt.wire.Response;
import io.pirt.virtualboard.VirtualBoard;
import io.pirt.tools.board.SerialLink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Kill -9 of the real runtime process at random moments of an install (issue 7): after every
 * kill a restarted runtime on the same state directory runs a complete, verified bundle, the
 * old committed one or the new one, and its store has exactly one committed slot.
 *
 * <p>v1 is installed and committed; then, {@code pirt.soak.iterations} times (12 in the
 * suite), a flash of the next version starts and the runtime is SIGKILLed after a delay drawn
 * from 0..1.2x a normal install (transfer, verification, install, start, commit), from a
 * {@code Random} seeded with {@code pirt.soak.seed} (printed, so a failing run can be
 * repeated). The same class is the soak (docs/store.md, "Kill -9 soak"). It stops at the first
 * failure; a summary line is printed either way. An iteration restarts two JVMs (runtime and
 * application), about 4-8 s here: the suite's 12 take one to two minutes, hence the method's own
 * timeout; every blocking step inside has its own bound. The soak turns JUnit's timeouts off.
 *
 * <p>"Complete and verified" is checked from outside the store: the application hashes the
 * incompressible padding its bundle's jar carries and prints the hash with its runtime's pid;
 * the test compares it with the hash of the padding it packed for that version.
 */
@Isolated("it checks every pseudo-terminal this JVM has open, so no other test's may be")
class KillDuringInstallTest {
    private static final int SUITE_ITERATIONS = 12;
    /** Incompressible padding per bundle, so that transfer and install take a measurable time. */
    private static final int PADDING_BYTES = 384 * 1024;
    /** Bound of each blocking step: a runtime start, a flash, a verdict, the death of a process. */
    private static final long STEP_TIMEOUT_MS = 60_000;
    private static final String APP = "test-app";
    private static final Pattern ACTIVE = Pattern.compile("bundle: +" + APP + " (\\S+) \\(slot ([AB]), (committed|on trial)\\)");

    /** Where the runtime was when it was killed, as far as its log and the flash tell. */
    enum Phase {
        /** The flash had not finished sending the bundle. */
        TRANSFER,
        /** The bundle was sent; the runtime had not logged it installed. */
        INSTALL,
        /** Installed and started on trial; not yet logged committed. */
        TRIAL,
        /** Logged committed before the kill. */
        COMMITTED
    }

    /**
     * The application's class file, read once from this class's own loader: builds running
     * beside a long soak may rewrite or delete {@code target/test-classes}.
     */
    private static final byte[] APP_CLASS = appClassBytes();

    @TempDir
    Path dir;

    private static byte[] appClassBytes() {
        try (java.io.InputStream in = KillTestApp.class.getResourceAsStream(KillTestApp.class.getSimpleName() + ".class")) {
            if (in == null) throw new IllegalStateException("KillTestApp.class is not on the test class path");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read KillTestApp.class from the test class path", e);
        }
    }

    @Test
    @Timeout(900)
    void restartedRuntimeRunsACompleteVerifiedBundleAfterEveryKill() throws Exception {
        int iterations = Integer.getInteger("pirt.soak.iterations", SUITE_ITERATIONS);
        long seed = Long.getLong("pirt.soak.seed", System.nanoTime());
        long minutes = Long.getLong("pirt.soak.minutes", 0);
        long stopNanos = minutes > 0 ? System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes) : Long.MAX_VALUE;
        System.out.println("KillDuringInstallTest: " + iterations + " iterations" + (minutes > 0 ? " or " + minutes
                + " minutes, whichever ends first" : "") + ", seed " + seed + " (-Dpirt.soak.seed=" + seed + " repeats it)");
        Random random = new Random(seed);
        Path state = dir.resolve("board");
        Map<String, String> paddingSha = new java.util.HashMap<>();
        Map<Phase, Integer> kills = new EnumMap<>(Phase.class);
        int ranOld = 0;
        int ranNew = 0;
        int orphansKilled = 0;
        int done = 0;
        String failure = null;
        boolean finished = false;
        long startedNanos = System.nanoTime();
        VirtualBoard board = VirtualBoard.start(options(state));
        try {
            awaitConsole(board); // on a loaded machine the runtime takes longer than one HELLO timeout to open it
            Flash first = Flash.start(board, bundle(board, "1.0.0", random, paddingSha));
            assertEquals("committed " + APP + " 1.0.0", first.verdict(STEP_TIMEOUT_MS));
            long installMs = first.transferToVerdictMs();
            long windowMs = installMs * 12 / 10;
            System.out.println("KillDuringInstallTest: a normal install (transfer to committed) took " + installMs
                    + " ms; kills are drawn from 0.." + windowMs + " ms after the transfer starts");
            String committed = awaitSettled(board, state, List.of("1.0.0"), paddingSha);

            for (int i = 1; i <= iterations && (minutes == 0 || System.nanoTime() - stopNanos < 0); i++) {
                long iterationStart = System.nanoTime();
                String version = (i + 1) + ".0.0";
                Path file = bundle(board, version, random, paddingSha);
                long delayMs = (long) (random.nextDouble() * windowMs);
                Flash flash = Flash.start(board, file);
                long transferStart = flash.awaitTransferStart(STEP_TIMEOUT_MS);
                // The kill moment is the experiment's variable, not a synchronisation: park until it.
                long killAt = transferStart + TimeUnit.MILLISECONDS.toNanos(delayMs);
                for (long left; (left = killAt - System.nanoTime()) > 0; ) java.util.concurrent.locks.LockSupport.parkNanos(left);
                List<ProcessHandle> children = board.runtimeProcess().descendants().toList();
                boolean sent = flash.sentAll();
                board.runtimeProcess().destroyForcibly(); // SIGKILL
                assertTrue(board.runtimeProcess().waitFor(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS), "the runtime survived SIGKILL");
                long killed = System.nanoTime();
                // Its applications end as their link breaks, at once; this JVM learns it only once their new parent
                // (init) has reaped them and ProcessHandle's poll (300 ms, then 330 ms, ... apart) looks again, one to
                // two seconds here. They take no part in the restart, so that wait runs beside it, not before it.
                List<CompletableFuture<ProcessHandle>> orphans = children.stream().map(ProcessHandle::onExit).toList();
                flash.abandon();
                board.close();
                Phase phase = phase(state, version, sent);
                kills.merge(phase, 1, Integer::sum);

                long restart = System.nanoTime();
                board = VirtualBoard.start(options(state));
                long consoleOpen = System.nanoTime();
                String context = "iteration " + i + " (seed " + seed + "): killed " + delayMs + " ms after the transfer of "
                        + version + " started, phase " + phase + ", committed before: " + committed;
                String running;
                try {
                    running = awaitSettled(board, state, List.of(committed, version), paddingSha);
                    if (phase == Phase.COMMITTED) assertEquals(version, running, "committed before the kill, so it must run: " + context);
                } catch (AssertionError | Exception e) {
                    failure = context + ": " + e.getMessage();
                    throw new AssertionError(context + "\nconsole log:\n" + tail(String.join("\n", logLines(state)), 60)
                            + "\nruntime output:\n" + tail(board.runtimeOutput(), 30), e);
                }
                assertEquals(List.of(), openTerminalsBesides(board), "this test's serial ports are all closed after " + context
                        + " (a leaked jSerialComm port keeps its lock on the pseudo-terminal's number, and a later"
                        + " terminal with that number cannot be opened)");
                orphansKilled += endOrphans(children, orphans);
                if (running.equals(version)) ranNew++;
                else ranOld++;
                committed = running;
                done++;
                long end = System.nanoTime();
                System.out.printf("KillDuringInstallTest: iteration %d of %d: killed %d ms into the transfer of %s (%s), runs %s;"
                        + " %d ms to the kill, %d ms to the restart, %d ms to a console, %d ms to a committed"
                        + " application and its orphans' end%n",
                        i, iterations, delayMs, version, phase, running, ms(killed - iterationStart), ms(restart - killed),
                        ms(consoleOpen - restart), ms(end - consoleOpen));
            }
            finished = true;
        } finally {
            board.close();
            System.out.println("KillDuringInstallTest summary: seed " + seed + ", iterations " + done + " of " + iterations
                    + ", kills during transfer " + kills.getOrDefault(Phase.TRANSFER, 0)
                    + ", during install " + kills.getOrDefault(Phase.INSTALL, 0)
                    + ", during trial " + kills.getOrDefault(Phase.TRIAL, 0)
                    + ", after commit " + kills.getOrDefault(Phase.COMMITTED, 0)
                    + "; restarted runtime ran the old bundle " + ranOld + ", the new one " + ranNew
                    + "; orphaned applications killed " + orphansKilled
                    + "; failures " + (finished ? 0 : 1)
                    + (finished ? "" : " (at iteration " + (done + 1) + (failure == null ? "" : ": " + failure) + ")")
                    + (finished && done < iterations ? "; stopped by the " + minutes + "-minute budget" : "")
                    + "; " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos) + " s");
        }
    }

    /**
     * The pseudo-terminals this JVM has open (Linux: /proc/self/fd) other than the two ends of
     * {@code board}'s cable; none between iterations.
     */
    private static List<String> openTerminalsBesides(VirtualBoard board) throws IOException {
        List<String> cable = List.of(board.cable().hostPort().toRealPath().toString(), board.cable().boardPort().toRealPath().toString());
        List<String> open = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("/dev/pts/") && !cable.contains(target)) open.add(fd.getFileName() + " -> " + target);
                } catch (java.nio.file.NoSuchFileException e) {
                    // the descriptor the listing itself used, closed since: not a terminal
                }
            }
        }
        return open;
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static VirtualBoard.Options options(Path state) {
        return VirtualBoard.Options.at(state).args(List.of("--app-jvm-flag", "-Xmx64m", "--app-jvm-flag", "-Dpirt.scheduling=none",
                "--app-jvm-flag", "-XX:TieredStopAtLevel=1", "--trial-ms", "30000"));
    }

    /**
     * Waits until the restarted runtime is up and settled: the application RUNNING, its bundle
     * committed (the application says it is healthy at once). Asserts that it is one of
     * {@code allowed}, that {@code bundles} shows exactly one committed slot and no trial,
     * that the store found no named slot failing verification at boot, and that the
     * application, started by this runtime, hashed its padding to what was packed.
     *
     * @return the version running
     */
    private static String awaitSettled(VirtualBoard board, Path state, List<String> allowed, Map<String, String> paddingSha) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_TIMEOUT_MS);
        String info = "(no answer)";
        Matcher m = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                info = ask(board, "info", 500);
            } catch (IOException e) {
                info = "(no answer: " + e.getMessage() + ")";
                continue; // the runtime is still starting: its console is not open yet
            }
            m = ACTIVE.matcher(info);
            // RUNNING comes as soon as the process started; its report of the padding follows.
            if (info.contains("application: RUNNING") && m.find() && m.group(3).equals("committed")
                    && hasReported(state, m.group(1), board.runtimeProcess().pid())) {
                break;
            }
            m = null;
        }
        if (m == null) {
            fail("no RUNNING, committed application that reported its padding within " + STEP_TIMEOUT_MS + " ms; last info:\n"
                    + info + "\nconsole log since the runtime started:\n" + String.join("\n", sinceLastBoot(state)));
        }
        String version = m.group(1);
        assertTrue(allowed.contains(version), "runs " + version + ", expected one of " + allowed + ":\n" + info);

        String bundles = ask(board, "bundles", 2000);
        List<String> committedSlots = bundles.lines().filter(l -> l.contains(": committed, ")).toList();
        assertEquals(1, committedSlots.size(), "exactly one committed slot:\n" + bundles);
        assertTrue(committedSlots.get(0).startsWith("slot " + m.group(2) + ": committed, " + APP + " " + version + " "),
                "the committed slot is the running one:\n" + bundles + "\n" + info);
        assertTrue(bundles.lines().noneMatch(l -> l.contains(": on trial")), "no trial left over:\n" + bundles);

        List<String> boot = sinceLastBoot(state);
        assertTrue(boot.stream().noneMatch(l -> l.contains("failed verification")), "a slot failed verification:\n" + boot);
        String expected = KillTestApp.line(version, board.runtimeProcess().pid(), paddingSha.get(version));
        assertTrue(boot.stream().anyMatch(l -> l.endsWith(expected)),
                "the application did not report its padding intact (" + expected + "):\n" + String.join("\n", boot));
        return version;
    }

    /** Whether the application of {@code version} started by runtime {@code runtimePid} printed its padding's hash. */
    private static boolean hasReported(Path state, String version, long runtimePid) throws IOException {
        String prefix = KillTestApp.line(version, runtimePid, "");
        return sinceLastBoot(state).stream().anyMatch(l -> l.contains(prefix));
    }

    /** The console log lines since the last runtime start. */
    private static List<String> sinceLastBoot(Path state) throws IOException {
        List<String> lines = logLines(state);
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("pirt runtime ") && lines.get(i).contains(" on virtual")) start = i;
        }
        return lines.subList(start, lines.size());
    }

    /** The runtime's console log, oldest first (the ring's previous file, then the current one). */
    private static List<String> logLines(Path state) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String name : new String[] {"console.log.1", "console.log"}) {
            Path f = state.resolve("log").resolve(name);
            if (Files.exists(f)) lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
        }
        return lines;
    }

    /** Where the killed runtime had got to with {@code version}, from its log (flushed line by line) and the flash. */
    private static Phase phase(Path state, String version, boolean sentAll) throws IOException {
        List<String> lines = logLines(state);
        String bundle = "bundle " + APP + " " + version + " ";
        if (lines.stream().anyMatch(l -> l.contains(bundle + "committed"))) return Phase.COMMITTED;
        if (lines.stream().anyMatch(l -> l.contains(bundle + "installed in slot"))) return Phase.TRIAL;
        return sentAll ? Phase.INSTALL : Phase.TRANSFER;
    }

    /**
     * Waits for the killed runtime's children to end ({@code exits}: their {@code onExit()},
     * taken at the kill; an application halts when it loses its link to the runtime) and kills
     * any that have not within the step bound.
     *
     * @return how many had to be killed
     */
    private static int endOrphans(List<ProcessHandle> children, List<CompletableFuture<ProcessHandle>> exits)
            throws InterruptedException, ExecutionException {
        int killed = 0;
        for (int i = 0; i < children.size(); i++) {
            try {
                exits.get(i).get(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                children.get(i).destroyForcibly();
                killed++;
            }
        }
        return killed;
    }

    /** A signed bundle of {@code version}: {@link KillTestApp} and fresh random padding, whose hash is remembered. */
    private Path bundle(VirtualBoard board, String version, Random random, Map<String, String> paddingSha) throws Exception {
        byte[] padding = new byte[PADDING_BYTES];
        random.nextBytes(padding);
        paddingSha.put(version, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(padding)));
        Path jar = dir.resolve("app-" + version + ".jar");
        String entry = KillTestApp.class.getName().replace('.', '/') + ".class";
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(f)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(APP_CLASS);
            out.closeEntry();
            out.putNextEntry(new JarEntry(KillTestApp.PADDING));
            out.write(padding);
            out.closeEntry();
        }
        Path file = dir.resolve("app-" + version + ".pirt");
        BundleWriter.write(file, new BundleManifest(APP, Version.parse(version), KillTestApp.class.getName(), List.of("virtual"),
                Version.parse("0.1.0"), 4), List.of(jar), board.signingKeys());
        Files.delete(jar);
        return file;
    }

    /** Waits (bounded) until the runtime answers on its console: it opens it a moment after it starts. */
    private static void awaitConsole(VirtualBoard board) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_TIMEOUT_MS);
        while (true) {
            try {
                ask(board, "info", 500);
                return;
            } catch (IOException e) {
                if (System.nanoTime() - deadline > 0) throw new AssertionError("the runtime's console did not answer within "
                        + STEP_TIMEOUT_MS + " ms: " + e.getMessage() + "\nruntime output:\n" + board.runtimeOutput(), e);
            }
        }
    }

    /** The body of one request to the runtime, on a session of its own. */
    private static String ask(VirtualBoard board, String command, long helloTimeoutMs) throws IOException, InterruptedException {
        try (SerialLink port = open(board);
             BoardClient client = BoardClient.connect(port.in(), port.out(),
                     BoardClient.Options.defaults().withTimeouts(3000, helloTimeoutMs, 10_000, 1000), (source, line) -> { })) {
            Response r = client.request(command, "");
            if (r.status() != Response.Status.OK) throw new IOException(command + " failed: " + r);
            return AnswerText.of(Messages.decode(r.body(), Command.of(command).orElseThrow().answerType("")));
        }
    }

    /** The board's port as the tool opens it (closing the client's streams closes it, so the client's close is prompt). */
    private static SerialLink open(VirtualBoard board) throws IOException {
        try {
            return SerialLink.open(board.port().toString(), 115_200);
        } catch (io.pirt.tools.ToolException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * One flash on a thread of its own, as the tool does it: transfer, then {@code install-wait}
     * for the verdict. The runtime may be killed under it: {@link #abandon()} closes its port.
     */
    private static final class Flash {
        private final SerialLink port;
        private final CountDownLatch transferStarted = new CountDownLatch(1);
        private final CountDownLatch finished = new CountDownLatch(1);
        private final Thread thread;
        /** System.nanoTime() when the transfer started, and when the verdict came; 0 until then. */
        private final AtomicLong transferStartNanos = new AtomicLong();
        private final AtomicLong verdictNanos = new AtomicLong();
        private volatile boolean sentAll;
        private volatile String verdict;
        private volatile Exception error;

        private Flash(VirtualBoard board, Path file) throws IOException {
            port = open(board);
            thread = new Thread(() -> {
                try (BoardClient client = BoardClient.connect(port.in(), port.out(),
                        BoardClient.Options.defaults().withTimeouts(3000, 3000, 30_000, 1000), (source, line) -> { })) {
                    transferStartNanos.set(System.nanoTime());
                    transferStarted.countDown();
                    // Progress comes every 100 ms: a kill just after the last byte may still count as TRANSFER.
                    TransferReport report = client.transfer(file, "bundle.pirt", p -> {
                        if (p.doneBytes() == p.totalBytes()) sentAll = true;
                    });
                    sentAll = true;
                    Response r = client.request("install-wait", report.sha256Hex() + " 20000");
                    verdictNanos.set(System.nanoTime());
                    verdict = r.status() == Response.Status.OK ? Messages.decode(r.body(), InstallVerdict.class).toString() : "failed: " + r;
                } catch (Exception e) {
                    error = e;
                } finally {
                    transferStarted.countDown();
                    finished.countDown();
                }
            }, "flash-" + file.getFileName());
            thread.setDaemon(true);
        }

        static Flash start(VirtualBoard board, Path file) throws IOException {
            Flash f = new Flash(board, file);
            f.thread.start();
            return f;
        }

        /** When the transfer started (System.nanoTime()). */
        long awaitTransferStart(long timeoutMs) throws InterruptedException {
            assertTrue(transferStarted.await(timeoutMs, TimeUnit.MILLISECONDS), "the flash did not connect within " + timeoutMs + " ms");
            assertTrue(transferStartNanos.get() != 0, "the flash failed before its transfer: " + error);
            return transferStartNanos.get();
        }

        boolean sentAll() {
            return sentAll;
        }

        String verdict(long timeoutMs) throws InterruptedException {
            assertTrue(finished.await(timeoutMs, TimeUnit.MILLISECONDS), "no verdict within " + timeoutMs + " ms");
            try {
                if (error != null) throw new AssertionError("the flash failed: " + error, error);
                assertNotNull(verdict);
                return verdict;
            } finally {
                port.close();
            }
        }

        long transferToVerdictMs() {
            return TimeUnit.NANOSECONDS.toMillis(verdictNanos.get() - transferStartNanos.get());
        }

        /**
         * Ends the flash's reads (its board is gone), waits for its thread to give up, then closes
         * the port: never under a read still running (see SerialPortInput).
         */
        void abandon() throws InterruptedException, IOException {
            port.in().close();
            assertTrue(finished.await(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS), "the flash did not give up within "
                    + STEP_TIMEOUT_MS + " ms of its board's death");
            port.close();
        }
    }
}
