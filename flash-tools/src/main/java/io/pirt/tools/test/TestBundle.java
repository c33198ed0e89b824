package io.pirt.tools.test;

import io.pirt.bundle.BundleManifest;
import io.pirt.bundle.BundleWriter;
import io.pirt.bundle.LibraryReference;
import io.pirt.bundle.Version;
import io.pirt.wire.message.JarNames;
import io.pirt.tools.ToolException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A test bundle (docs/testing.md): a project's test classes and their dependencies, with the
 * on-board runner and the JUnit Platform, in a bundle of kind {@code test} whose main class is
 * the runner. What the board already has on every application's class path (the pirt
 * libraries and their dependencies, as the board lists them) is left out, so the bundle
 * carries only the tests and what they add.
 */
final class TestBundle {
    /** The jar the test classes travel in when they come as a directory. */
    static final String TESTS_JAR = "tests.jar";
    static final String RUNNER = "io.pirt.boardtest.BoardTestRunner";

    /**
     * Libraries the runner needs, by a class in each, taken from this tool's own class path
     * when neither the project nor the board has them.
     */
    private static final List<String> RUNNER_LIBRARIES = List.of(
            RUNNER,
            "org.junit.platform.launcher.core.LauncherFactory",
            "org.junit.platform.engine.TestEngine",
            "org.junit.platform.commons.util.ReflectionUtils",
            "org.opentest4j.TestAbortedException",
            "org.apiguardian.api.API",
            "org.junit.jupiter.engine.JupiterTestEngine",
            "org.junit.jupiter.api.Test",
            "com.fasterxml.jackson.core.JsonFactory");

    /**
     * What goes into the bundle: the tests' jar file name on the board; the project's own jars
     * (the tests, and class directories made into jars), which change at every build and always
     * travel in the bundle; and the libraries (jar files: dependencies, the runner, JUnit), which
     * a board with a library cache keeps between runs.
     */
    record Contents(String testsJarName, List<Path> own, List<Path> libraries, List<Path> leftOut) {
        /** Every jar, for a board without a library cache: they all travel in the bundle. */
        List<Path> jars() {
            List<Path> all = new ArrayList<>(own);
            all.addAll(libraries);
            return List.copyOf(all);
        }
    }

    private TestBundle() {
    }

    /**
     * Collects the jars of a test bundle, making jars of class directories under {@code work}.
     *
     * @param tests      a test jar or a directory of test classes
     * @param classpath  what the tests need (jars or class directories)
     * @param onBoard    the board's {@code test-libs}: jar names without versions, and directory paths
     */
    static Contents collect(Path tests, List<Path> classpath, Set<String> onBoard, Path work) throws ToolException {
        Map<String, Path> byName = new LinkedHashMap<>();
        Set<Path> own = new java.util.HashSet<>(); // made from the project's classes (see Contents)
        List<Path> leftOut = new ArrayList<>();
        String testsJarName;
        if (Files.isDirectory(tests)) {
            Path jar = work.resolve(TESTS_JAR);
            jarDirectory(tests, jar);
            byName.put(TESTS_JAR, jar);
            own.add(jar);
            testsJarName = TESTS_JAR;
        } else {
            testsJarName = tests.getFileName().toString();
            byName.put(testsJarName, tests);
            own.add(tests);
        }
        int dirs = 0;
        for (Path entry : classpath) {
            if (!Files.exists(entry)) continue; // Maven lists directories of modules without sources: nothing to carry
            // a sibling module's class folder (a class path made in a multi-module build) goes by its artifact's name
            String module = Files.isDirectory(entry) ? ProjectTests.artifactIdOf(entry) : null;
            if (onBoard.contains(JarNames.baseName(entry)) || onBoard.contains(entry.toAbsolutePath().toString())
                    || (module != null && onBoard.contains(module))
                    || entry.toAbsolutePath().equals(tests.toAbsolutePath())) {
                leftOut.add(entry);
                continue;
            }
            if (Files.isDirectory(entry)) {
                Path jar = work.resolve(module != null && !byName.containsKey(module + ".jar") ? module + ".jar"
                        : "classes-" + (++dirs) + ".jar");
                jarDirectory(entry, jar);
                byName.put(jar.getFileName().toString(), jar);
                own.add(jar);
            } else if (entry.getFileName().toString().endsWith(".jar")) {
                byName.putIfAbsent(entry.getFileName().toString(), entry);
            }
        }
        Set<String> present = new java.util.HashSet<>(onBoard);
        byName.values().forEach(j -> present.add(JarNames.baseName(j)));
        for (String className : RUNNER_LIBRARIES) {
            Path jar = jarOf(className);
            if (!present.contains(JarNames.baseName(jar))) {
                byName.putIfAbsent(jar.getFileName().toString(), jar);
                present.add(JarNames.baseName(jar));
            }
        }
        List<Path> ownJars = byName.values().stream().filter(own::contains).toList();
        List<Path> libraries = byName.values().stream().filter(j -> !own.contains(j)).toList();
        return new Contents(testsJarName, ownJars, libraries, List.copyOf(leftOut));
    }

    /**
     * Writes the bundle: kind {@code test}, any board, the runner as main class; unsigned when
     * {@code signer} is null. It carries {@code jars} and references {@code libraries}, which the
     * board's library cache must hold (format 2); with none it is a format-1 bundle.
     */
    static void write(Path file, String name, Collection<Path> jars, List<LibraryReference> libraries, KeyPair signer)
            throws ToolException {
        BundleManifest manifest = new BundleManifest(name, Version.parse("0.0.0"), RUNNER, List.of("*"), Version.parse("0.1.0"), 4,
                BundleManifest.Kind.TEST);
        try {
            BundleWriter.write(file, manifest, List.copyOf(jars), libraries, signer);
        } catch (IllegalArgumentException e) {
            throw new ToolException(ToolException.USAGE, "cannot make the test bundle: " + e.getMessage());
        } catch (IOException e) {
            throw ToolException.failure("cannot write the test bundle " + file + ": " + e.getMessage(), e);
        }
    }

    /** A bundle name from the project's folder: {@code tests-hello-world}. */
    static String nameFor(Path project) {
        Path abs = project.toAbsolutePath().normalize();
        Path named = abs;
        while (named != null && named.getFileName() != null
                && List.of("target", "test-classes", "classes").contains(named.getFileName().toString())) {
            named = named.getParent();
        }
        String base = named == null || named.getFileName() == null ? "project" : named.getFileName().toString();
        if (base.endsWith(".jar")) base = base.substring(0, base.length() - 4);
        String clean = base.replaceAll("[^A-Za-z0-9._-]", "-");
        String name = "tests-" + clean;
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private static Path jarOf(String className) {
        try {
            Class<?> c = Class.forName(className, false, TestBundle.class.getClassLoader());
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("the pirt tool is built with " + className + " on its class path, but it is not there: "
                    + e, e);
        }
    }

    private static void jarDirectory(Path dir, Path jar) throws ToolException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted().toList()) {
                if (p.equals(dir)) continue;
                String name = dir.relativize(p).toString().replace('\\', '/') + (Files.isDirectory(p) ? "/" : "");
                out.putNextEntry(new JarEntry(name));
                if (!Files.isDirectory(p)) Files.copy(p, out);
                out.closeEntry();
            }
        } catch (IOException e) {
            throw ToolException.failure("cannot pack " + dir + " into " + jar + ": " + e.getMessage(), e);
        }
    }
}
