package io.pirt.tools.board;

import io.pirt.wire.message.DoctorReport;
import picocli.CommandLine.Command;

/** {@code pirt doctor --port P}: the board's {@code doctor} checks, over the wire protocol. */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check the board's setup for pirt: board profile, 64-bit userland, Java, kernel, real-time permission, GPIO chip, "
                + "I2C, SPI and PWM, console and its boot configuration, memory, CPU latency device; each with what to do.", "",
                "--json prints the board's answer record (DoctorReport, docs/protocol.md). On the board itself: pirt doctor."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:no check failed (some may warn)",
                "1:a check failed, or no such port, port busy, the board did not answer", OneShot.EXIT_USAGE})
public final class DoctorCommand extends OneShot {
    @Override
    io.pirt.wire.message.Command command() {
        return io.pirt.wire.message.Command.DOCTOR;
    }

    @Override
    int exitCode(Object answer) {
        return answer instanceof DoctorReport r && r.anyFailed() ? 1 : 0;
    }
}
