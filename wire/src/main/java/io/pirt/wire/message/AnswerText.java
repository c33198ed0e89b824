package io.pirt.wire.message;

import java.time.Duration;
import java.util.Locale;

/**
 * The answers as a person reads them: the board's shell prints these, and so does the
 * {@code pirt} tool without {@code --json}. Wording may change freely: no program reads
 * this text (programs read the records). Stateless.
 */
public final class AnswerText {
    private AnswerText() {
    }

    /** The text of any answer record; {@code toString()} for a type this class does not know. */
    public static String of(Object answer) {
        return switch (answer) {
            case BoardInfo i -> info(i);
            case ThreadList t -> threads(t);
            case LogLines l -> String.join("\n", l.lines());
            case StoreSlots s -> slots(s);
            case Done d -> d.message();
            case PinLevel p -> p.pin() + "=" + (p.high() ? 1 : 0);
            case InstallVerdict v -> v.toString();
            case AuthChallenge c -> "challenge for " + c.board() + ": " + c.nonce();
            case TestRunStarted r -> "test run " + r.run() + " started";
            case TestRunStatus s -> "test run " + s.run() + ": " + s.events() + " events, " + (s.running() ? "running" : "ended");
            case CachedLibraries c -> c.have().size() + " of the libraries asked for are cached; " + c.usedBytes() + " of " + c.capacityBytes() + " bytes used";
            case TestLibraries l -> String.join("\n", l.jars()) + (l.directories().isEmpty() ? "" : "\n" + String.join("\n", l.directories()));
            case Refusal r -> "error: " + r.message();
            default -> answer.toString();
        };
    }

    private static String info(BoardInfo i) {
        Duration up = Duration.ofMillis(i.uptimeMs());
        BoardInfo.RunningBundle b = i.bundle();
        return String.join("\n",
                "board:       " + i.board() + " (" + i.boardName() + ")",
                "runtime:     pirt " + i.runtimeVersion() + " on Java " + i.javaVersion(),
                "scheduling:  " + i.scheduling() + " (" + i.schedulingDetail() + ")",
                "application: " + i.application().state() + ": " + i.application().detail(),
                "bundle:      " + (b == null ? "none" : b.name() + " " + b.version() + " (slot " + b.slot() + ", "
                        + (b.onTrial() ? "on trial" : "committed") + ")"),
                "uptime:      " + String.format(Locale.ROOT, "%dd %02d:%02d:%02d", up.toDays(), up.toHoursPart(), up.toMinutesPart(),
                        up.toSecondsPart()),
                "access:      " + (i.access() == null ? "not said (a runtime older than the access model: anyone at the port)" : i.access()));
    }

    private static String threads(ThreadList t) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-24s %8s %5s %9s  %s", "NAME", "IDENT", "PRIO", "EFFECTIVE", "STATE"));
        for (ThreadList.ThreadRow r : t.threads()) {
            out.append('\n').append(String.format(Locale.ROOT, "%-24s %8s %5d %9d  %s", r.name(), r.ident() < 0 ? "-" : Long.toString(r.ident()),
                    r.priority(), r.effective(), r.state()));
        }
        return out.toString();
    }

    private static String slots(StoreSlots s) {
        StringBuilder out = new StringBuilder();
        for (StoreSlots.SlotState slot : s.slots()) {
            out.append("slot ").append(slot.slot()).append(": ");
            if (slot.role() == StoreSlots.Role.FREE) {
                out.append("free");
            } else {
                out.append(switch (slot.role()) {
                    case COMMITTED -> "committed";
                    case TRIAL -> "on trial";
                    case PREVIOUS -> "previous, kept for rollback";
                    case FREE -> "free";
                }).append(", ").append(slot.name()).append(' ').append(slot.version())
                        .append(" (generation ").append(slot.generation()).append(')');
                if (slot.trialStartsLeft() != null) {
                    out.append(", ").append(slot.trialStartsLeft()).append(" trial start").append(slot.trialStartsLeft() == 1 ? "" : "s")
                            .append(" left");
                }
            }
            out.append('\n');
        }
        out.append("last rollback: ").append(s.lastRollback() == null ? "none" : s.lastRollback());
        return out.toString();
    }
}
