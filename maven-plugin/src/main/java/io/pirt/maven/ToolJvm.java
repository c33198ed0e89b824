package io.pirt.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * Chooses the {@code java} executable that runs the tool: it must be Java 21 or newer, which
 * Maven's own JVM need not be. In order: the {@code pirt.java} parameter (a JDK home or its
 * {@code bin/java}), the JDK toolchain the build selected (maven-toolchains-plugin, as this
 * repository's build does at validate), Maven's own JVM when it is new enough, else the newest
 * JDK 21+ among {@code JAVA_HOME} and the usual install places, as {@code ./pirt} looks (a goal
 * named alone on the command line, {@code mvn pirt:flash}, runs without the toolchain step).
 */
final class ToolJvm {
    /** The oldest Java feature release the tool runs on. */
    static final int MIN_FEATURE = 21;
    private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"([^\"]*)\"", Pattern.MULTILINE);

    private ToolJvm() {
    }

    /**
     * @param explicit      the {@code pirt.java} parameter, or null
     * @param toolchainJava the {@code java} of the build's JDK toolchain, or null
     * @param mavenJavaHome {@code java.home} of Maven's JVM
     * @param mavenFeature  Maven's JVM's feature release ({@code Runtime.version().feature()})
     * @param jdkHomes      JDK homes to look at last ({@link #usualHomes()})
     * @return the {@code java} executable to start
     * @throws MojoExecutionException when none fits, saying what was looked at and what to do
     */
    static String choose(File explicit, String toolchainJava, String mavenJavaHome, int mavenFeature, List<Path> jdkHomes)
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
        Path best = null;
        int bestFeature = 0;
        for (Path home : jdkHomes) {
            int f = featureOf(home);
            if (f >= MIN_FEATURE && f > bestFeature && Files.isExecutable(home.resolve("bin").resolve("java"))) {
                best = home;
                bestFeature = f;
            }
        }
        if (best != null) return best.resolve("bin").resolve("java").toString();
        throw new MojoExecutionException("the pirt tool needs Java " + MIN_FEATURE + " or newer; Maven runs on Java "
                + mavenFeature + " (" + mavenJavaHome + "), the build selected no JDK toolchain, and none of " + jdkHomes
                + " is a JDK " + MIN_FEATURE + "+. Do one of: install one (e.g. 'apt install openjdk-21-jdk'), run Maven on it "
                + "(JAVA_HOME), select it with maven-toolchains-plugin's select-jdk-toolchain goal, or set -Dpirt.java=/path/to/jdk");
    }

    /** JAVA_HOME, then each JDK in /usr/lib/jvm, ~/.jdks, ~/.sdkman/candidates/java and macOS's place. */
    static List<Path> usualHomes() {
        List<Path> homes = new ArrayList<>();
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) homes.add(Path.of(javaHome));
        String user = System.getProperty("user.home");
        List<Path> parents = List.of(Path.of("/usr/lib/jvm"), Path.of(user, ".jdks"), Path.of(user, ".sdkman", "candidates", "java"),
                Path.of("/Library/Java/JavaVirtualMachines"));
        for (Path parent : parents) {
            if (!Files.isDirectory(parent)) continue;
            try (DirectoryStream<Path> s = Files.newDirectoryStream(parent)) {
                for (Path p : s) {
                    Path mac = p.resolve("Contents").resolve("Home");
                    homes.add(Files.isDirectory(mac) ? mac : p);
                }
            } catch (IOException e) {
                // an unreadable place holds no JDK we can use; the error names the homes that were looked at
                continue;
            }
        }
        return homes;
    }

    /** The feature release a JDK home's {@code release} file names (25 for 25.0.1, 8 for 1.8.0_402), or -1. */
    static int featureOf(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) return -1;
        String text;
        try {
            text = Files.readString(release);
        } catch (IOException e) {
            return -1; // unreadable: not a JDK this goal can vouch for
        }
        Matcher m = JAVA_VERSION.matcher(text);
        if (!m.find()) return -1;
        String v = m.group(1);
        if (v.startsWith("1.")) v = v.substring(2);
        Matcher digits = Pattern.compile("^(\\d+)").matcher(v);
        return digits.find() ? Integer.parseInt(digits.group(1)) : -1;
    }
}
