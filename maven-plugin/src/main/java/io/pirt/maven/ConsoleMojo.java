package io.pirt.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code pirt:console}: the board's console on {@code pirt.port} in this terminal, through
 * {@code pirt console} (docs/tool.md): the board's output streams here, each line typed goes
 * to its shell; Ctrl-] then Enter, or Ctrl-D, leaves. Bound to no phase:
 * {@code mvn pirt:console -Dpirt.port=/dev/ttyACM0}.
 */
@Mojo(name = "console", requiresProject = false, threadSafe = true)
public final class ConsoleMojo extends AbstractPirtMojo {
    /** The board's serial port, e.g. /dev/ttyACM0; `pirt ports` lists them. */
    @Parameter(property = "pirt.port")
    String port;

    /** The UART's rate; default: the tool's (115200). A USB gadget port ignores it. */
    @Parameter(property = "pirt.baud")
    Integer baud;

    /** Also append every line the board prints to this file. */
    @Parameter(property = "pirt.consoleLog")
    File log;

    @Override
    String command() {
        return "console";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        runTool(arguments(), true);
    }

    /** {@code pirt console ...}. */
    List<String> arguments() throws MojoExecutionException {
        if (port == null || port.isBlank()) throw noPort();
        List<String> a = new ArrayList<>(List.of("console", "--port", port));
        if (baud != null) a.addAll(List.of("--baud", baud.toString()));
        if (log != null) a.addAll(List.of("--log", log.getPath()));
        return a;
    }
}
