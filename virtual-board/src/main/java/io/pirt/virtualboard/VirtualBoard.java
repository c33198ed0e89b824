package io.pirt.virtualboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A virtual board: the real runtime process ({@code io.pirt.runtime.Main --board virtual})
 * with its console on one end of a {@link VirtualCable}; the host opens {@link #port()}.
 * What {@code pirt sim} runs, and what end-to-end tests start. The runtime's own standard
 * error (not its console) goes to {@code STATE/runtime.err}.
 */
public final class VirtualBoard implements AutoCloseable {
    private final VirtualCable cable;
    private final Process runtime;
    private final Path stateDir;
    private final Path signingKey;
    /** The runtime's wire socket ({@code --wire-socket}). */
    private final Path wireSocket;
    /** The private directory holding {@link #wireSocket} when the state directory's path was too long for it; else null. */
    private final Path socketTempDir;

    private VirtualBoard(VirtualCable cable, Process runtime, Path stateDir, Path signingKey, Path wireSocket, Path socketTempDir) {
        this.cable = cable;
        this.runtime = runtime;
        this.stateDir = stateDir;
        this.signingKey = signingKey;
        this.wireSocket = wireSocket;
        this.socketTempDir = socketTempDir;
    }

    /** Longest path of a Unix domain socket on Linux (sun_path's 108 bytes with the ending NUL). */
    private static final int MAX_SOCKET_PATH_BYTES = 107;

    /**
     * How to start one. {@code extraArgs} go to the runtime (e.g. {@code --app-jar});
     * {@code development}: the runtime's development mode (default on: unsigned bundles and
     * downgrades accepted); off, it checks bundles as a board in the field does.
     * {@code runtimeState}: the runtime's own state directory ({@code --state}), null for
     * {@code stateDir} itself; apart from it the cable, the keys ({@code config}), the ready
     * file and the runtime's output stay in {@code stateDir}, so the runtime's state may be
     * made read-only or full (fault tests) while the board's own files are not.
     */
    public record Options(Path stateDir, int baud, CableFaults faults, Path wiring, List<String> extraArgs, boolean development,
                          Path runtimeState) {
        public Options {
            extraArgs = List.copyOf(extraArgs);
        }

        public static Options at(Path stateDir) {
            return new Options(stateDir, 0, CableFaults.NONE, null, List.of(), true, null);
        }

        public Options baud(int b) {
            return new Options(stateDir, b, faults, wiring, extraArgs, development, runtimeState);
        }

        public Options faults(CableFaults f) {
            return new Options(stateDir, baud, f, wiring, extraArgs, development, runtimeState);
        }

        public Options wiring(Path w) {
            return new Options(stateDir, baud, faults, w, extraArgs, development, runtimeState);
        }

        public Options args(List<String> a) {
            return new Options(stateDir, baud, faults, wiring, a, development, runtimeState);
        }

        public Options development(boolean on) {
            return new Options(stateDir, baud, faults, wiring, extraArgs, on, runtimeState);
        }

        /** The runtime's state directory, apart from the board's own files (see above). */
        public Options runtimeState(Path dir) {
            return new Options(stateDir, baud, faults, wiring, extraArgs, development, dir);
        }
    }

    /**
     * Starts the cable and the runtime process, with the class path of this JVM (which must
     * hold the runtime and its libraries).
     *
     * @throws IOException if the runtime process cannot be started
     */
    public static VirtualBoard start(Options o) throws IOException {
        Files.createDirectories(o.stateDir());
        Path signingKey = devKey(o.stateDir());
        VirtualCable cable = new VirtualCable(o.stateDir().resolve("cable"), o.baud(), o.faults());
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx128m");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.pirt.runtime.Main");
        Path ready = o.stateDir().resolve(READY_FILE);
        Files.deleteIfExists(ready);
        Path runtimeState = o.runtimeState() != null ? o.runtimeState() : o.stateDir();
        // In the board's own files, not the runtime's state, which fault tests make read-only or full.
        Path socket = o.stateDir().toAbsolutePath().resolve(WIRE_SOCKET);
        Path socketTempDir = null;
        if (socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            socketTempDir = Files.createTempDirectory("pirt-sim-"); // rwx for this user only, like the state directory
            socket = socketTempDir.resolve(WIRE_SOCKET);
        }
        cmd.addAll(List.of("--board", "virtual", "--state", runtimeState.toString(), "--console", cable.boardPort().toString(),
                "--config", o.stateDir().resolve("config").toString(), "--ready-file", ready.toString(),
                "--wire-socket", socket.toString()));
        if (o.development()) cmd.add("--dev");
        if (o.baud() > 0) cmd.addAll(List.of("--baud", Integer.toString(o.baud()))); // the cable carries the rate the ends set
        if (o.wiring() != null) cmd.addAll(List.of("--wiring", o.wiring().toString()));
        cmd.addAll(o.extraArgs());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(o.stateDir().resolve("runtime.err").toFile())).start();
        } catch (IOException e) {
            cable.close();
            throw new IOException("cannot start the virtual board's runtime: " + e.getMessage(), e);
        }
        VirtualBoard board = new VirtualBoard(cable, p, o.stateDir(), signingKey, socket, socketTempDir);
        try {
            board.awaitConsoleOpen(ready, READY_TIMEOUT_MS);
        } catch (IOException | RuntimeException e) {
            board.close();
            throw e;
        }
        return board;
    }

    /** How long a runtime may take to open its console (a JVM start; much longer on a loaded machine). */
    private static final long READY_TIMEOUT_MS = 90_000;

    /** The wire socket's name, in the state directory (or a short temporary directory, see {@link #wireSocket()}). */
    private static final String WIRE_SOCKET = "wire.sock";

    /** The file the runtime creates once its console is open ({@code --ready-file}), in the state directory. */
    private static final String READY_FILE = "runtime.ready";

    /**
     * Returns once the runtime has created its ready file (its console is open), so the first
     * tool that says hello is answered; watches the state directory instead of polling it.
     *
     * @throws IOException if the runtime ends first or does not get there within {@code timeoutMs}
     */
    private void awaitConsoleOpen(Path ready, long timeoutMs) throws IOException {
        Path dir = ready.getParent();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try (java.nio.file.WatchService watch = dir.getFileSystem().newWatchService()) {
            dir.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
            while (true) {
                if (Files.exists(ready)) return;
                if (!runtime.isAlive()) {
                    throw new IOException("the virtual board's runtime ended (status " + runtime.exitValue()
                            + ") before its console opened; it printed:\n" + runtimeOutput());
                }
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0) {
                    throw new IOException("the virtual board's runtime did not open its console within " + timeoutMs
                            + " ms; it printed:\n" + runtimeOutput());
                }
                // a change in the log directory, or a second to look whether the process died
                java.nio.file.WatchKey key = watch.poll(Math.min(leftMs, 1_000), TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while the virtual board started");
        }
    }

    /**
     * The virtual board is in development mode with a key of its own: made at first start,
     * its public half trusted in {@code STATE/config/keys/dev.pub}, its private half in
     * {@code STATE/dev-signing-key.pem} for signing bundles for this board.
     */
    private static Path devKey(Path stateDir) throws IOException {
        Path priv = stateDir.resolve("dev-signing-key.pem");
        Path pub = stateDir.resolve("config/keys/dev.pub");
        if (!Files.exists(priv) || !Files.exists(pub)) {
            java.security.KeyPair kp = io.pirt.bundle.SigningKeys.generate();
            Files.createDirectories(pub.getParent());
            Files.deleteIfExists(priv);
            io.pirt.bundle.SigningKeys.writePrivateKey(kp.getPrivate(), priv);
            io.pirt.bundle.SigningKeys.writePublicKey(kp.getPublic(), pub);
        }
        return priv;
    }

    /** The key pair this board trusts (development mode), for signing bundles for it. */
    public java.security.KeyPair signingKeys() throws IOException {
        return io.pirt.bundle.SigningKeys.readKeyPair(signingKey, stateDir.resolve("config/keys/dev.pub"));
    }

    /** The host end of the cable: give it to the tool ({@code --port}). */
    public Path port() {
        return cable.hostPort();
    }

    /**
     * The runtime's wire socket (docs/runtime.md, "The wire socket"): the wire protocol on a Unix
     * socket, one session per connection, as a board's {@code /run/pirt/wire.sock}. It is
     * {@code STATE/wire.sock}, or, when that path is longer than a Unix socket's 107 bytes,
     * {@code wire.sock} in a private temporary directory removed at {@link #close()}. It exists
     * once {@link #start} has returned.
     */
    public Path wireSocket() {
        return wireSocket;
    }

    public VirtualCable cable() {
        return cable;
    }

    public Process runtimeProcess() {
        return runtime;
    }

    /** What the runtime process printed on its own standard output and error. */
    public String runtimeOutput() throws IOException {
        Path f = stateDir.resolve("runtime.err");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    /** Stops the runtime (SIGTERM: it stops the application first), then the cable. */
    @Override
    public void close() {
        runtime.destroy();
        try {
            if (!runtime.waitFor(15, TimeUnit.SECONDS)) {
                System.err.println("pirt: the virtual board's runtime did not stop within 15 s of SIGTERM; killing it");
                runtime.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            runtime.destroyForcibly();
        }
        cable.close();
        if (socketTempDir != null) {
            try {
                Files.deleteIfExists(wireSocket); // the runtime removes it when it stops; not when it was killed
                Files.deleteIfExists(socketTempDir);
            } catch (IOException e) {
                System.err.println("pirt: cannot remove the virtual board's socket directory " + socketTempDir + ": " + e.getMessage());
            }
        }
    }
}
