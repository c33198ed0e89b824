package io.pirt.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code pirt:flash}: sends the bundle {@code pirt:bundle} made to the board on
 * {@code pirt.port} and waits for its verdict, through {@code pirt flash} (docs/tool.md).
 * Bound to no phase: {@code mvn package pirt:flash -Dpirt.port=/dev/ttyACM0}. The build fails
 * when the board refuses the bundle (exit 3) or rolls it back (exit 4).
 */
@Mojo(name = "flash", threadSafe = true)
public final class FlashMojo extends AbstractPirtMojo {
    /** The board's serial port, e.g. /dev/ttyACM0; `pirt ports` lists them. */
    @Parameter(property = "pirt.port")
    String port;

    /** The UART's rate; default: the tool's (115200). A USB gadget port ignores it. */
    @Parameter(property = "pirt.baud")
    Integer baud;

    /** The bundle to flash. */
    @Parameter(property = "pirt.bundle", defaultValue = "${project.build.directory}/${project.artifactId}-${project.version}.pirt",
            required = true)
    File bundle;

    @Override
    String command() {
        return "flash";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        if (!bundle.isFile()) {
            throw new MojoExecutionException("no bundle at " + bundle + ": make it with pirt:bundle in the same run "
                    + "(`mvn package pirt:flash` when pirt:bundle is bound in the pom, else `mvn package pirt:bundle pirt:flash`), "
                    + "or name one with -Dpirt.bundle=FILE");
        }
        runTool(arguments(), false);
    }

    /** {@code pirt flash ...}. */
    List<String> arguments() throws MojoExecutionException {
        if (port == null || port.isBlank()) throw noPort();
        List<String> a = new ArrayList<>(List.of("flash", "--port", port));
        if (baud != null) a.addAll(List.of("--baud", baud.toString()));
        a.add(bundle.getPath());
        return a;
    }
}
