package io.pirt.runtime;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.ProfileException;
import io.pirt.runtime.doctor.Doctor;
import io.pirt.wire.message.AnswerText;
import io.pirt.wire.message.DoctorReport;
import io.pirt.wire.message.Messages;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pirt-runtime doctor} (on the board also {@code pirt doctor}): checks the board's setup
 * and prints a table, or the report as JSON (docs/tool.md, "pirt doctor").
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check this board's setup for pirt: board profile, 64-bit userland, Java, kernel, real-time permission, "
                + "GPIO chip, I2C, SPI and PWM, console and its boot configuration, memory, CPU latency device; each with what to do.",
                "", "Paste its output into a bug report."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:no check failed (some may warn)", "1:a check failed", "2:usage error"})
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/", description = "Read every file (proc, sys, boot, etc, dev) under DIR "
            + "instead of / (default: ${DEFAULT-VALUE}; DIR/dev-listing.txt, the output of ls -l /dev, stands for the device nodes).")
    Path root;

    @Option(names = "--board", paramLabel = "ID", description = "Check against this board profile instead of the detected one.")
    String boardId;

    @Option(names = "--board-file", paramLabel = "PATH", description = "Check against this board profile file (a custom carrier board).")
    Path boardFile;

    @Option(names = "--json", description = "Print the report as JSON (DoctorReport, docs/protocol.md).")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<BoardProfile> profile;
        String source;
        try {
            profile = Main.givenProfile(boardFile, boardId);
            source = boardFile != null ? "--board-file " + boardFile : "--board " + boardId;
        } catch (ProfileException e) {
            spec.commandLine().getErr().println("pirt doctor: " + e.getMessage());
            return 2;
        }
        // The heap checked against memory: what the runtime would choose from the profile, unless PIRT_OPTS overrides it.
        DoctorReport report = Doctor.examine(new Doctor.Setup(root, profile, source, Optional.empty(), OptionalLong.empty(),
                Optional.empty()));
        String text = json ? Messages.pretty(report) : AnswerText.of(report);
        out.println(text);
        out.flush();
        return report.anyFailed() ? 1 : 0;
    }
}
