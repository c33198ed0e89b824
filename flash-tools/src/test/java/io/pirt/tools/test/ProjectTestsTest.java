package io.pirt.tools.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.tools.ToolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code pirt test} finds a project's tests, what it says when they are not compiled, and where the reports go. */
class ProjectTestsTest {
    @TempDir
    Path dir;

    /** top/pom.xml lists examples, examples/pom.xml lists hello: a build like this repository's. */
    private Path reactor() throws Exception {
        Path hello = Files.createDirectories(dir.resolve("top/examples/hello"));
        Files.writeString(dir.resolve("top/pom.xml"), "<project><modules><module>lib</module><module>examples</module></modules></project>");
        Files.writeString(dir.resolve("top/examples/pom.xml"), "<project><modules>\n  <module> hello </module>\n</modules></project>");
        Files.writeString(hello.resolve("pom.xml"), "<project><parent><artifactId>examples</artifactId></parent>"
                + "<!-- <artifactId>not-this</artifactId> --><artifactId>hello-app</artifactId></project>");
        return hello;
    }

    @Test
    void aModuleOfABuildIsCompiledFromTheTopOfIt() throws Exception {
        Path hello = reactor();
        ToolException e = assertThrows(ToolException.class, () -> ProjectTests.resolve(hello, List.of()));
        assertTrue(e.getMessage().contains("mvn -f " + dir.resolve("top/pom.xml").toAbsolutePath() + " -pl examples/hello -am test-compile"),
                e.getMessage());
    }

    @Test
    void aProjectOnItsOwnIsCompiledWithItsPom() throws Exception {
        Path alone = Files.createDirectories(dir.resolve("alone"));
        Files.writeString(alone.resolve("pom.xml"), "<project/>");
        ToolException e = assertThrows(ToolException.class, () -> ProjectTests.resolve(alone, List.of()));
        assertTrue(e.getMessage().contains("mvn -f " + alone.resolve("pom.xml").toAbsolutePath() + " test-compile"), e.getMessage());
        ToolException missing = assertThrows(ToolException.class,
                () -> ProjectTests.resolve(alone.resolve("target/test-classes"), List.of()));
        assertTrue(missing.getMessage().contains("test-compile"), missing.getMessage());
    }

    @Test
    void reportsGoToTheProjectsTargetWhateverTheWorkingDirectory() throws Exception {
        Path hello = reactor();
        Path reports = hello.toAbsolutePath().resolve("target/pirt-reports");
        assertEquals(reports, ProjectTests.defaultReports(hello));
        assertEquals(reports, ProjectTests.defaultReports(hello.resolve("target/test-classes")));
        assertEquals(reports, ProjectTests.defaultReports(hello.resolve("target/hello-tests.jar")));
        assertEquals(Path.of("target/pirt-reports"), ProjectTests.defaultReports(dir.resolve("loose/tests.jar")));
    }

    @Test
    void aModulesClassFolderIsNamedAfterItsArtifact() throws Exception {
        Path hello = reactor();
        Path classes = Files.createDirectories(hello.resolve("target/classes"));
        assertEquals("hello-app", ProjectTests.artifactIdOf(classes));
        assertNull(ProjectTests.artifactIdOf(Files.createDirectories(dir.resolve("plain/classes"))));
    }
}
