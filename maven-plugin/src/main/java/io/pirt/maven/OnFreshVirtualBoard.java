package io.pirt.maven;

import io.pirt.bundle.SigningKeys;
import io.pirt.virtualboard.VirtualBoard;
import io.pirt.tools.Main;
import io.pirt.tools.sim.DefaultWiring;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one {@code pirt} command against a fresh virtual board: the goals' entry point in the
 * tool's JVM when no {@code pirt.port} is named ({@code pirt:test} in CI).
 *
 * <p>{@code OnFreshVirtualBoard STATE [--wiring FILE] COMMAND [ARGS...]}: empties the directory
 * STATE, starts a {@link VirtualBoard} there (the real runtime process, development mode, a
 * signing key of its own, wired as FILE says or else as {@code pirt sim}'s board: a button on
 * BTN0, an LED on LED0, a jumper D22 -> D23), runs {@code pirt COMMAND --port BOARD_PORT --key BOARD_KEY ARGS...}, stops the
 * board and exits with the command's exit code. The board also stops when this JVM is ended
 * (SIGTERM). Exit 2 when the arguments are missing, 1 when the board cannot be started.
 *
 * <p>This class runs only in the tool's JVM (Java 21+), never in Maven's.
 */
public final class OnFreshVirtualBoard {
    private OnFreshVirtualBoard() {
    }

    /** See the class comment; exits the JVM with the command's exit code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        List<String> a = Arrays.asList(args);
        Path wiring = null;
        if (a.size() >= 3 && a.get(1).equals("--wiring")) {
            wiring = Path.of(a.get(2));
            a = new ArrayList<>(a);
            a.subList(1, 3).clear();
        }
        if (a.size() < 2) {
            err.println("pirt: usage: OnFreshVirtualBoard STATE_DIR [--wiring FILE] COMMAND [ARGS...]");
            System.exit(2);
        }
        System.exit(run(Path.of(a.get(0)), wiring, a.get(1), a.subList(2, a.size()), out, err));
    }

    /**
     * @param wiring the board's wiring (docs/hal.md), or null for {@code pirt sim}'s default
     * @return the command's exit code, or 1 when the board cannot be started
     */
    static int run(Path state, Path wiring, String command, List<String> args, PrintWriter out, PrintWriter err) {
        VirtualBoard board;
        Path key;
        try {
            deleteTree(state);
            Path w = wiring != null ? wiring : DefaultWiring.writeTo(state);
            board = VirtualBoard.start(VirtualBoard.Options.at(state).wiring(w));
        } catch (IOException e) {
            err.println("pirt: cannot start a virtual board in " + state + ": " + e.getMessage());
            return 1;
        }
        AtomicBoolean closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) board.close();
        };
        Thread hook = new Thread(close, "pirt-virtual-board-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            key = writeBoardKey(board, state.resolve("host-key"));
            List<String> toolArgs = new ArrayList<>(List.of(command, "--port", board.port().toString(), "--key", key.toString()));
            toolArgs.addAll(args);
            out.println("pirt: a fresh virtual board on " + board.port() + " (state " + state + ")");
            int code = Main.run(toolArgs.toArray(String[]::new), out, err);
            if (code != 0) err.println("pirt: the virtual board's runtime wrote its own messages to " + state.resolve("runtime.err"));
            return code;
        } catch (IOException e) {
            err.println("pirt: cannot write the virtual board's signing key under " + state + ": " + e.getMessage());
            return 1;
        } finally {
            close.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is being ended: the hook runs, and finds the board closed
            }
        }
    }

    /**
     * The board's development key pair as {@code DIR/signing.key} and {@code DIR/signing.pub},
     * the names the tool finds a public key by.
     */
    private static Path writeBoardKey(VirtualBoard board, Path dir) throws IOException {
        KeyPair kp = board.signingKeys();
        Files.createDirectories(dir);
        Path priv = dir.resolve("signing.key");
        SigningKeys.writePrivateKey(kp.getPrivate(), priv);
        SigningKeys.writePublicKey(kp.getPublic(), dir.resolve("signing.pub"));
        return priv;
    }

    /** A fresh board each run: the state of the last one (its store, its keys) goes. */
    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) throw e;
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
