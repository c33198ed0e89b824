package io.pirt.maven;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * Chooses the {@code java} executable that runs the tool: it must be Java 21 or newer, which
 * Maven's own JVM need not be. In order: the {@code pirt.java} parameter (a JDK home or its
 * {@code bin/java}), the project's JDK toolchain (maven-toolchains-plugin, as this
 * repository's build selects one), Maven's own JVM when it is new enough.
 */
final class ToolJvm {
    /** The oldest Java feature release the tool runs on. */
    static final int MIN_FEATURE = 21;

    private ToolJvm() {
    }

    /**
     * @param explicit        the {@code pirt.java} parameter, or null
     * @param toolchainJava   the {@code java} of the project's JDK toolchain, or null
     * @param mavenJavaHome   {@code java.home} of Maven's JVM
     * @param mavenFeature    Maven's JVM's feature release ({@code Runtime.version().feature()})
     * @return the {@code java} executable to start
     * @throws MojoExecutionException when none fits, saying what was looked at and what to do
     */
    static String choose(File explicit, String toolchainJava, String mavenJavaHome, int mavenFeature)
            throws MojoExecutionException {
        if (explicit != null) {
            Path p = explicit.toPath();
            Path bin = Files.isDirectory(p) ? p.resolve("bin").resolve("java") : p;
            if (!Files.isExecutable(bin)) {
                throw new MojoExecutionException("pirt.java is " + explicit + ", but " + bin
                        + " is not an executable java: give a JDK " + MIN_FEATURE + "+ home or its bin/java");
            }
            return bin.toString();
        }
        if (toolchainJava != null) return toolchainJava;
        if (mavenFeature >= MIN_FEATURE) return Path.of(mavenJavaHome, "bin", "java").toString();
        throw new MojoExecutionException("the pirt tool needs Java " + MIN_FEATURE + " or newer, Maven runs on Java "
                + mavenFeature + " (" + mavenJavaHome + ") and the project has no JDK toolchain. Do one of: run Maven on a JDK "
                + MIN_FEATURE + "+ (JAVA_HOME), select one with maven-toolchains-plugin's select-jdk-toolchain goal "
                + "(as pirt's own build does), or set -Dpirt.java=/path/to/jdk");
    }
}
