package io.pirt.tools.test;

import io.pirt.tools.ToolException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        if (!Files.isDirectory(path)) {
            Path project = projectOf(path);
            throw ToolException.failure("no such test jar or directory: " + path + (project == null ? ""
                    : ": compile the tests first with `" + mavenCommand(project, "test-compile") + "`"));
        }
        if (!Files.exists(path.resolve("pom.xml"))) return new ProjectTests(path, extra);
        Path testClasses = path.resolve("target/test-classes");
        if (!Files.isDirectory(testClasses)) {
            throw ToolException.failure(testClasses + " does not exist: compile the tests first with `"
                    + mavenCommand(path, "test-compile") + "`");
        }
        List<Path> cp = new ArrayList<>();
        if (Files.isDirectory(path.resolve("target/classes"))) cp.add(path.resolve("target/classes"));
        cp.addAll(mavenClasspath(path));
        cp.addAll(extra);
        return new ProjectTests(testClasses, cp);
    }

    /**
     * Where the reports of the tests at {@code path} go unless {@code --reports} says: the
     * project's {@code target/pirt-reports} (a Maven project, or tests inside a project's
     * {@code target}), else {@code target/pirt-reports} in the current directory.
     */
    static Path defaultReports(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        if (Files.isDirectory(abs) && Files.exists(abs.resolve("pom.xml"))) return abs.resolve(REPORTS);
        for (Path p = abs; p != null; p = p.getParent()) {
            if (p.getFileName() != null && p.getFileName().toString().equals("target")) return p.resolveSibling(REPORTS);
        }
        return Path.of(REPORTS);
    }

    /** The reports' folder in a project. */
    private static final String REPORTS = "target/pirt-reports";

    /**
     * The Maven project a path inside its {@code target} belongs to ({@code P/target/test-classes}
     * gives {@code P}), or null when the path is in no project's {@code target}.
     */
    private static Path projectOf(Path path) {
        for (Path p = path.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (p.getFileName() != null && p.getFileName().toString().equals("target") && p.getParent() != null
                    && Files.exists(p.getParent().resolve("pom.xml"))) {
                return p.getParent();
            }
        }
        return null;
    }

    /**
     * The Maven command line that runs {@code phases} for a project: inside a multi-module
     * build (a parent folder whose pom lists it as a module), from the top with {@code -pl -am},
     * since the project's sibling modules are found there and not in a repository until they
     * are installed; else on the project's own pom.
     */
    static String mavenCommand(Path project, String phases) {
        Reactor r = Reactor.of(project);
        return r == null ? "mvn -f " + project.resolve("pom.xml") + " " + phases
                : "mvn -f " + r.root().resolve("pom.xml") + " -pl " + r.module() + " -am " + phases;
    }

    /** A multi-module build a project is part of: its top folder, and the project's path from there. */
    record Reactor(Path root, String module) {
        private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");

        /** The outermost build that lists {@code project} (through its parents' modules), or null when none does. */
        static Reactor of(Path project) {
            Path dir = project.toAbsolutePath().normalize();
            Path root = null;
            for (Path child = dir, parent = dir.getParent(); parent != null && lists(parent, child);
                 child = parent, parent = parent.getParent()) {
                root = parent;
            }
            return root == null ? null : new Reactor(root, root.relativize(dir).toString().replace('\\', '/'));
        }

        private static boolean lists(Path parent, Path child) {
            Path pom = parent.resolve("pom.xml");
            if (!Files.isRegularFile(pom)) return false;
            try {
                Matcher m = MODULE.matcher(Files.readString(pom));
                while (m.find()) if (parent.resolve(m.group(1)).normalize().equals(child)) return true;
                return false;
            } catch (IOException e) {
                return false; // an unreadable pom lists nothing: the project is then taken on its own
            }
        }
    }

    /**
     * The project's test class path: from {@link #CLASSPATH_FILE}, made by Maven if it is not
     * there. Inside a multi-module build, Maven runs from the top with {@code -am test-compile}:
     * sibling modules resolve to their class folders only then (Maven 3 finds a reactor module
     * without an install only when its compile phase runs in the same build).
     */
    private static List<Path> mavenClasspath(Path project) throws ToolException {
        Path file = project.resolve(CLASSPATH_FILE);
        if (!Files.exists(file)) {
            Reactor reactor = Reactor.of(project);
            List<String> cmd = new ArrayList<>(List.of("mvn", "-q", "-B"));
            if (reactor != null) cmd.addAll(List.of("-f", reactor.root().resolve("pom.xml").toString(), "-pl", reactor.module(), "-am",
                    "test-compile"));
            cmd.addAll(List.of("dependency:build-classpath", "-Dmdep.includeScope=test", "-Dmdep.outputFile=" + file.toAbsolutePath()));
            Path log = project.resolve("target/pirt-test-classpath.log");
            try {
                // Maven's output goes to a file, so the wait below is the only one and it is bounded.
                Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw ToolException.failure(String.join(" ", cmd) + " took more than 5 minutes (its output: " + log
                            + "); write the test class path into " + CLASSPATH_FILE + " yourself, or use --classpath");
                }
                if (p.exitValue() != 0 || !Files.exists(file)) {
                    // Maven's console library leaves colour codes even in batch mode.
                    String output = Files.readString(log).replaceAll("\u001b\\[[0-9;]*m", "");
                    throw ToolException.failure("cannot learn the test class path of " + project + " (" + String.join(" ", cmd)
                            + " failed):\n" + output.strip() + "\nFix that, or write the class path into " + CLASSPATH_FILE
                            + " yourself, or give the test classes and --classpath");
                }
                Files.deleteIfExists(log);
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

    /**
     * The artifactId of the module whose class folder {@code dir} is ({@code M/target/classes}
     * with {@code M/pom.xml}), or null. A class path made inside a multi-module build names
     * sibling modules by their class folders; this is their jar's name without a version.
     */
    static String artifactIdOf(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path target = abs.getParent();
        if (abs.getFileName() == null || !abs.getFileName().toString().equals("classes") || target == null
                || target.getFileName() == null || !target.getFileName().toString().equals("target") || target.getParent() == null) {
            return null;
        }
        Path pom = target.getParent().resolve("pom.xml");
        if (!Files.isRegularFile(pom)) return null;
        try {
            String text = Files.readString(pom).replaceAll("(?s)<!--.*?-->", "").replaceAll("(?s)<parent>.*?</parent>", "");
            Matcher m = Pattern.compile("<artifactId>\\s*([^<\\s]+)\\s*</artifactId>").matcher(text);
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null; // then it is a class folder like any other: it travels as one
        }
    }
}
