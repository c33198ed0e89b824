package io.pirt.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code pirt:test}: runs the project's JUnit tests on a board, through {@code pirt test}
 * (docs/tool.md, docs/testing.md): the test classes with the project's classes and test
 * dependencies (the tool leaves out what the board already has) are bundled and run on the
 * board; results
 * stream back and land as Surefire-style XML reports in {@code target/pirt-reports}. Bound to
 * integration-test, so {@code mvn verify -Dpirt.port=/dev/ttyACM0} runs them on a real board;
 * without {@code pirt.port} they run on a fresh virtual board (the real runtime process on a
 * pseudo-terminal, Linux only). A failing test fails the build.
 */
@Mojo(name = "test", defaultPhase = LifecyclePhase.INTEGRATION_TEST, requiresDependencyResolution = ResolutionScope.TEST,
        threadSafe = true)
public final class TestMojo extends AbstractPirtMojo {
    /** The board's serial port, e.g. /dev/ttyACM0; default: a fresh virtual board. */
    @Parameter(property = "pirt.port")
    String port;

    /** The UART's rate; default: the tool's (115200). A USB gadget port ignores it. */
    @Parameter(property = "pirt.baud")
    Integer baud;

    /** The private key to sign the test bundle with, for a real board; default: the tool's (~/.pirt/signing.key). */
    @Parameter(property = "pirt.key")
    File key;

    /** The public key of {@code key}, when it is not beside it as NAME.pub. */
    @Parameter(property = "pirt.publicKey")
    File publicKey;

    /** Also print what the board's console prints during the run. */
    @Parameter(property = "pirt.showOutput", defaultValue = "false")
    boolean showOutput;

    /** The bound on the whole run, e.g. 120s or 10m; default: the tool's (10m). */
    @Parameter(property = "pirt.testTimeout")
    String timeout;

    /** Where the XML reports go. */
    @Parameter(property = "pirt.reports", defaultValue = "${project.build.directory}/pirt-reports", required = true)
    File reports;

    /** Run only tests with one of these JUnit tags. */
    @Parameter(property = "pirt.includeTags")
    List<String> includeTags;

    /** Leave out tests with one of these JUnit tags. */
    @Parameter(property = "pirt.excludeTags")
    List<String> excludeTags;

    /** Run only these: a class name, or CLASS#METHOD. */
    @Parameter(property = "pirt.select")
    List<String> select;

    /** The test classes to run. */
    @Parameter(defaultValue = "${project.build.testOutputDirectory}", required = true, readonly = true)
    File testClasses;

    /** The project's own classes. */
    @Parameter(defaultValue = "${project.build.outputDirectory}", required = true, readonly = true)
    File classes;

    /**
     * The fresh virtual board's wiring (docs/hal.md) when no port is named; default: as
     * {@code pirt sim}'s, a button on BTN0, an LED on LED0, a jumper D22 -> D23.
     */
    @Parameter(property = "pirt.wiring")
    File wiring;

    /** Where the fresh virtual board keeps its state when no port is named (emptied first). */
    @Parameter(defaultValue = "${project.build.directory}/pirt-virtual-board", required = true)
    File virtualBoardDirectory;

    /** Skip the tests, as Surefire does. */
    @Parameter(property = "skipTests", defaultValue = "false")
    boolean skipTests;

    /** Skip compiling and running the tests, as Surefire does. */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    boolean mavenTestSkip;

    @Override
    String command() {
        return "test";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (skipTests || mavenTestSkip) {
            getLog().info("tests are skipped (" + (skipTests ? "skipTests" : "maven.test.skip") + "): pirt:test skipped");
            return;
        }
        if (!testClasses.isDirectory()) {
            getLog().info("no test classes in " + testClasses + ": nothing to run on the board");
            return;
        }
        List<String> args = arguments(classpath());
        if (onVirtualBoard()) {
            getLog().info("no pirt.port: the tests run on a fresh virtual board in " + virtualBoardDirectory
                    + " (-Dpirt.port=/dev/ttyACM0 runs them on a real board)");
            runOnFreshVirtualBoard(virtualBoardDirectory, wiring, args);
        } else {
            runTool(args, false);
        }
    }

    @Override
    String failureHint(int exitCode) {
        return exitCode == 1 ? "a test failed or erred, or the run did not finish: the results are above, the XML reports in "
                + reports : null;
    }

    /** No port named: the tests go to a fresh virtual board, which brings its own port and key. */
    boolean onVirtualBoard() {
        return port == null || port.isBlank();
    }

    /**
     * The test classes' dependencies: the project's classes, then all its test-scope artifacts.
     * The tool leaves out those the board already has (it asks the board), so the API jars the
     * project declares {@code provided} are not sent.
     */
    List<File> classpath() {
        Set<File> cp = new LinkedHashSet<>();
        if (classes.isDirectory()) cp.add(classes);
        for (Artifact a : project.getArtifacts()) {
            if (a.getFile() != null && a.getArtifactHandler().isAddedToClasspath()) cp.add(a.getFile());
        }
        return new ArrayList<>(cp);
    }

    /**
     * {@code pirt test ...} for these class path entries; without a port, the virtual board's
     * {@code --port} and {@code --key} are added when it has started.
     */
    List<String> arguments(List<File> classpath) {
        List<String> a = new ArrayList<>(List.of("test"));
        if (!onVirtualBoard()) {
            a.addAll(List.of("--port", port));
            if (key != null) a.addAll(List.of("--key", key.getPath()));
            if (publicKey != null) a.addAll(List.of("--public-key", publicKey.getPath()));
        }
        if (baud != null) a.addAll(List.of("--baud", baud.toString()));
        if (timeout != null && !timeout.isBlank()) a.addAll(List.of("--timeout", timeout));
        a.addAll(List.of("--reports", reports.getPath()));
        if (showOutput) a.add("--show-output");
        for (File f : classpath) a.addAll(List.of("--classpath", f.getPath()));
        each(a, "--include-tag", includeTags);
        each(a, "--exclude-tag", excludeTags);
        each(a, "--select", select);
        a.add(testClasses.getPath());
        return a;
    }

    private static void each(List<String> args, String option, List<String> values) {
        if (values == null) return;
        for (String v : values) {
            if (!v.isBlank()) args.addAll(List.of(option, v.trim()));
        }
    }
}
