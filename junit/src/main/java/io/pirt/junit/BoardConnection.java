package io.pirt.junit;

import io.pirt.bundle.BundleManifest;
import io.pirt.bundle.BundleWriter;
import io.pirt.bundle.SigningKeys;
import io.pirt.bundle.Version;
import io.pirt.tools.client.BoardClient;
import io.pirt.wire.Response;
import io.pirt.virtualboard.VirtualBoard;
import io.pirt.tools.ToolException;
import io.pirt.tools.board.BoardSession;
import io.pirt.tools.bundle.SigningKeyFiles;
import io.pirt.tools.flash.Flashing;
import io.pirt.wire.message.InstallVerdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One open session with the board of a test run: the port named by {@link RigSettings}, or
 * a virtual board started for the run (the real runtime process on a paced pseudo-terminal
 * cable, the default wiring: a button on BTN0, an LED on LED0). Records the console
 * ({@link ConsoleRecord}), runs requests, sends and signs bundles. Closing it closes the
 * session and stops a virtual board. Thread-safe (the session is).
 */
final class BoardConnection implements AutoCloseable {
    /** How long the board may take to try a new bundle (start + trial) before it must give its verdict. */
    static final long VERDICT_TIMEOUT_MS = 60_000;
    /** How long a virtual board's runtime may take to answer its first HELLO (a JVM starting on a loaded machine). */
    static final long VIRTUAL_START_TIMEOUT_MS = 60_000;
    /** The virtual board's trial: a bundle that has not said it is healthy is committed after this much uptime. */
    static final long VIRTUAL_TRIAL_MS = 3_000;
    private static final long HELLO_TIMEOUT_MS = 5_000;

    private final RigSettings settings;
    private final VirtualBoard virtual; // null on a real port
    private final BoardSession session;
    private final ConsoleRecord console;
    /** Bundles made by {@link #bundle}, and the virtual board's state. */
    private final Path workDir;
    private final AtomicInteger bundles = new AtomicInteger();
    private final Thread shutdownHook;

