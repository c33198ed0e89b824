package io.pirt.virtualboard;

import io.pirt.virtualboard.PseudoTerminal;
import io.pirt.threading.Thread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A serial cable between the virtual board and the host: two pseudo-terminals joined by a
 * relay. The board's runtime opens {@link #boardPort()}, the host's tool opens
 * {@link #hostPort()}, each with jSerialComm exactly as on real hardware. Both are stable
 * symbolic links to the current pseudo-terminals, so a replug (a new pseudo-terminal) keeps
 * the path.
 *
 * <p>A cable made with a baud rate behaves like a UART line: the relay reads the rate each
 * end set on its terminal (jSerialComm's {@code setBaudRate}, {@link PseudoTerminal#baud()}),
 * paces each direction at the sending end's rate (10 bit times a byte: 8N1), and when the
 * receiving end listens at another rate delivers what a UART sampling at that rate would
 * read: garbage, often {@code 0x00} (see {@link #resample}). So two ends that switch rates
 * together go faster, and one that switches alone hears noise, as on real hardware.
 * {@link #maxBaud(int)} makes a cable that cannot carry high rates (a long or poor cable, a
 * level shifter): bytes sent faster arrive corrupted. A cable made with baud 0 carries bytes
 * as fast as the terminals go and ignores their rates. The relay also injects the
 * {@link CableFaults} it is given. {@link #cut()} stops the
 * line (bytes are lost, as on a pulled cable) until {@link #reconnect()};
 * {@link #replugHost()} and {@link #replugBoard()} close one end's terminal and open a new one,
 * as a USB replug does. {@link #stopHostReading()} makes the host end stop reading, as a USB
 * gadget port ({@code /dev/ttyGS0}) with no host attached: the relay takes nothing more from
 * the board, the board's terminal buffer fills, and the board's writes then block while its
 * port stays open, until {@link #resumeHostReading()}. Thread-safe.
 */
public final class VirtualCable implements AutoCloseable {
    private final Path dir;
    private final Path boardLink;
    private final Path hostLink;
    /**
     * How far the relay may fall behind the line's schedule and catch up. A relay that wakes
     * up late (a park overshoots by tens of microseconds, more on a loaded machine) would
     * otherwise lose that time on every chunk: 50 us per 64-byte chunk is 7% of 921600 baud.
     * A UART's shift register does not lose it, so neither does the relay; an idle line longer
     * than this is idle and is not caught up.
     */
    private static final long PACING_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** The rate the ends are expected at, when one cannot be read (its terminal is being replaced); 0: unpaced. */
    private final int baud;
    /** Bytes sent above this rate arrive corrupted; {@code Integer.MAX_VALUE}: no limit. */
    private volatile int maxBaud = Integer.MAX_VALUE;
    private final CableFaults faults;
    private final Random random;
    /** Current terminals; replaced by a replug. Guarded by this. */
    private PseudoTerminal board, host;
    /** Bytes that crossed, both directions. Guarded by this. */
    private long crossed;
    private volatile boolean cut;
    /** Whether the faults' planned cut is still to come. Guarded by this. */
    private boolean cutPlanned = true;
    private volatile boolean closed;
    /** False while the host end does not read (see {@link #stopHostReading()}). Guarded by hostReadingLock. */
    private boolean hostReading = true;
    private final Object hostReadingLock = new Object();
    private final Thread toHost, toBoard;

    /**
     * Opens a cable with its two links in {@code dir} ({@code board} and {@code host}) at
     * {@code baud} (0: as fast as the terminals go).
     */
    public VirtualCable(Path dir, int baud, CableFaults faults) {
        this.dir = dir;
        this.boardLink = dir.resolve("board");
        this.hostLink = dir.resolve("host");
        this.baud = Math.max(0, baud);
        this.faults = faults;
        this.random = new Random(faults.seed());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        synchronized (this) {
            board = link(terminal(), boardLink);
            host = link(terminal(), hostLink);
        }
        toHost = new Thread(() -> relay(true), "cable-to-host");
        toBoard = new Thread(() -> relay(false), "cable-to-board");
        toHost.start(Thread.PRIO_HIGH);
        toBoard.start(Thread.PRIO_HIGH);
    }

    /**
     * A new end, at the cable's rate until its program sets another: as a board's UART is
     * set at boot, so bytes sent before the runtime opened its console are not noise.
     */
    private PseudoTerminal terminal() {
        PseudoTerminal pty = PseudoTerminal.open();
        if (baud > 0) {
            try {
                pty.baud(baud);
            } catch (RuntimeException e) {
                pty.close();
                throw e;
            }
        }
        return pty;
    }

    private static PseudoTerminal link(PseudoTerminal pty, Path link) {
        try {
            Path tmp = link.resolveSibling(link.getFileName() + ".new");
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, pty.slavePath());
            Files.move(tmp, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return pty;
        } catch (IOException e) {
            pty.close();
            throw new UncheckedIOException("cannot link " + link + " to " + pty.slavePath(), e);
        }
    }

    /** The path the board's runtime opens. */
    public Path boardPort() {
        return boardLink;
    }

    /** The path the host's tool opens. */
    public Path hostPort() {
        return hostLink;
    }

    private synchronized PseudoTerminal from(boolean toHostSide) {
        return toHostSide ? board : host;
    }

    private synchronized PseudoTerminal to(boolean toHostSide) {
        return toHostSide ? host : board;
    }

    /** The rate the cable was made for (0: unpaced); a new end starts at it. */
    public int baud() {
        return baud;
    }

    /**
     * Makes the cable corrupt every byte sent at more than {@code baud} (a cable that cannot
     * carry the rate); {@code Integer.MAX_VALUE} lifts the limit.
     */
    public void maxBaud(int baud) {
        this.maxBaud = baud;
    }

    /** Copies one direction, paced and faulted, until the cable is closed. */
    private void relay(boolean toHostSide) {
        byte[] buf = new byte[64];
        byte[] out = new byte[128];
        byte[] heard = new byte[128];
        Random noise = new Random(faults.seed() + (toHostSide ? 1 : 2));
        long nextNanos = System.nanoTime();
        while (!closed) {
            if (toHostSide && !awaitHostReading()) continue;
            PseudoTerminal src = from(toHostSide);
            int n = src.read(buf, 0, buf.length, 200);
            if (n <= 0) {
                if (n < 0 && !closed) LockSupport.parkNanos(1_000_000); // terminal swapped by a replug: take the new one
                continue;
            }
            int m = mangle(buf, n, out);
            if (m == 0) continue;
            PseudoTerminal dst = to(toHostSide);
            byte[] deliver = out;
            if (baud > 0) {
                int sendBaud = rateOf(src);
                int receiveBaud = rateOf(dst);
                long nanosPerByte = TimeUnit.SECONDS.toNanos(10) / sendBaud;
                long now = System.nanoTime();
                nextNanos = Math.max(nextNanos, now - PACING_SLACK_NANOS) + m * nanosPerByte;
                for (long wait; (wait = nextNanos - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait); // the line's own pace
                if (sendBaud > maxBaud) {
                    for (int i = 0; i < m; i++) out[i] ^= (byte) (1 << noise.nextInt(8));
                }
                if (sendBaud != receiveBaud) {
                    int capacity = resampledCapacity(m, sendBaud, receiveBaud);
                    if (heard.length < capacity) heard = new byte[capacity];
                    m = resample(out, m, sendBaud, receiveBaud, heard);
                    deliver = heard;
                    if (m == 0) continue;
                }
            }
            try {
                dst.write(deliver, 0, m);
            } catch (RuntimeException e) {
                if (!closed && !dst.isClosed()) throw e; // a replug closed it under us: those bytes are lost, as on a real cable
            }
        }
    }

    /**
     * Relay to the host: waits (in steps of 200 ms, to see a close) while the host does not
     * read. Whether the host reads now.
     */
    private boolean awaitHostReading() {
        synchronized (hostReadingLock) {
            if (hostReading) return true;
            try {
                hostReadingLock.wait(200);
            } catch (InterruptedException e) {
                java.lang.Thread.currentThread().interrupt();
                throw new IllegalStateException("the cable's relay to the host was interrupted", e);
            }
            return hostReading;
        }
    }

    /**
     * The host end stops reading, as a USB gadget port with no host attached: nothing more
     * crosses to the host; once the board's terminal buffer is full (some 64 KiB on Linux) the
     * board's writes block, and its port stays open. Bytes the relay holds already still arrive.
     */
    public void stopHostReading() {
        synchronized (hostReadingLock) {
            hostReading = false;
        }
    }

    /** Ends {@link #stopHostReading()}: what the board wrote meanwhile crosses, then the rest. */
    public void resumeHostReading() {
        synchronized (hostReadingLock) {
            hostReading = true;
            hostReadingLock.notifyAll();
        }
    }

    /** The rate {@code end}'s program set on its terminal; the cable's own while it cannot be read. */
    private int rateOf(PseudoTerminal end) {
        try {
            int b = end.baud();
            return b > 0 ? b : baud;
        } catch (RuntimeException e) {
            if (end.isClosed()) return baud; // replaced by a replug meanwhile: its bytes are lost anyway
            throw e;
        }
    }

    /** Most bytes {@link #resample} can produce from {@code n} bytes: one per 9.5 receiver bit times, and one more. */
    static int resampledCapacity(int n, int sendBaud, int receiveBaud) {
        return (int) Math.min(Integer.MAX_VALUE - 8, (long) n * 10 * receiveBaud / sendBaud / 9 + 2);
    }

    /**
     * What a UART receiving at {@code receiveBaud} reads from {@code n} bytes sent back to
     * back at {@code sendBaud}, 8N1, on a line idle before and after: it waits for a falling
     * edge (a start bit), samples the start bit and the eight data bits in the middle of its
     * own bit times, and hands on the byte whether or not the stop bit is there (a framing
     * error: Linux hands the byte on unless INPCK is set, which raw mode does not). Too fast
     * a sender smears whole bytes into one bit; too slow a one turns each of its bits into a
     * run of 0x00 or 0xFF bytes. Writes into {@code out} (at least
     * {@link #resampledCapacity} bytes) and returns the count.
     */
    static int resample(byte[] in, int n, int sendBaud, int receiveBaud, byte[] out) {
        double bit = (double) sendBaud / receiveBaud; // a receiver bit time, in sender bit times
        int lineBits = n * 10;
        int count = 0;
        double t = 0;
        while (count < out.length) {
            int edge = -1;
            for (int k = Math.max(0, (int) Math.ceil(t)); k < lineBits; k++) {
                if (level(in, lineBits, k - 1) == 1 && level(in, lineBits, k) == 0) {
                    edge = k;
                    break;
                }
            }
            if (edge < 0) return count;
            if (level(in, lineBits, (int) Math.floor(edge + 0.5 * bit)) != 0) { // a glitch, not a start bit
                t = edge + 0.5 * bit;
                continue;
            }
            int value = 0;
            for (int j = 1; j <= 8; j++) value |= level(in, lineBits, (int) Math.floor(edge + (j + 0.5) * bit)) << (j - 1);
            out[count++] = (byte) value;
            t = edge + 9.5 * bit;
        }
        return count;
    }

    /** The line's level during sender bit {@code k}: idle (1) outside the bytes, then start 0, data LSB first, stop 1. */
    private static int level(byte[] in, int lineBits, int k) {
        if (k < 0 || k >= lineBits) return 1;
        int b = k % 10;
        if (b == 0) return 0;
        if (b == 9) return 1;
        return (in[k / 10] >> (b - 1)) & 1;
    }

    /** Applies the faults to {@code n} bytes of {@code in}; returns how many bytes of {@code out} to send. */
    private synchronized int mangle(byte[] in, int n, byte[] out) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (cut) continue;
            if (++crossed > faults.cutAfterBytes() && cutPlanned) {
                cut = true;
                continue;
            }
            if (faults.dropRate() > 0 && random.nextDouble() < faults.dropRate()) continue;
            byte b = in[i];
            if (faults.flipRate() > 0 && random.nextDouble() < faults.flipRate()) b ^= (byte) (1 << random.nextInt(8));
            out[m++] = b;
            if (faults.duplicateRate() > 0 && random.nextDouble() < faults.duplicateRate()) out[m++] = b;
        }
        return m;
    }

    /** Bytes that have crossed the cable so far, both directions. */
    public synchronized long bytesCrossed() {
        return crossed;
    }

    /** Cuts the line: every byte is lost until {@link #reconnect()}. */
    public void cut() {
        cut = true;
    }

    /** Ends a cut, and disarms the planned one. */
    public synchronized void reconnect() {
        cutPlanned = false;
        cut = false;
    }

    /** True while the line is cut. */
    public boolean isCut() {
        return cut;
    }

    /** Closes the host's terminal and opens a new one at the same path, as a USB replug does on the host. */
    public void replugHost() {
        PseudoTerminal old;
        synchronized (this) {
            old = host;
            host = link(terminal(), hostLink);
        }
        old.close();
    }

    /** Closes the board's terminal and opens a new one at the same path, as a replug does on the board. */
    public void replugBoard() {
        PseudoTerminal old;
        synchronized (this) {
            old = board;
            board = link(terminal(), boardLink);
        }
        old.close();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            board.close();
            host.close();
        }
        toHost.join(2_000);
        toBoard.join(2_000);
        try {
            Files.deleteIfExists(boardLink);
            Files.deleteIfExists(hostLink);
        } catch (IOException e) {
            System.err.println("pirt: cannot remove the cable's links in " + dir + ": " + e.getMessage());
        }
    }
}
