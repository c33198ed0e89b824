package io.pirt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.virtualboard.VirtualBoard;
import io.pirt.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pirt flash --force} against the real runtime on a virtual board that is not in
 * development mode (it checks bundles as a board in the field does): an older bundle than
 * the committed one is refused, and committed when flashed with --force; force allows
 * nothing else (a bundle for another board is still refused).
 */
@Timeout(180)
class ForcedDowngradeTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    static Run pirt(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Path demo(Path state, String version, String boards) {
        Path out = dir.resolve("demo-" + version + "-" + boards + ".pirt");
        Run run = pirt("bundle", "--jar", System.getProperty("pirt.demo.jar"), "--main", "io.pirt.examples.demo.Demo",
                "--name", "demo", "--version", version, "--boards", boards,
                "--key", state.resolve("dev-signing-key.pem").toString(),
                "--public-key", state.resolve("config/keys/dev.pub").toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        return out;
    }

    @Test
    void aDowngradeIsRefusedUnlessForcedAndForceAllowsNothingElse() throws Exception {
        Path state = dir.resolve("board");
        try (VirtualBoard board = VirtualBoard.start(VirtualBoard.Options.at(state).development(false).args(List.of(
                "--app-jvm-flag", "-Xmx64m", "--app-jvm-flag", "-Dpirt.scheduling=none", "--trial-ms", "1500")))) {
            String port = board.port().toString();
            Path v2 = demo(state, "2.0.0", "virtual");
            Path v1 = demo(state, "1.0.0", "virtual");
            Run first = pirt("flash", "--port", port, "--progress", "none", "--timeout-ms", "30000", v2.toString());
            assertEquals(0, first.exitCode(), first.toString());
            assertEquals("committed demo 2.0.0\n", first.out());

            Run refused = pirt("flash", "--port", port, "--progress", "none", v1.toString());
            assertEquals(3, refused.exitCode(), refused.toString());
            assertTrue(refused.err().contains("older than the committed 2.0.0"), refused.err());
            assertTrue(refused.err().contains("--force"), "the refusal says what to do: " + refused.err());

            // --force asks the board to allow a downgrade, which changes the board: the tool proves the board's key
            String[] key = {"--key", state.resolve("dev-signing-key.pem").toString(),
                    "--public-key", state.resolve("config/keys/dev.pub").toString()};
            Run forcedElsewhere = pirt("flash", "--port", port, "--progress", "none", "--force", key[0], key[1], key[2], key[3],
                    demo(state, "1.0.0", "rpi-4b").toString());
            assertEquals(3, forcedElsewhere.exitCode(), "force allows a downgrade only: " + forcedElsewhere);

            Run forced = pirt("flash", "--port", port, "--progress", "none", "--force", key[0], key[1], key[2], key[3], v1.toString());
            assertEquals(0, forced.exitCode(), forced.toString());
            assertEquals("committed demo 1.0.0\n", forced.out());
        }
    }
}
