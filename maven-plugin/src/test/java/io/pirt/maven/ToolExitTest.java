package io.pirt.maven;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

class ToolExitTest {
    @Test
    void zeroIsSuccess() {
        assertDoesNotThrow(() -> ToolExit.check("flash", 0, "pirt: ignored"));
    }

    @Test
    void aFailureTheToolExplainsFailsTheBuildWithItsReason() {
        MojoFailureException e = assertThrows(MojoFailureException.class,
                () -> ToolExit.check("flash", 1, "pirt: no such port /dev/ttyACM9: is the board plugged in?"));
        assertTrue(e.getMessage().startsWith("pirt flash failed: pirt: no such port /dev/ttyACM9"), e.getMessage());
    }

    @Test
    void aUsageErrorIsAConfigurationError() {
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> ToolExit.check("bundle", 2, "pirt: cannot make the manifest: bad version 1.0"));
        assertTrue(e.getMessage().contains("pirt.* parameters"), e.getMessage());
        assertTrue(e.getMessage().contains("bad version 1.0"), e.getMessage());
    }

    @Test
    void refusedAndRolledBackAreFailuresThatSaySo() {
        MojoFailureException refused = assertThrows(MojoFailureException.class,
                () -> ToolExit.check("flash", 3, "pirt: the board refused the bundle: not signed by a trusted key"));
        assertTrue(refused.getMessage().contains("refused the bundle (exit 3)"), refused.getMessage());
        assertTrue(refused.getMessage().contains("not signed by a trusted key"), refused.getMessage());
        MojoFailureException rolledBack = assertThrows(MojoFailureException.class,
                () -> ToolExit.check("flash", 4, "pirt: rolled back: the application exited during its trial"));
        assertTrue(rolledBack.getMessage().contains("rolled the bundle back (exit 4)"), rolledBack.getMessage());
    }

    @Test
    void anyOtherCodeIsTheJvmFailing() {
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> ToolExit.check("test", 134, "# A fatal error has been detected by the Java Runtime Environment"));
        assertTrue(e.getMessage().contains("exit code 134"), e.getMessage());
    }
}
