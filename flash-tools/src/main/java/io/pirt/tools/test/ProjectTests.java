package io.pirt.tools.test;

import io.pirt.tools.ToolException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where a project's tests are and what they need: a test jar or a class directory as given,
 * or a Maven project's {@code target/test-classes} with {@code target/classes} and the test
 * class path Maven resolves for it.
 *
 * @param tests     the test jar or directory
 * @param classpath what the tests need, in order
 */
record ProjectTests(Path tests, List<Path> classpath) {
    /** Where a Maven project may keep its test class path, one {@code :}-separated line ({@code mvn dependency:build-classpath}). */
    static final String CLASSPATH_FILE = "target/pirt-test-classpath.txt";

    static ProjectTests resolve(Path path, List<Path> extra) throws ToolException {
        if (Files.isRegularFile(path)) {
            if (!path.getFileName().toString().endsWith(".jar")) throw ToolException.failure(path + " is not a jar, a directory of test classes or a Maven project");
            return new ProjectTests(path, extra);
        }
        if (!Files.isDirectory(path)) throw ToolException.failure("no such test jar or directory: " + path);
        if (!Files.exists(path.resolve("pom.xml"))) return new ProjectTests(path, extra);
        Path testClasses = path.resolve("target/test-classes");
        if (!Files.isDirectory(testClasses)) {
            throw ToolException.failure(testClasses + " does not exist: build the tests first (mvn test-compile)");
        }
        List<Path> cp = new ArrayList<>();
        if (Files.isDirectory(path.resolve("target/classes"))) cp.add(path.resolve("target/classes"));
        cp.addAll(mavenClasspath(path));
        cp.addAll(extra);
        return new ProjectTests(testClasses, cp);
    }

    /** The project's test class path: from {@link #CLASSPATH_FILE}, made by Maven if it is not there. */
    private static List<Path> mavenClasspath(Path project) throws ToolException {
        Path file = project.resolve(CLASSPATH_FILE);
        if (!Files.exists(file)) {
            List<String> cmd = List.of("mvn", "-q", "-B", "dependency:build-classpath", "-Dmdep.includeScope=test",
                    "-Dmdep.outputFile=" + file.toAbsolutePath());
            try {
                Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw ToolException.failure("mvn dependency:build-classpath in " + project + " took more than 5 minutes");
                }
                if (p.exitValue() != 0 || !Files.exists(file)) {
                    throw ToolException.failure("cannot learn the test class path of " + project + " (" + String.join(" ", cmd)
                            + " failed):\n" + output.strip() + "\nor write it into " + CLASSPATH_FILE + " yourself, or use --classpath");
                }
            } catch (IOException e) {
                throw ToolException.failure("cannot run Maven to learn the test class path of " + project + " (" + e.getMessage()
                        + "): write it into " + CLASSPATH_FILE + ", or give the test classes and --classpath", e);
            } catch (InterruptedException e) {
                java.lang.Thread.currentThread().interrupt();
                throw ToolException.failure("interrupted while Maven resolved the test class path", e);
            }
        }
        try {
            List<Path> cp = new ArrayList<>();
            for (String e : Files.readString(file).strip().split(File.pathSeparator)) if (!e.isBlank()) cp.add(Path.of(e));
            return cp;
        } catch (IOException e) {
            throw ToolException.failure("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
