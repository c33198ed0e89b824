package io.pirt.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleMojoTest {
    @TempDir
    Path dir;

    private static BundleMojo mojo() {
        BundleMojo m = new BundleMojo();
        m.mainClass = "com.example.App";
        m.name = "app";
        m.version = "1.2.3";
        m.bundle = new File("/p/target/app-1.2.3.pirt");
        return m;
    }

    @Test
    void theProjectsJarComesFirstThenItsLibrariesAndWhatIsNotSetIsLeftToTheTool() {
        List<String> args = mojo().arguments(List.of(new File("/p/target/app-1.2.3.jar"), new File("/repo/gson.jar")));
        assertEquals(List.of("bundle", "--jar", "/p/target/app-1.2.3.jar", "--lib", "/repo/gson.jar",
                "--main", "com.example.App", "--name", "app", "--version", "1.2.3",
                "--out", "/p/target/app-1.2.3.pirt"), args);
    }

    @Test
    void everyParameterBecomesItsOption() {
        BundleMojo m = mojo();
        m.boards = List.of("rpi-4b", "virtual");
        m.priority = 6;
        m.minRuntime = "0.2.0";
        m.key = new File("/keys/ci.key");
        m.publicKey = new File("/keys/ci-public.pem");
        List<String> args = m.arguments(List.of(new File("/p/app.jar")));
        assertEquals(List.of("bundle", "--jar", "/p/app.jar", "--main", "com.example.App", "--name", "app",
                "--version", "1.2.3", "--boards", "rpi-4b,virtual", "--priority", "6", "--min-runtime", "0.2.0",
                "--key", "/keys/ci.key", "--public-key", "/keys/ci-public.pem", "--out", "/p/target/app-1.2.3.pirt"), args);
    }

    @Test
    void createKeyMakesTheMissingKeyPairBesideWhereTheKeyIsExpected() throws Exception {
        BundleMojo m = mojo();
        m.key = dir.resolve("keys/dev.key").toFile();
        assertEquals(List.of("keygen", "--out", dir.resolve("keys").toString(), "--name", "dev"), m.keygenArguments());
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("keys/dev.key"), "a key");
        assertNull(m.keygenArguments(), "an existing key is never made again");
    }

    @Test
    void createKeyRefusesAKeyFileNotNamedDotKey() {
        BundleMojo m = mojo();
        m.key = dir.resolve("dev.pem").toFile();
        MojoExecutionException e = assertThrows(MojoExecutionException.class, m::keygenArguments);
        assertTrue(e.getMessage().contains("must end in .key"), e.getMessage());
    }
}
