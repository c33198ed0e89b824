package io.pirt.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolJvmTest {
    @TempDir
    Path dir;

    /** A JDK home whose release file says {@code version}, with an executable bin/java. */
    private Path jdk(String name, String version) throws Exception {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Files.createFile(home.resolve("bin/java"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\nOS_NAME=\"Linux\"\n");
        return home;
    }

    @Test
    void mavenOnJava17WithoutAToolchainTakesTheNewestJdk21PlusItFinds() throws Exception {
        List<Path> homes = List.of(jdk("17", "17.0.15"), jdk("25", "25.0.1"), jdk("21", "21.0.5"), dir.resolve("not-a-jdk"));
        assertEquals(dir.resolve("25/bin/java").toString(), ToolJvm.choose(null, null, "/usr/lib/jvm/java-17", 17, homes));
    }

    @Test
    void theReleaseFileSaysTheFeatureRelease() throws Exception {
        assertEquals(25, ToolJvm.featureOf(jdk("a", "25")));
        assertEquals(21, ToolJvm.featureOf(jdk("b", "21.0.5")));
        assertEquals(8, ToolJvm.featureOf(jdk("c", "1.8.0_402")));
        assertEquals(-1, ToolJvm.featureOf(dir.resolve("nothing-here")));
    }

    private Path fakeJdk() throws Exception {
        Path java = dir.resolve("jdk/bin/java");
        Files.createDirectories(java.getParent());
        Files.createFile(java, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        return dir.resolve("jdk");
    }

    @Test
    void anExplicitJdkHomeOrJavaWinsOverEverything() throws Exception {
        Path home = fakeJdk();
        String java = home.resolve("bin/java").toString();
        assertEquals(java, ToolJvm.choose(home.toFile(), "/toolchain/bin/java", "/maven/jdk", 25, List.of()));
        assertEquals(java, ToolJvm.choose(new File(java), "/toolchain/bin/java", "/maven/jdk", 25, List.of()));
    }

    @Test
    void anExplicitPathWithoutJavaIsRefusedNamingIt() {
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> ToolJvm.choose(dir.toFile(), null, "/maven/jdk", 25, List.of()));
        assertTrue(e.getMessage().contains(dir.resolve("bin/java").toString()), e.getMessage());
    }

    @Test
    void theToolchainComesBeforeMavensOwnJvm() throws Exception {
        assertEquals("/toolchain/bin/java", ToolJvm.choose(null, "/toolchain/bin/java", "/maven/jdk", 25, List.of()));
    }

    @Test
    void mavensOwnJvmServesWhenItIsJava21OrNewer() throws Exception {
        assertEquals(Path.of("/maven/jdk/bin/java").toString(), ToolJvm.choose(null, null, "/maven/jdk", 21, List.of()));
    }

    @Test
    void mavenOnJava17WithoutAToolchainSaysWhatToDo() {
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> ToolJvm.choose(null, null, "/usr/lib/jvm/java-17", 17, List.of(jdk("old", "17.0.2"))));
        assertTrue(e.getMessage().contains("Maven runs on Java 17 (/usr/lib/jvm/java-17)"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("old").toString()), "names the homes it looked at: " + e.getMessage());
        assertTrue(e.getMessage().contains("select-jdk-toolchain"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dpirt.java="), e.getMessage());
    }
}
