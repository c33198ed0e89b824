package io.pirt.threading;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A PM QoS request for CPU wake-up latency, held while at least one holder needs it: the
 * Linux interface is to write the wanted latency in microseconds (a native 32-bit integer)
 * to {@code /dev/cpu_dma_latency} and keep the file open; closing it withdraws the request.
 * With latency 0 idle CPUs stay out of deep C-states, whose exit costs tens of microseconds
 * on every wake-up, as cyclictest does for its measurements.
 *
 * <p>Failures (no such file, not permitted) never stop a thread: each is reported once
 * through the reporter, and the hold is not tried again until every holder has left.
 * Thread-safe.
 */
final class CpuLatencyHold {
    static final Path DEVICE = Path.of("/dev/cpu_dma_latency");

    private final Path device;
    private final int latencyUs;
    private final Consumer<String> report;
    /** Holders now; the file is open while this is above 0 and the open worked. Guarded by this. */
    private int holders;
    /** The open request, or null. Guarded by this. */
    private FileOutputStream request;

    CpuLatencyHold(Path device, int latencyUs, Consumer<String> report) {
        if (latencyUs < 0) throw new IllegalArgumentException("latency " + latencyUs + " µs is negative");
        this.device = device;
        this.latencyUs = latencyUs;
        this.report = report;
    }

    /** One more holder; the first opens the request. */
    synchronized void acquire() {
        if (holders++ > 0) return;
        FileOutputStream out = null;
        try {
            out = new FileOutputStream(device.toFile());
            out.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(latencyUs).array());
            out.flush();
            request = out;
        } catch (IOException e) {
            report.accept("cannot hold the CPU latency at " + latencyUs + " µs through " + device + ": " + e.getMessage()
                    + " (idle CPUs may wake real-time threads later; run as root or give the process write access to " + device
                    + ", or set pirt.rt.dmaLatency=off)");
            closeAfterFailure(out, e);
        }
    }

    /** One holder fewer; the last closes the request. */
    synchronized void release() {
        if (holders == 0) throw new IllegalStateException("CPU latency hold released more often than acquired");
        if (--holders > 0 || request == null) return;
        try {
            request.close();
        } catch (IOException e) {
            report.accept("closing " + device + " (the CPU latency request) failed: " + e.getMessage());
        }
        request = null;
    }

    /** Whether the request is open now (tests). */
    synchronized boolean held() {
        return request != null;
    }

    private void closeAfterFailure(FileOutputStream out, IOException first) {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException e) {
            first.addSuppressed(e);
            report.accept("closing " + device + " after a failed write failed too: " + e.getMessage());
        }
    }
}
