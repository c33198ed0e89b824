package io.pirt.tools.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.tools.client.TransferProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The progress bar's two faces: one rewritten line on a terminal, a line per tenth elsewhere. */
class ProgressBarTest {
    @Test
    void formatShowsBytesRateAndEta() {
        assertEquals("[###############...............]  50%  512.0 KiB/1.00 MiB  11.3 KiB/s  ETA 0:46",
                ProgressBar.format(new TransferProgress(512 * 1024, 1024 * 1024, 11520, 45_511)));
        assertTrue(ProgressBar.format(new TransferProgress(0, 10, 0, -1)).endsWith("ETA ?"));
    }

    @Test
    void onATerminalOneLineIsRewrittenInPlace() {
        StringWriter w = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(w), true);
        for (int i = 0; i <= 100; i += 5) bar.accept(new TransferProgress(i, 100, 10, 1000));
        bar.finish();
        assertEquals(1, w.toString().split("\n", -1).length - 1, "one line end, at the finish");
        assertEquals(21, w.toString().chars().filter(c -> c == '\r').count());
    }

    @Test
    void elsewhereALinePerTenth() {
        StringWriter w = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(w), false);
        for (int i = 0; i <= 100; i++) bar.accept(new TransferProgress(i, 100, 10, 1000));
        assertEquals(11, w.toString().lines().count(), w.toString());
        assertTrue(!w.toString().contains("\r"));
    }
}
