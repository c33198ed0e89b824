package io.pirt.maven;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * The tool's exit codes (docs/tool.md) as Maven's two kinds of failure: a usage error (2)
 * means the goal's configuration is wrong, a {@link MojoExecutionException} (BUILD ERROR);
 * a failure the tool explains (1: port, board, file, failing tests; 3: the board refused the
 * bundle; 4: it rolled it back) is a {@link MojoFailureException} (BUILD FAILURE); any other
 * code means the tool's JVM itself failed, a {@link MojoExecutionException}. Each message
 * carries the tool's own reason.
 */
final class ToolExit {
    private ToolExit() {
    }

    /**
     * Returns when {@code code} is 0; else throws the failure it means.
     *
     * @param command     the tool's command ({@code flash}), for the message
     * @param toolMessage what the tool said on stderr ({@link ForkedTool.Result#message()})
     */
    static void check(String command, int code, String toolMessage) throws MojoExecutionException, MojoFailureException {
        String head = "pirt " + command;
        switch (code) {
            case 0:
                return;
            case 1:
                throw new MojoFailureException(head + " failed: " + toolMessage);
            case 2:
                throw new MojoExecutionException(head + " was given a bad option or value (the tool's usage error, exit 2); "
                        + "check the goal's pirt.* parameters: " + toolMessage);
            case 3:
                throw new MojoFailureException(head + ": the board refused the bundle (exit 3): " + toolMessage);
            case 4:
                throw new MojoFailureException(head + ": the board rolled the bundle back (exit 4); the previous "
                        + "application runs: " + toolMessage);
            default:
                throw new MojoExecutionException(head + ": the tool's JVM ended with exit code " + code + ": " + toolMessage);
        }
    }
}
