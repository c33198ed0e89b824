package io.pirt.tools.bundle;

import io.pirt.bundle.BundleManifest;
import io.pirt.bundle.BundleWriter;
import io.pirt.bundle.SigningKeys;
import io.pirt.bundle.Version;
import io.pirt.tools.ToolException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pirt bundle}: application jars and a manifest into one signed bundle file (docs/bundle.md). */
@Command(name = "bundle", sortOptions = false,
        description = {"Build a signed bundle from an application's jars.", "",
                "A bundle holds the application's jar(s), a manifest (name, version, main class, boards, oldest runtime, "
                + "main thread priority), the SHA-256 of each part and an Ed25519 signature. A board verifies all of it "
                + "before anything on it changes. The file appears atomically.", "",
                "Example:",
                "  pirt bundle --project examples/demo --main io.pirt.examples.demo.Demo --name demo --version 1.0.0"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the bundle was written", "1:it was not (a jar or the key cannot be read, a limit is exceeded)",
                "2:usage error (a bad name, version, class name or board id)"})
public final class BundleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    // no standard -V/--version here: --version is the application's version
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--jar", paramLabel = "JAR", required = true,
                description = "An application jar; repeat for its libraries.")
        List<Path> jars;

        @Option(names = "--project", paramLabel = "DIR", required = true,
                description = "A Maven project: the jars in DIR/target/ (sources, javadoc and test jars left out).")
        Path project;
    }

    @Option(names = "--lib", paramLabel = "JAR",
            description = "A library jar (a dependency that changes less often than the application; repeatable). It travels "
                    + "in the bundle as lib/NAME.jar (bundle format 2), and `pirt flash` sends it only to a board whose "
                    + "library cache lacks it (docs/bundle.md §3).")
    List<Path> libs = new java.util.ArrayList<>();

    @Option(names = "--main", paramLabel = "CLASS", required = true, description = "The class whose main starts the application.")
    String mainClass;

    @Option(names = "--name", paramLabel = "NAME", required = true, description = "The application's name, [A-Za-z0-9][A-Za-z0-9._-]*.")
    String name;

    @Option(names = "--version", paramLabel = "VERSION", required = true,
            description = "The application's version, MAJOR.MINOR.PATCH[-QUALIFIER]; a board refuses an older one than it has.")
    String version;

    @Option(names = "--boards", paramLabel = "ID", split = ",", defaultValue = "*",
            description = "Board profile ids it runs on, comma-separated (`pirt boards` lists them; default: ${DEFAULT-VALUE}, any board).")
    List<String> boards;

    @Option(names = "--priority", paramLabel = "P", defaultValue = "4",
            description = "Priority of the main thread, 1 (PRIO_LOWEST) .. 7 (PRIO_HIGHEST) (default: ${DEFAULT-VALUE}).")
    int priority;

    @Option(names = "--min-runtime", paramLabel = "VERSION", defaultValue = "0.1.0",
            description = "The oldest pirt runtime that can run it (default: ${DEFAULT-VALUE}).")
    String minRuntime;

    @Option(names = "--key", paramLabel = "PRIVATE_KEY",
            description = "The private key to sign with (`pirt keygen`); its public key is the .pub file beside it "
                    + "(default: ~/.pirt/signing.key).")
    Path key;

    @Option(names = "--public-key", paramLabel = "PUB", description = "The public key of --key, when it is not KEY's name with .pub.")
    Path publicKey;

    @Option(names = "--out", paramLabel = "FILE", description = "The bundle file to write (default: NAME-VERSION.pirt).")
    Path out;

    @Override
    public Integer call() throws ToolException {
        PrintWriter stdout = spec.commandLine().getOut();
        BundleManifest manifest;
        try {
            manifest = new BundleManifest(name, Version.parse(version), mainClass, boards, Version.parse(minRuntime), priority);
        } catch (IllegalArgumentException e) {
            throw new ToolException(ToolException.USAGE, "cannot make the manifest: " + e.getMessage());
        }
        List<Path> jars = source.jars != null ? source.jars : projectJars(source.project);
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) throw ToolException.failure("no such jar: " + jar);
        }
        for (Path jar : libs) {
            if (!Files.isRegularFile(jar)) throw ToolException.failure("no such library jar: " + jar + " (--lib)");
        }
        KeyPair signer = readKey();
        Path file = out != null ? out : Path.of(name + "-" + version + ".pirt");
        try {
            if (libs.isEmpty()) BundleWriter.write(file, manifest, jars, signer);
            else BundleWriter.writeWithLibraries(file, manifest, jars, libs, signer);
        } catch (IllegalArgumentException e) {
            throw new ToolException(ToolException.USAGE, e.getMessage());
        } catch (IOException e) {
            throw ToolException.failure("cannot write the bundle " + file + ": " + e.getMessage(), e);
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw ToolException.failure("the bundle " + file + " was written but cannot be read back: " + e.getMessage(), e);
        }
        stdout.println("bundle: " + file + " (" + size + " bytes; " + manifest.name() + " " + manifest.version()
                + ", main " + manifest.mainClass() + ", boards " + String.join(",", manifest.boards())
                + ", signed by key " + SigningKeys.keyId(signer.getPublic()) + ")");
        stdout.println("flash it with: pirt flash " + file);
        return 0;
    }

    private KeyPair readKey() throws ToolException {
        return SigningKeyFiles.read(key != null ? key : SigningKeyFiles.DEFAULT_PRIVATE_KEY, publicKey,
                key != null ? "--key" : "the default", "give --key FILE", "give it with --public-key FILE");
    }

    /** The application jars Maven built into {@code project/target}. */
    private static List<Path> projectJars(Path project) throws ToolException {
        Path target = project.resolve("target");
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(target, "*.jar")) {
            for (Path j : s) {
                String n = j.getFileName().toString();
                if (n.endsWith("-sources.jar") || n.endsWith("-javadoc.jar") || n.endsWith("-tests.jar")) continue;
                jars.add(j);
            }
        } catch (NoSuchFileException e) {
            throw ToolException.failure(target + " does not exist: build the project first (mvn package), or give --jar");
        } catch (IOException e) {
            throw ToolException.failure("cannot list " + target + ": " + e.getMessage(), e);
        }
        if (jars.isEmpty()) {
            throw ToolException.failure("no jar in " + target + ": build the project first (mvn package), or give --jar");
        }
        jars.sort(null);
        return jars;
    }
}
