package io.pirt.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real tool in a JVM of its own, as the goals run it. */
@Timeout(60)
class ForkedToolTest {
    @TempDir
    Path dir;

    private static ForkedTool tool() {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<File> cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(File::new).toList();
        return new ForkedTool(java, cp);
    }

    @Test
    void theToolsUsageErrorComesBackAsExitTwoWithItsReason() throws Exception {
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        ForkedTool.Result r = tool().run(ForkedTool.TOOL_MAIN, List.of("bundle", "--jar", "app.jar", "--main", "com.example.App",
                "--name", "app", "--version", "1.0", "--out", dir.resolve("x.pirt").toString()), false,
                new PrintStream(echoed, true, StandardCharsets.UTF_8));
        assertEquals(2, r.exitCode(), r.stderr().toString());
        assertTrue(r.message().startsWith("pirt: cannot make the manifest"), r.message());
        assertTrue(r.message().contains("1.0"), r.message());
        assertTrue(echoed.toString(StandardCharsets.UTF_8).contains("pirt: cannot make the manifest"), "stderr is shown as well");
    }

    @Test
    void aKeyMadeAndABundleSignedWithItExitZero() throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ForkedTool.Result keygen = tool().run(ForkedTool.TOOL_MAIN, List.of("keygen", "--out", dir.toString(), "--name", "k"),
                false, quiet);
        assertEquals(0, keygen.exitCode(), keygen.message());
        String anyJar = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.endsWith(".jar")).findFirst().orElseThrow();
        Path bundle = dir.resolve("app.pirt");
        ForkedTool.Result r = tool().run(ForkedTool.TOOL_MAIN, List.of("bundle", "--jar", anyJar, "--main", "com.example.App",
                "--name", "app", "--version", "1.0.0", "--key", dir.resolve("k.key").toString(), "--out", bundle.toString()),
                false, quiet);
        assertEquals(0, r.exitCode(), r.message());
        assertTrue(bundle.toFile().length() > 0);
    }

    @Test
    void theVirtualBoardEntryPointIsNamedRight() {
        // Maven's JVM refers to it by name only; a rename must not go unnoticed
        assertEquals(OnFreshVirtualBoard.class.getName(), ForkedTool.VIRTUAL_BOARD_MAIN);
    }

    @Test
    void theSchedulingNoticeIsNoReason() {
        assertEquals("pirt: no such port /dev/ttyACM9: is the board plugged in?", new ForkedTool.Result(1, List.of(
                "pirt: scheduling FIFO: SCHED_FIFO [10, 15] ...", "pirt: no such port /dev/ttyACM9: is the board plugged in?"))
                .message());
    }

    @Test
    void withoutStderrTheMessageSaysSo() {
        assertEquals("(nothing on stderr)", new ForkedTool.Result(1, List.of()).message());
        assertEquals("java.lang.UnsupportedClassVersionError: x\nat y",
                new ForkedTool.Result(1, List.of("java.lang.UnsupportedClassVersionError: x", "at y")).message());
    }
}
