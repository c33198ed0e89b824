package io.pirt.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The virtual board pirt:test uses without a port: the real runtime process, started fresh and always stopped. */
@Timeout(60)
class OnFreshVirtualBoardTest {
    @TempDir
    Path dir;

    @Test
    void aFreshBoardIsStartedTheCommandRunsAndTheBoardIsStoppedWhateverItsExitCode() throws Exception {
        Path state = dir.resolve("board");
        Files.createDirectories(state.resolve("store"));
        Path stale = Files.writeString(state.resolve("store/left-by-the-last-run"), "old");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // `pirt keygen` takes no --port: the tool's usage error comes back as the run's exit code
        int code = OnFreshVirtualBoard.run(state, null, "keygen", List.of("--out", dir.resolve("k").toString()),
                new PrintWriter(out, true), new PrintWriter(err, true));

        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("--port"), err.toString());
        assertTrue(err.toString().contains(state.resolve("runtime.err").toString()), "says where the board's own messages are");
        assertTrue(out.toString().startsWith("pirt: a fresh virtual board on "), out.toString());
        assertFalse(Files.exists(stale), "the last run's state is gone");
        assertTrue(Files.readString(state.resolve("wiring")).contains("button BTN0 BTN0 low"), "wired as pirt sim's board");
        assertTrue(Files.isRegularFile(state.resolve("host-key/signing.key")));
        assertTrue(Files.isRegularFile(state.resolve("host-key/signing.pub")));
        List<ProcessHandle> runtimes = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(state.toString())).toList();
        assertEquals(List.of(), runtimes, "the board's runtime process was stopped");
    }
}
