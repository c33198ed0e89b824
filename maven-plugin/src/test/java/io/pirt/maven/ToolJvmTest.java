package io.pirt.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolJvmTest {
    @TempDir
    Path dir;

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
        assertEquals(java, ToolJvm.choose(home.toFile(), "/toolchain/bin/java", "/maven/jdk", 25));
        assertEquals(java, ToolJvm.choose(new File(java), "/toolchain/bin/java", "/maven/jdk", 25));
    }

    @Test
    void anExplicitPathWithoutJavaIsRefusedNamingIt() {
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> ToolJvm.choose(dir.toFile(), null, "/maven/jdk", 25));
        assertTrue(e.getMessage().contains(dir.resolve("bin/java").toString()), e.getMessage());
    }

    @Test
    void theToolchainComesBeforeMavensOwnJvm() throws Exception {
        assertEquals("/toolchain/bin/java", ToolJvm.choose(null, "/toolchain/bin/java", "/maven/jdk", 25));
    }

    @Test
    void mavensOwnJvmServesWhenItIsJava21OrNewer() throws Exception {
        assertEquals(Path.of("/maven/jdk/bin/java").toString(), ToolJvm.choose(null, null, "/maven/jdk", 21));
    }

    @Test
    void mavenOnJava17WithoutAToolchainSaysWhatToDo() {
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> ToolJvm.choose(null, null, "/usr/lib/jvm/java-17", 17));
        assertTrue(e.getMessage().contains("Maven runs on Java 17 (/usr/lib/jvm/java-17)"), e.getMessage());
        assertTrue(e.getMessage().contains("select-jdk-toolchain"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dpirt.java="), e.getMessage());
    }
}
