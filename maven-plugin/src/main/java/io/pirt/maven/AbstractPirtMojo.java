package io.pirt.maven;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.toolchain.Toolchain;
import org.apache.maven.toolchain.ToolchainManager;

/**
 * What every pirt goal shares: {@code pirt.skip}, the JDK that runs the tool, and running
 * one tool command with its exit code turned into Maven's failure ({@link ToolExit}).
 */
abstract class AbstractPirtMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    PluginDescriptor plugin;

    @Component
    ToolchainManager toolchains;

    /** Skip this goal. */
    @Parameter(property = "pirt.skip", defaultValue = "false")
    boolean skip;

    /**
     * The JDK (21 or newer) that runs the tool: its home or its {@code bin/java}. Default: the
     * build's JDK toolchain, else the JVM running Maven if it is Java 21 or newer, else the
     * newest JDK 21+ in JAVA_HOME, /usr/lib/jvm, ~/.jdks or ~/.sdkman.
     */
    @Parameter(property = "pirt.java")
    File jdk;

    /** The tool's command this goal runs ({@code bundle}, {@code flash}...), for messages. */
    abstract String command();

    /** Runs this goal unless skipped. */
    abstract void run() throws MojoExecutionException, MojoFailureException;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("pirt.skip is set: pirt:" + command() + " skipped");
            return;
        }
        run();
    }

    /** Runs {@code pirt ARGS...} (ARGS start with the command), and fails the build as its exit code says. */
    void runTool(List<String> args, boolean interactive) throws MojoExecutionException, MojoFailureException {
        fork(args.get(0), ForkedTool.TOOL_MAIN, args, interactive);
    }

    /**
     * Runs {@code pirt ARGS...} against a fresh virtual board made in {@code stateDir} (wired as
     * {@code wiring} says, or null for {@code pirt sim}'s default): the
     * board's port and key are added as {@code --port} and {@code --key} ({@link OnFreshVirtualBoard}).
     */
    void runOnFreshVirtualBoard(File stateDir, File wiring, List<String> args) throws MojoExecutionException, MojoFailureException {
        List<String> main = new ArrayList<>();
        main.add(stateDir.getPath());
        if (wiring != null) main.addAll(List.of("--wiring", wiring.getPath()));
        main.addAll(args);
        fork(args.get(0), ForkedTool.VIRTUAL_BOARD_MAIN, main, false);
    }

    private void fork(String toolCommand, String mainClass, List<String> args, boolean interactive)
            throws MojoExecutionException, MojoFailureException {
        ForkedTool tool = new ForkedTool(javaExecutable(), toolClasspath());
        getLog().debug("pirt: " + String.join(" ", tool.command(mainClass, args)));
        ForkedTool.Result r;
        try {
            r = tool.run(mainClass, args, interactive, System.err);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot start the pirt tool's JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("interrupted while pirt " + toolCommand + " ran; it was stopped", e);
        }
        String hint = failureHint(r.exitCode());
        String said = interactive ? "(its reason is printed above)" : r.message();
        ToolExit.check(toolCommand, r.exitCode(), hint == null ? said : hint + "; the tool said: " + said);
    }

    /** What a non-zero exit code of this goal's command means beyond the tool's words, or null. */
    String failureHint(int exitCode) {
        return null;
    }

    private String javaExecutable() throws MojoExecutionException {
        Toolchain tc = toolchains == null ? null : toolchains.getToolchainFromBuildContext("jdk", session);
        String toolchainJava = tc == null ? null : tc.findTool("java");
        return ToolJvm.choose(jdk, toolchainJava, System.getProperty("java.home"), Runtime.version().feature(), ToolJvm.usualHomes());
    }

    /** The plugin's own jar and its dependencies: the tool, the runtime (a virtual board's) and their libraries. */
    private List<File> toolClasspath() throws MojoExecutionException {
        Set<File> files = new LinkedHashSet<>();
        if (plugin.getPluginArtifact() != null && plugin.getPluginArtifact().getFile() != null) {
            files.add(plugin.getPluginArtifact().getFile());
        }
        for (Artifact a : plugin.getArtifacts()) {
            if (a.getFile() == null) {
                throw new MojoExecutionException("the plugin's dependency " + a + " was not resolved to a file");
            }
            files.add(a.getFile());
        }
        return new ArrayList<>(files);
    }

    /** The error for a board goal given no port: how to name one. */
    MojoExecutionException noPort() {
        return new MojoExecutionException("pirt:" + command() + " needs the board's serial port: -Dpirt.port=/dev/ttyACM0 "
                + "(a Pi on its USB data port), /dev/ttyUSB0 (a USB-serial adapter on its UART), or the path `pirt sim` "
                + "prints for a virtual board; `pirt ports` lists this machine's ports, likely boards first "
                + "(or set <port> in the plugin's configuration)");
    }
}
