package io.pirt.tools.flash;

import io.pirt.tools.client.TransferProgress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A transfer's progress on stderr: on a terminal one line rewritten in place
 * ({@code [#####.....]  45%  460.8/1024.0 KiB  11.2 KiB/s  ETA 0:50}); elsewhere (a log, a
 * pipe, CI) a plain line at each tenth of the way, so a log is not flooded. Not thread-safe:
 * the transfer reports on its own thread.
 */
public final class ProgressBar implements Consumer<TransferProgress> {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal;
    /** Tenths already printed in line mode; -1 before the first. */
    private int lastTenth = -1;
    /** Length of the line on screen, to blank what a shorter one leaves. */
    private int shown;

    public ProgressBar(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void accept(TransferProgress p) {
        String line = format(p);
        if (terminal) {
            err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
            shown = line.length();
        } else {
            int tenth = p.totalBytes() == 0 ? 10 : (int) (p.doneBytes() * 10 / p.totalBytes());
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            err.println(line);
        }
        err.flush();
    }

    /** Ends the bar's line (on a terminal), so what follows starts on a line of its own. */
    public void finish() {
        if (terminal && shown > 0) {
            err.println();
            err.flush();
            shown = 0;
        }
    }

    /** Resets line mode's tenths, e.g. after a reconnect, so the resumed transfer is reported again. */
    public void restart() {
        finish();
        lastTenth = -1;
    }

    static String format(TransferProgress p) {
        double fraction = p.totalBytes() == 0 ? 1 : (double) p.doneBytes() / p.totalBytes();
        int filled = (int) Math.round(fraction * WIDTH);
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %s/%s  %s/s  ETA %s", "#".repeat(filled), ".".repeat(WIDTH - filled),
                (int) Math.floor(fraction * 100), kib(p.doneBytes()), kib(p.totalBytes()),
                kib((long) p.bytesPerSecond()), p.etaMillis() < 0 ? "?" : duration(p.etaMillis()));
    }

    static String kib(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        return String.format(Locale.ROOT, "%.2f MiB", bytes / (1024.0 * 1024));
    }

    static String duration(long ms) {
        long s = (ms + 999) / 1000;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
