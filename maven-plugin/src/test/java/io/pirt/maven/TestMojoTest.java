package io.pirt.maven;

import static io.pirt.maven.TestArtifacts.jar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestMojoTest {
    @TempDir
    Path dir;

    private TestMojo mojo() {
        TestMojo m = new TestMojo();
        m.testClasses = dir.resolve("target/test-classes").toFile();
        m.classes = dir.resolve("target/classes").toFile();
        m.reports = dir.resolve("target/pirt-reports").toFile();
        m.virtualBoardDirectory = dir.resolve("target/pirt-virtual-board").toFile();
        return m;
    }

    private String path(String p) {
        return dir.resolve(p).toString();
    }

    @Test
    void onARealBoardThePortAndKeyAreGivenAndTheTestClassesComeLast() {
        TestMojo m = mojo();
        m.port = "/dev/ttyACM0";
        m.key = new File("/keys/ci.key");
        m.publicKey = new File("/keys/ci-public.pem");
        m.baud = 921600;
        m.timeout = "120s";
        m.showOutput = true;
        assertFalse(m.onVirtualBoard());
        List<String> args = m.arguments(List.of(new File("/p/target/classes"), new File("/repo/junit-jupiter-api.jar")));
        assertEquals(List.of("test", "--port", "/dev/ttyACM0", "--key", "/keys/ci.key", "--public-key", "/keys/ci-public.pem",
                "--baud", "921600", "--timeout", "120s", "--reports", path("target/pirt-reports"), "--show-output",
                "--classpath", "/p/target/classes", "--classpath", "/repo/junit-jupiter-api.jar",
                path("target/test-classes")), args);
    }

    @Test
    void withoutAPortNeitherPortNorKeyIsGivenTheVirtualBoardBringsThem() {
        TestMojo m = mojo();
        m.key = new File("/keys/ci.key"); // for real boards only: a fresh virtual board trusts its own key
        assertTrue(m.onVirtualBoard());
        assertEquals(List.of("test", "--reports", path("target/pirt-reports"), path("target/test-classes")), m.arguments(List.of()));
    }

    @Test
    void tagsAndSelectionsAreRepeatedOptions() {
        TestMojo m = mojo();
        m.includeTags = List.of("board", "fast");
        m.excludeTags = List.of("slow");
        m.select = List.of("com.example.BlinkTest", "com.example.UartTest#echoes", " ");
        assertEquals(List.of("test", "--reports", path("target/pirt-reports"),
                "--include-tag", "board", "--include-tag", "fast", "--exclude-tag", "slow",
                "--select", "com.example.BlinkTest", "--select", "com.example.UartTest#echoes",
                path("target/test-classes")), m.arguments(List.of()));
    }

    @Test
    void theClasspathIsTheProjectsClassesThenEveryTestDependencyTheToolLeavesOutWhatTheBoardHas() throws Exception {
        TestMojo m = mojo();
        Files.createDirectories(m.classes.toPath());
        m.project = new MavenProject();
        m.project.setArtifacts(new LinkedHashSet<>(List.of(
                jar("io.pirt:pirt-threading", "provided"),
                jar("io.pirt:pirt-hal", "provided"),
                jar("net.java.dev.jna:jna", "provided", "io.pirt:pirt-threading"),
                jar("org.junit.jupiter:junit-jupiter-api", "test", "org.junit.jupiter:junit-jupiter"),
                jar("com.google.code.gson:gson", "compile"))));
        assertEquals(List.of(m.classes, new File("/repo/pirt-threading.jar"), new File("/repo/pirt-hal.jar"),
                new File("/repo/jna.jar"), new File("/repo/junit-jupiter-api.jar"), new File("/repo/gson.jar")), m.classpath());
    }

    @Test
    void skipTestsAndNoTestClassesRunNothing() throws Exception {
        // plugin, toolchains and project are null: reaching the tool would throw
        TestMojo m = mojo();
        m.skipTests = true;
        m.execute();
        m = mojo();
        m.mavenTestSkip = true;
        m.execute();
        mojo().execute(); // no target/test-classes
        m = mojo();
        m.skip = true;
        Files.createDirectories(m.testClasses.toPath());
        m.execute();
    }
}
