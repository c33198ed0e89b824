package io.pirt.runtime.sim;

import io.pirt.hal.sim.PseudoTerminal;
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
 * <p>The relay paces bytes at the baud rate (10 bit times a byte: 8N1), so 115200 behaves
 * like 115200, and injects the {@link CableFaults} it is given. {@link #cut()} stops the
 * line (bytes are lost, as on a pulled cable) until {@link #reconnect()};
 * {@link #replugHost()} and {@link #replugBoard()} close one end's terminal and open a new one,
 * as a USB replug does. Thread-safe.
 */
public final class VirtualCable implements AutoCloseable {
    private final Path dir;
    private final Path boardLink;
    private final Path hostLink;
    private final long nanosPerByte;
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
    private final Thread toHost, toBoard;

    /**
     * Opens a cable with its two links in {@code dir} ({@code board} and {@code host}) at
     * {@code baud} (0: as fast as the terminals go).
     */
    public VirtualCable(Path dir, int baud, CableFaults faults) {
        this.dir = dir;
        this.boardLink = dir.resolve("board");
        this.hostLink = dir.resolve("host");
        this.nanosPerByte = baud <= 0 ? 0 : TimeUnit.SECONDS.toNanos(10) / baud;
        this.faults = faults;
        this.random = new Random(faults.seed());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        synchronized (this) {
            board = link(PseudoTerminal.open(), boardLink);
            host = link(PseudoTerminal.open(), hostLink);
        }
        toHost = new Thread(() -> relay(true), "cable-to-host");
        toBoard = new Thread(() -> relay(false), "cable-to-board");
        toHost.start(Thread.PRIO_HIGH);
        toBoard.start(Thread.PRIO_HIGH);
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

    /** Copies one direction, paced and faulted, until the cable is closed. */
    private void relay(boolean toHostSide) {
        byte[] buf = new byte[64];
        byte[] out = new byte[128];
        long nextNanos = System.nanoTime();
        while (!closed) {
            PseudoTerminal src = from(toHostSide);
            int n = src.read(buf, 0, buf.length, 200);
            if (n <= 0) {
                if (n < 0 && !closed) LockSupport.parkNanos(1_000_000); // terminal swapped by a replug: take the new one
                continue;
            }
            int m = mangle(buf, n, out);
            if (m == 0) continue;
            if (nanosPerByte > 0) {
                long now = System.nanoTime();
                nextNanos = Math.max(nextNanos, now) + m * nanosPerByte;
                for (long wait; (wait = nextNanos - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait); // the line's own pace
            }
            PseudoTerminal dst = to(toHostSide);
            try {
                dst.write(out, 0, m);
            } catch (RuntimeException e) {
                if (!closed && !dst.isClosed()) throw e; // a replug closed it under us: those bytes are lost, as on a real cable
            }
        }
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
            host = link(PseudoTerminal.open(), hostLink);
        }
        old.close();
    }

    /** Closes the board's terminal and opens a new one at the same path, as a replug does on the board. */
    public void replugBoard() {
        PseudoTerminal old;
        synchronized (this) {
            old = board;
            board = link(PseudoTerminal.open(), boardLink);
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