    private BoardConnection(RigSettings settings, VirtualBoard virtual, BoardSession session, ConsoleRecord console, Path workDir) {
        this.settings = settings;
        this.virtual = virtual;
        this.session = session;
        this.console = console;
        this.workDir = workDir;
        // a board's runtime process must not outlive the test JVM, also when JUnit never closes its store
        this.shutdownHook = new Thread(this::stop, "pirt-board-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Connects to the board {@code settings} name, or starts a virtual board.
     *
     * @throws IOException saying what was wrong (no such port, no answer, the virtual board did not start) and what to do
     */
    static BoardConnection open(RigSettings settings) throws IOException, InterruptedException {
        return open(settings, HELLO_TIMEOUT_MS);
    }

    /** {@link #open(RigSettings)}, a real board given {@code helloTimeoutMs} to answer. */
    static BoardConnection open(RigSettings settings, long helloTimeoutMs) throws IOException, InterruptedException {
        ConsoleRecord console = new ConsoleRecord();
        Path workDir = Files.createTempDirectory("pirt-board-");
        BoardClient.Options base = BoardSession.clientOptions(helloTimeoutMs, 15_000);
        // install-wait blocks for up to the verdict timeout: requests must wait longer
        BoardClient.Options options = base.withTimeouts(base.idleTimeoutMs(), helloTimeoutMs, VERDICT_TIMEOUT_MS + 5_000,
                base.reconnectTimeoutMs());
        if (!settings.virtual()) {
            try {
                return new BoardConnection(settings, null, BoardSession.open(settings.port(), settings.baud(), options, console),
                        console, workDir);
            } catch (ToolException e) {
                delete(workDir);
                throw new IOException("cannot reach the board on " + settings.port() + " (" + settings.portOrigin() + "): "
                        + e.getMessage() + ". Or unset pirt.port and PIRT_PORT to run on a fresh virtual board", e);
            }
        }
        VirtualBoard board = null;
        try {
            Path state = workDir.resolve("board");
            trustDeveloperKey(settings, state);
            board = VirtualBoard.start(VirtualBoard.Options.at(state).baud(settings.baud())
                    .wiring(io.pirt.tools.sim.DefaultWiring.writeTo(state))
                    .args(List.of("--trial-ms", Long.toString(VIRTUAL_TRIAL_MS),
                            // a test machine is shared: no real-time priorities, a small heap
                            "--app-jvm-flag", "-Xmx128m", "--app-jvm-flag", "-Dpirt.scheduling=none")));
            return new BoardConnection(settings, board, BoardSession.openVirtual(board, options, console, VIRTUAL_START_TIMEOUT_MS),
                    console, workDir);
        } catch (ToolException e) {
            if (board != null) board.close();
            delete(workDir);
            throw new IOException("the virtual board did not start: " + e.getMessage(), e);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (board != null) board.close();
            delete(workDir);
            throw e;
        }
    }

    /**
     * A virtual board trusts its own development key; it also trusts the developer's key
     * (when its public half is there) so bundles signed outside the test flash too.
     */
    private static void trustDeveloperKey(RigSettings settings, Path state) throws IOException {
        Path pub = SigningKeyFiles.publicKeyBeside(settings.key());
        if (!Files.isRegularFile(pub)) return;
        Path keys = Files.createDirectories(state.resolve("config/keys"));
        try {
            Files.copy(pub, keys.resolve("developer-" + SigningKeys.keyId(SigningKeys.readPublicKey(pub)) + ".pub"));
        } catch (IOException e) {
            throw new IOException("cannot make the virtual board trust " + pub + " (" + settings.keyOrigin() + "): "
                    + e.getMessage(), e);
        }
    }

    ConsoleRecord console() {
        return console;
    }

    boolean isVirtual() {
        return virtual != null;
    }

    /** The port, and which board is on it, for messages. */
    String describe() {
        return virtual != null ? "the virtual board on " + virtual.port() : session.port() + " (" + settings.portOrigin() + ")";
    }

    String boardName() {
        return session.client().board().name();
    }

    String port() {
        return session.port();
    }

    /**
     * Runs {@code command} on the board.
     *
     * @throws UncheckedIOException if the board cannot be reached
     */
    Response request(String command, String argument) throws InterruptedException {
        try {
            return session.client().request(command, argument);
        } catch (IOException e) {
            throw new UncheckedIOException(describe() + ": '" + command + " " + argument + "' got no answer: " + e.getMessage(), e);
        }
    }

    void type(String text) throws InterruptedException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            session.client().type(bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(describe() + ": cannot type into the console: " + e.getMessage(), e);
        }
    }

    InstallVerdict flash(Path bundle) throws InterruptedException {
        if (!Files.isRegularFile(bundle)) {
            throw new IllegalArgumentException("no such bundle file: " + bundle + " (make one with ConnectedBoard.bundle or `pirt bundle`)");
        }
        try {
            return Flashing.flash(session.client(), bundle, VERDICT_TIMEOUT_MS, p -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(describe() + ": flashing " + bundle + " failed: " + e.getMessage(), e);
        }
    }

    /** A bundle of {@code jars} signed with the rig's key (a virtual board's own, unless pirt.key names one). */
    Path bundle(String name, String version, String mainClass, List<Path> jars) {
        BundleManifest manifest = new BundleManifest(name, Version.parse(version), mainClass, List.of("*"),
                Version.parse("0.1.0"), 4);
        Path file = workDir.resolve(bundles.incrementAndGet() + "-" + name + "-" + version + ".pirt");
        try {
            BundleWriter.write(file, manifest, jars, signer());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bundle " + name + " " + version + " of " + jars + ": " + e.getMessage(), e);
        }
        return file;
    }

    private KeyPair signer() throws IOException {
        if (virtual != null && !settings.keyExplicit()) return virtual.signingKeys();
        return settings.readKey();
    }

    private void stop() {
        session.close();
        if (virtual != null) virtual.close();
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            return; // the JVM is shutting down: the hook stops the board
        }
        stop();
        delete(workDir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("pirt: cannot delete the test board's directory " + dir + ": " + e.getMessage());
        }
    }
}
