package io.pirt.maven;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code pirt:bundle}: a signed bundle of the project's jar and its runtime dependencies,
 * without what the board provides (pirt-threading, pirt-hal, pirt-board-profiles and the
 * libraries that come only through them), through {@code pirt bundle}
 * (docs/tool.md). Name and version are the project's; the bundle goes to
 * {@code target/ARTIFACTID-VERSION.pirt}, where {@code pirt:flash} looks for it.
 */
@Mojo(name = "bundle", defaultPhase = LifecyclePhase.PACKAGE, requiresDependencyResolution = ResolutionScope.RUNTIME,
        threadSafe = true)
public final class BundleMojo extends AbstractPirtMojo {
    /** The class whose {@code main} starts the application. */
    @Parameter(property = "pirt.mainClass", required = true)
    String mainClass;

    /** The application's name in the bundle, {@code [A-Za-z0-9][A-Za-z0-9._-]*}. */
    @Parameter(property = "pirt.name", defaultValue = "${project.artifactId}", required = true)
    String name;

    /** The application's version, {@code MAJOR.MINOR.PATCH[-QUALIFIER]}; a board refuses an older one than it has. */
    @Parameter(property = "pirt.version", defaultValue = "${project.version}", required = true)
    String version;

    /** Board profile ids it runs on ({@code pirt boards}); default: any board. */
    @Parameter(property = "pirt.boards")
    List<String> boards;

    /** Priority of the main thread, 1..7; default: the tool's (4). */
    @Parameter(property = "pirt.priority")
    Integer priority;

    /** The oldest pirt runtime that can run it; default: the tool's. */
    @Parameter(property = "pirt.minRuntime")
    String minRuntime;

    /** The private key to sign with; its public key is beside it as NAME.pub. Default: the tool's, ~/.pirt/signing.key. */
    @Parameter(property = "pirt.key")
    File key;

    /** The public key of {@code key}, when it is not beside it as NAME.pub. */
    @Parameter(property = "pirt.publicKey")
    File publicKey;

    /**
     * Make the key pair with {@code pirt keygen} when {@code key} does not exist yet (the key
     * file's name must end in {@code .key}). For development and CI: a board trusts such a key
     * only once its {@code .pub} is installed there (docs/bundle.md §7).
     */
    @Parameter(property = "pirt.createKey", defaultValue = "false")
    boolean createKey;

    /** The bundle file to write. */
    @Parameter(property = "pirt.bundle", defaultValue = "${project.build.directory}/${project.artifactId}-${project.version}.pirt",
            required = true)
    File bundle;

    @Override
    String command() {
        return "bundle";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        File jar = project.getArtifact().getFile();
        if (jar == null || !jar.isFile()) {
            throw new MojoExecutionException("pirt:bundle needs the project's jar, and this run has not built it"
                    + (jar == null ? "" : " (" + jar + " is not a jar file)")
                    + ": run it in the package phase or later (`mvn package`; the goal binds to package by default)");
        }
        List<File> jars = new ArrayList<>();
        jars.add(jar);
        for (Artifact a : project.getArtifacts()) {
            if (!"jar".equals(a.getArtifactHandler().getExtension())) continue;
            if (BoardProvided.isProvided(a)) {
                getLog().debug("pirt:bundle leaves out " + a + ": the board provides it");
            } else {
                jars.add(a.getFile());
            }
        }
        getLog().info("bundling " + jar.getName() + (jars.size() > 1 ? " with " + (jars.size() - 1) + " libraries" : ""));
        if (createKey) createKeyIfMissing();
        runTool(arguments(jars), false);
    }

    /**
     * {@code pirt bundle ...} for these jars, the first being the application's; the others are
     * its libraries ({@code --lib}), which {@code pirt flash} sends only to a board whose library
     * cache lacks them (docs/bundle.md §3).
     */
    List<String> arguments(List<File> jars) {
        List<String> a = new ArrayList<>(List.of("bundle"));
        for (int i = 0; i < jars.size(); i++) a.addAll(List.of(i == 0 ? "--jar" : "--lib", jars.get(i).getPath()));
        a.addAll(List.of("--main", mainClass, "--name", name, "--version", version));
        if (boards != null && !boards.isEmpty()) a.addAll(List.of("--boards", String.join(",", boards)));
        if (priority != null) a.addAll(List.of("--priority", priority.toString()));
        if (minRuntime != null) a.addAll(List.of("--min-runtime", minRuntime));
        if (key != null) a.addAll(List.of("--key", key.getPath()));
        if (publicKey != null) a.addAll(List.of("--public-key", publicKey.getPath()));
        a.addAll(List.of("--out", bundle.getPath()));
        return a;
    }

    /** {@code pirt keygen ...} that makes {@code key}, or null when it exists. */
    List<String> keygenArguments() throws MojoExecutionException {
        Path k = (key != null ? key.toPath() : Path.of(System.getProperty("user.home"), ".pirt", "signing.key")).toAbsolutePath();
        if (Files.exists(k)) return null;
        String file = k.getFileName().toString();
        if (!file.endsWith(".key") || file.length() == 4) {
            throw new MojoExecutionException("pirt.createKey makes NAME.key and NAME.pub, so the key's file name must end in "
                    + ".key; " + k + " does not: rename it in pirt.key");
        }
        return List.of("keygen", "--out", k.getParent().toString(), "--name", file.substring(0, file.length() - 4));
    }

    private void createKeyIfMissing() throws MojoExecutionException, MojoFailureException {
        List<String> keygen = keygenArguments();
        if (keygen == null) return;
        getLog().info("pirt.createKey: no signing key yet; making one with pirt " + String.join(" ", keygen));
        runTool(keygen, false);
    }
}
