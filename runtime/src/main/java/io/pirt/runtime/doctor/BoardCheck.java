package io.pirt.runtime.doctor;

import io.pirt.boards.BoardDetector;
import io.pirt.boards.BoardProfile;
import io.pirt.boards.Detection;
import io.pirt.wire.message.DoctorReport;

/** The board's device-tree model and the profile pirt uses for it. */
final class BoardCheck extends Check {
    BoardCheck() {
        super("board", "board and profile");
    }

    @Override
    DoctorReport.Check run(Examination e) {
        if (e.detectionFailure().isPresent()) {
            if (e.profile().isPresent()) {
                BoardProfile p = e.profile().get();
                return ok("profile " + p.id() + " (" + p.name() + ", " + e.profileSource() + "); the model matches no built-in profile: "
                        + e.detectionFailure().get());
            }
            return fail(e.detectionFailure().get(), "write a board profile for this board (docs/board-profiles.md; it may extend a "
                    + "built-in one), then add --board-file /etc/pirt/board.yaml to PIRT_OPTS in /etc/pirt/pirt.conf and run "
                    + "pirt doctor --board-file /etc/pirt/board.yaml");
        }
        Detection d = e.detection().orElseThrow();
        BoardProfile p = e.profile().orElseThrow();
        String model = d.model().map(m -> "model \"" + m + "\"").orElse("no device-tree model");
        if (e.profileSource().equals("detected")) {
            if (p.id().equals(BoardDetector.VIRTUAL_ID)) {
                return ok(model + ": the virtual board (simulated GPIO; no hardware to check)");
            }
            return ok(model + " (" + d.modelFile().map(f -> "/" + e.files().root().relativize(f)).orElse("") + "): profile " + p.id()
                    + " (" + p.name() + ")");
        }
        if (!d.profile().id().equals(p.id()) && !d.profile().id().equals(BoardDetector.VIRTUAL_ID)
                && !p.extendsId().map(d.profile().id()::equals).orElse(false)) {
            return warn(model + " matches profile " + d.profile().id() + ", but the checks use " + p.id() + " (" + e.profileSource() + ")",
                    "if this board is a " + d.profile().name() + ", drop the --board option (detection picks " + d.profile().id()
                            + "); else keep it (a custom carrier board)");
        }
        return ok(model + ": profile " + p.id() + " (" + p.name() + ", " + e.profileSource() + ")");
    }
}
