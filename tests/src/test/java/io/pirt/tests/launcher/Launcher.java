package io.pirt.tests.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The shipped launcher, {@code ./pirt} at the repository's root, run as a user runs it: a
 * process of its own, in a working directory of the test's, with {@code PIRT_NO_BUILD=1} so a
 * tool older than its sources fails at once (the jar is built before these tests) instead of
 * spending a minute rebuilding. Every wait is bounded.
 */
final class Launcher {
    /** The script; the tests module's surefire configuration sets {@code pirt.launcher}. */
    static final Path SCRIPT = Path.of(required("pirt.launcher")).toAbsolutePath().normalize();
    /** The repository's root: where the script is. */
    static final Path ROOT = SCRIPT.getParent();

    /** One finished run: its exit code and what it printed. */
    record Run(List<String> command, int exitCode, String out, String err) {
        @Override
        public String toString() {
            // The launcher shown as ./pirt, after what runs it (nsenter ...); a command without it (the tool's jar) as it is.
            int script = command.indexOf(SCRIPT.toString());
            String shown = script < 0 ? String.join(" ", command)
                    : String.join(" ", command.subList(0, script)) + (script > 0 ? " " : "") + "./pirt "
                            + String.join(" ", command.subList(script + 1, command.size()));
            return shown + ": exit " + exitCode + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    private Launcher() {
    }

    static String required(String property) {
        String v = System.getProperty(property);
        if (v == null) throw new IllegalStateException("system property " + property + " is not set: run these tests with Maven (tests/pom.xml sets it)");
        return v;
    }

    static ProcessBuilder builder(Path workDir, Map<String, String> env, List<String> args) {
        return builder(List.of(), workDir, env, args);
    }

    /** As {@link #builder(Path, Map, List)}, the launcher run by {@code prefix} (e.g. {@code nsenter -t PID -n}). */
    static ProcessBuilder builder(List<String> prefix, Path workDir, Map<String, String> env, List<String> args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(SCRIPT.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().put("PIRT_NO_BUILD", "1");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs {@code ./pirt ARGS} with stdin closed and waits at most {@code timeoutSeconds} for it to end. */
    static Run run(Path workDir, Map<String, String> env, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return run(List.of(), workDir, env, timeoutSeconds, args);
    }

    /** As {@link #run(Path, Map, long, String...)}, the launcher run by {@code prefix} (e.g. {@code nsenter -t PID -n}). */
    static Run run(List<String> prefix, Path workDir, Map<String, String> env, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder pb = builder(prefix, workDir, env, List.of(args));
        Path out = Files.createTempFile(workDir, "pirt-out-", ".txt");
        Path err = Files.createTempFile(workDir, "pirt-err-", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("./pirt " + String.join(" ", args) + " did not end within " + timeoutSeconds + " s; it printed:\n"
                    + Files.readString(out) + "--- stderr:\n" + Files.readString(err));
        }
        Run run = new Run(pb.command(), p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        if (run.err().contains("building the tool")) throw new AssertionError("the launcher rebuilt the tool: " + run);
        return run;
    }

    /**
     * A launcher process whose stdout is read line by line as it comes (a daemon thread fills
     * a queue), with its stdin open for writing; stderr goes to a file.
     */
    static final class Live implements AutoCloseable {
        final Process process;
        final Path errFile;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder seen = new StringBuilder(); // guarded by itself

        Live(Path workDir, Map<String, String> env, String... args) throws IOException {
            ProcessBuilder pb = builder(workDir, env, List.of(args));
            errFile = Files.createTempFile(workDir, "pirt-err-", ".txt");
            pb.redirectError(errFile.toFile());
            process = pb.start();
            java.lang.Thread reader = new java.lang.Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) lines.add(line);
                } catch (IOException e) {
                    lines.add("(reading the launcher's stdout failed: " + e + ")");
                }
            }, "launcher-stdout-" + args[0]);
            reader.setDaemon(true);
            reader.start();
        }

        /** The first line of stdout that {@code wanted} accepts, within {@code timeoutMs}; fails with what came. */
        String awaitLine(Predicate<String> wanted, long timeoutMs, String what) throws InterruptedException, IOException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    throw new AssertionError("no " + what + " on the launcher's stdout within " + timeoutMs + " ms (alive: "
                            + process.isAlive() + "); stdout so far:\n" + seen + "--- stderr:\n" + err());
                }
                synchronized (seen) {
                    seen.append(line).append('\n');
                }
                if (wanted.test(line)) return line;
            }
        }

        OutputStream stdin() {
            return process.getOutputStream();
        }

        String err() throws IOException {
            return Files.readString(errFile);
        }

        /** Waits at most {@code timeoutSeconds} for the exit code. */
        int awaitExit(long timeoutSeconds) throws InterruptedException, IOException {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError("the launcher did not end within " + timeoutSeconds + " s; stdout:\n" + seen + "--- stderr:\n" + err());
            }
            return process.exitValue();
        }

        /** SIGTERM (the tool's shutdown hook stops what it started), then at most 20 s, then kill. */
        @Override
        public void close() throws InterruptedException {
            if (!process.isAlive()) return;
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the launcher did not stop within 20 s of SIGTERM; killed it");
            }
        }
    }
}
