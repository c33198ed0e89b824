package io.pirt.wire.message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

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
            case PwmStates p -> pwm(p);
            case InstallVerdict v -> v.toString();
            case AuthChallenge c -> "challenge for " + c.board() + ": " + c.nonce();
            case TestRunStarted r -> "test run " + r.run() + " started";
            case TestRunStatus s -> "test run " + s.run() + ": " + s.events() + " events, " + (s.running() ? "running" : "ended");
            case CachedLibraries c -> c.have().size() + " of the libraries asked for are cached; " + c.usedBytes() + " of " + c.capacityBytes() + " bytes used";
            case TestLibraries l -> String.join("\n", l.jars()) + (l.directories().isEmpty() ? "" : "\n" + String.join("\n", l.directories()));
            case DoctorReport r -> doctor(r);
            case Refusal r -> "error: " + r.message();
            default -> answer.toString();
        };
    }

    private static String realtime(BoardInfo.Realtime r) {
        if (r == null) return "not reported by this runtime";
        return "application levels at SCHED_FIFO " + r.priorities() + ", "
                + (r.cpus().isEmpty() ? "not pinned" : "pinned to CPUs " + r.cpus()) + ", "
                + (r.dmaLatencyUs() < 0 ? "no CPU latency asked" : "CPU latency held at " + r.dmaLatencyUs() + " µs while they run");
    }

    private static String info(BoardInfo i) {
        Duration up = Duration.ofMillis(i.uptimeMs());
        BoardInfo.RunningBundle b = i.bundle();
        return String.join("\n",
                "board:       " + i.board() + " (" + i.boardName() + ")",
                "runtime:     pirt " + i.runtimeVersion() + " on Java " + i.javaVersion(),
                "scheduling:  " + i.scheduling() + " (" + i.schedulingDetail() + ")",
                "realtime:    " + realtime(i.realtime()),
                "app JVM:     " + (i.appJvm() == null ? "not reported by this runtime"
                        : String.join(" ", i.appJvm().flags()) + " (" + i.appJvm().why() + ")"),
                "application: " + i.application().state() + ": " + i.application().detail(),
                "bundle:      " + (b == null ? "none" : b.name() + " " + b.version() + " (slot " + b.slot() + ", "
                        + (b.onTrial() ? "on trial" : "committed") + ")"),
                "uptime:      " + String.format(Locale.ROOT, "%dd %02d:%02d:%02d", up.toDays(), up.toHoursPart(), up.toMinutesPart(),
                        up.toSecondsPart()),
                "access:      " + (i.access() == null ? "not said (a runtime older than the access model: anyone at the port)" : i.access()));
    }

    private static String threads(ThreadList t) {
        boolean periodic = t.threads().stream().anyMatch(r -> r.periodic() != null);
        List<String> lines = new ArrayList<>();
        String header = String.format(Locale.ROOT, "%-24s %8s %5s %9s  %-8s", "NAME", "IDENT", "PRIO", "EFFECTIVE", "STATE");
        if (periodic) header += String.format(Locale.ROOT, " %10s %9s %9s %9s %8s", "PERIOD_US", "WAKE-UPS", "P99_US", "MAX_US", "OVERRUNS");
        lines.add(header);
        for (ThreadList.ThreadRow r : t.threads()) {
            String row = String.format(Locale.ROOT, "%-24s %8s %5d %9d  %-8s", r.name(), r.ident() < 0 ? "-" : Long.toString(r.ident()),
                    r.priority(), r.effective(), r.state());
            ThreadList.Periodic p = r.periodic();
            if (p != null) {
                row += String.format(Locale.ROOT, " %10d %9d %9.1f %9.1f %8d", p.periodMicros(), p.wakeUps(),
                        p.p99LatenessNanos() / 1000.0, p.maxLatenessNanos() / 1000.0, p.overruns());
            }
            lines.add(row);
        }
        return lines.stream().map(String::stripTrailing).collect(Collectors.joining("\n"));
    }

    /** A line per channel, its recent changes under it, oldest first, with how long ago. */
    private static String pwm(PwmStates p) {
        List<String> lines = new ArrayList<>();
        if (!p.simulated()) {
            lines.add(p.channels().isEmpty() ? "no PWM channel is open (on a real board pirt sees the channels the application has open)"
                    : "PWM channels the application has open (a real board keeps no timeline):");
        }
        for (PwmStates.Channel c : p.channels()) {
            lines.add(c.name() + " on " + c.pin() + ": " + (c.open() ? "" : "not open, ") + output(c.periodNs(), c.dutyNs(), c.enabled())
                    + " (" + c.dutyNs() + " of " + c.periodNs() + " ns)");
            if (c.earlierChanges() > 0) lines.add("  (" + c.earlierChanges() + " earlier change" + (c.earlierChanges() == 1 ? "" : "s") + ")");
            for (PwmStates.Change change : c.recent()) {
                lines.add(String.format(Locale.ROOT, "  %9.3f s ago  ", change.agoNs() / 1e9) + output(change.periodNs(), change.dutyNs(), change.enabled()));
            }
        }
        return String.join("\n", lines);
    }

    /** "on, 25000 Hz, duty 40.0 %". */
    private static String output(long periodNs, long dutyNs, boolean enabled) {
        double hz = 1e9 / periodNs;
        return (enabled ? "on" : "off") + ", " + String.format(Locale.ROOT, hz == Math.rint(hz) ? "%.0f" : "%.3f", hz) + " Hz, duty "
                + String.format(Locale.ROOT, "%.1f", 100.0 * dutyNs / periodNs) + " %";
    }

    /** One line per check (verdict, title, what was found); the advice indented under a line that is not OK. */
    private static String doctor(DoctorReport r) {
        List<String> lines = new ArrayList<>();
        lines.add("pirt doctor: board " + r.board() + ", files under " + r.root());
        int width = r.checks().stream().mapToInt(c -> c.title().length()).max().orElse(0);
        for (DoctorReport.Check c : r.checks()) {
            lines.add(String.format(Locale.ROOT, "%-4s  %-" + width + "s  %s", c.verdict(), c.title(), c.found()));
            if (c.verdict() != DoctorReport.Verdict.OK && !c.advice().isEmpty()) {
                for (String advice : c.advice().split("\n")) lines.add("      -> " + advice);
            }
        }
        long failed = r.checks().stream().filter(c -> c.verdict() == DoctorReport.Verdict.FAIL).count();
        long warned = r.checks().stream().filter(c -> c.verdict() == DoctorReport.Verdict.WARN).count();
        lines.add(failed + " failed, " + warned + " warned, of " + r.checks().size() + " checks");
        return String.join("\n", lines);
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
