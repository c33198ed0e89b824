package io.pirt.maven;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code pirt} tool run in a JVM of its own: {@code java -cp CLASSPATH MAIN ARGS...},
 * with the tool's standard output on Maven's, and its standard error copied to Maven's line
 * by line and kept for the failure message. An interactive run ({@code pirt console}) gets
 * this terminal's standard streams as they are.
 *
 * <p>A fork, not a call in Maven's JVM, because Maven may run on Java 17 and the tool is
 * Java 21 bytecode; the arguments are the same as on the command line, parsed by the same
 * picocli command, so the goals and the tool cannot diverge.
 */
final class ForkedTool {
    /** The tool's entry point: it exits with the command's exit code (docs/tool.md). */
    static final String TOOL_MAIN = "io.pirt.tools.Main";
    /**
     * {@link OnFreshVirtualBoard}, by name: Maven's JVM must not load it (it links to the
     * Java 21 runtime).
     */
    static final String VIRTUAL_BOARD_MAIN = "io.pirt.maven.OnFreshVirtualBoard";
    /** At most this many lines of the tool's stderr are kept for the failure message. */
    private static final int KEPT_LINES = 30;

    private final String javaExecutable;
    private final List<File> classpath;

    /**
     * @param javaExecutable the {@code java} executable (Java 21 or newer, {@link ToolJvm})
     * @param classpath the tool and its libraries (the plugin's own dependencies)
     */
    ForkedTool(String javaExecutable, List<File> classpath) {
        this.javaExecutable = javaExecutable;
        this.classpath = List.copyOf(classpath);
    }

    /** How a run ended: the exit code and what the tool said on stderr (its {@code pirt: ...} reasons first). */
    record Result(int exitCode, List<String> stderr) {
        /** The tool's own reasons ({@code pirt: ...} lines), else the last lines it printed on stderr. */
        String message() {
            // "pirt: scheduling ..." is the threading library's once-per-process notice, not a reason
            List<String> reasons = stderr.stream().filter(l -> l.startsWith("pirt: ") && !l.startsWith("pirt: scheduling ")).toList();
            List<String> shown = reasons.isEmpty() ? stderr : reasons;
            return shown.isEmpty() ? "(nothing on stderr)" : String.join("\n", shown);
        }
    }

    /** The command line that runs {@code mainClass} with {@code args}. */
    List<String> command(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable);
        // The tool's serial ports (jSerialComm) and the HAL (JNA) call native code; without
        // this each start warns on Java 22+. The ./pirt launcher passes the same.
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classpath.stream().map(File::getPath).toList()));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Runs {@code mainClass} with {@code args} and waits for it. If this thread is interrupted
     * or Maven's JVM is stopped meanwhile, the tool is ended too (SIGTERM, then SIGKILL after 15 s).
     *
     * @param interactive the tool reads this terminal ({@code pirt console}): all three
     *                    standard streams are inherited and stderr is not kept
     * @param echo        where the tool's stderr lines are copied (Maven's stderr)
     * @throws IOException if the JVM cannot be started
     * @throws InterruptedException if interrupted while waiting (the tool has been ended)
     */
    Result run(String mainClass, List<String> args, boolean interactive, PrintStream echo)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(mainClass, args));
        if (interactive) {
            pb.inheritIO();
        } else {
            pb.redirectInput(ProcessBuilder.Redirect.INHERIT).redirectOutput(ProcessBuilder.Redirect.INHERIT);
        }
        Process p = pb.start();
        Thread stopper = new Thread(() -> end(p), "pirt-tool-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        Deque<String> kept = new ArrayDeque<>(); // guarded by itself; at most KEPT_LINES, the last ones
        Thread copier = null;
        try {
            if (!interactive) {
                copier = new Thread(() -> copy(p.getErrorStream(), echo, kept), "pirt-tool-stderr");
                copier.setDaemon(true);
                copier.start();
            }
            int code = p.waitFor();
            if (copier != null) {
                // stderr ends with the process; the bound only guards against a grandchild holding it open
                copier.join(TimeUnit.SECONDS.toMillis(10));
            }
            synchronized (kept) {
                return new Result(code, List.copyOf(kept));
            }
        } catch (InterruptedException e) {
            end(p);
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // Maven's JVM is exiting: the hook runs and ends the tool
            }
        }
    }

    private static void copy(InputStream err, PrintStream echo, Deque<String> kept) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                echo.println(line);
                echo.flush();
                synchronized (kept) {
                    if (kept.size() == KEPT_LINES) kept.removeFirst();
                    kept.addLast(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pirt tool's stderr", e);
        }
    }

    /** Ends the tool: SIGTERM lets it close its port (and a virtual board); SIGKILL if it lingers. */
    private static void end(Process p) {
        if (!p.isAlive()) return;
        p.destroy();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
