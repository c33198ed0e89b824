package io.pirt.junit;

import java.io.IOException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension for tests that run on the host and drive a board: it hands a
 * {@link ConnectedBoard} to any test, lifecycle method or constructor that takes one.
 *
 * <pre>{@code
 * @ExtendWith(BoardExtension.class)
 * class BlinkIT {
 *     @Test
 *     void buttonIsHandled(ConnectedBoard board) throws Exception {
 *         assertTrue(board.flash(board.bundle("blink", "1.0.0", "com.example.Blink", List.of(jar))).committed());
 *         board.pressButton("BTN0");
 *         board.expect("pressed", Duration.ofSeconds(5));
 *     }
 * }
 * }</pre>
 *
 * <p>The board is the one on the serial port named by the system property {@code pirt.port}
 * or the environment variable {@code PIRT_PORT} (at {@code pirt.baud}/{@code PIRT_BAUD},
 * default 115200); when none is named, a fresh virtual board: the real runtime process on a
 * pseudo-terminal cable, started once for the whole test run (it takes seconds) and shared
 * by every test class, stopped when the run ends. Bundles are signed with the key
 * {@code pirt.key}/{@code PIRT_KEY} names, by default {@code ~/.pirt/signing.key}.
 *
 * <p>Tests that use the board must not run in parallel with each other. Under Maven
 * Surefire or Failsafe, a virtual board needs {@code <useManifestOnlyJar>false</useManifestOnlyJar>}
 * (it starts the runtime with the test class path). When the board cannot be reached, every
 * test that asks for it fails with the same message, saying what to do.
 */
public final class BoardExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BoardExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ConnectedBoard.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        SharedBoard shared = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedBoard.class, k -> SharedBoard.open(), SharedBoard.class);
        BoardConnection connection = shared.connection();
        // one handle per test (its @BeforeEach and @AfterEach too) or per class (@BeforeAll): one console position each
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(ConnectedBoard.class, k -> new ConnectedBoard(connection),
                ConnectedBoard.class);
    }

    /**
     * The board of a run, or why there is none, kept in the root context's store so the
     * whole run shares it (or its failure: a missing board costs one timeout, not one per
     * test) and JUnit closes it when the run ends.
     */
    @SuppressWarnings("deprecation") // CloseableResource: JUnit before 5.13 closes only those, later ones AutoCloseable
    static final class SharedBoard implements AutoCloseable, ExtensionContext.Store.CloseableResource {
        private final BoardConnection connection; // null when it failed
        private final String failure;
        private final Throwable cause;
        private boolean closed; // guarded by this

        private SharedBoard(BoardConnection connection, String failure, Throwable cause) {
            this.connection = connection;
            this.failure = failure;
            this.cause = cause;
        }

        static SharedBoard open() {
            try {
                return new SharedBoard(BoardConnection.open(RigSettings.fromEnvironment()), null, null);
            } catch (IOException | RuntimeException e) {
                return new SharedBoard(null, e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ParameterResolutionException("interrupted while connecting to the board", e);
            }
        }

        BoardConnection connection() {
            if (connection == null) throw new ParameterResolutionException(failure, cause);
            return connection;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) return;
                closed = true;
            }
            if (connection != null) connection.close();
        }
    }
}
