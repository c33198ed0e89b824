package io.pirt.hal.pi4j;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import io.pirt.hal.GpioLines;
import io.pirt.hal.HalException;
import io.pirt.hal.internal.LibC;
import io.pirt.threading.ThreadInterruptedException;

/**
 * One watch of an input line's edge events, read straight from the kernel's event queue of
 * the line (the file descriptor of its uAPI v2 line request) by the thread that takes them:
 * the pin's callback thread, at the callback's priority. Each event carries the kernel's
 * timestamp (CLOCK_MONOTONIC, taken in the interrupt handler) and the line's sequence number;
 * gaps in the numbers are the events the kernel dropped because its queue was full.
 *
 * <p>The taking thread waits in {@code poll(2)} on the line and on a pipe of its own:
 * {@link #wakeUp()} writes to the pipe, so a close is noticed at once; an interrupt is
 * noticed within {@value #INTERRUPT_CHECK_MS} ms. Not thread-safe except {@link #wakeUp()}.
 */
final class LineEvents implements GpioLines.LevelChanges {
    /*
     * Implementation notes. Events are read BATCH at a time into `events` and handed out one
     * per take(); all native memory is allocated here, once. The pipe is never drained: once
     * written, every poll() returns at once, which is what a woken watch wants. wakeUp() and
     * close() share `this` so the pipe is never written after it was closed (its number
     * could belong to another file by then). The line's fd belongs to the InputLine.
     */
    static final int BATCH = 16;
    static final int INTERRUPT_CHECK_MS = 200;

    private final LibC libc;
    private final int lineFd;
    /** "D17 (line 17 of gpiochip0 ...)", for messages. */
    private final String what;
    /** The wake-up pipe: read end polled, write end written by wakeUp(). Closed by close(); guarded by this for that. */
    private final int wakeRead, wakeWrite;
    private final Memory pollFds = new Memory(2L * LibC.POLLFD_BYTES);
    private final Memory events = new Memory((long) BATCH * GpioUapi.EVENT_BYTES);
    private final NativeLong pollCount = new NativeLong(2);
    private final NativeLong batchBytes = new NativeLong((long) BATCH * GpioUapi.EVENT_BYTES);
    private final byte[] wakeByte = {1};
    /** Events in `events`, and the index of the next one to hand out: next <= count <= BATCH. */
    private int count, next;
    /** line_seqno of the last event read from the line (0 before the first: the kernel numbers from 1). */
    private volatile long lastSeqno;
    /** Events the kernel dropped, seen since the last takeDropped(). */
    private long dropped;
    private boolean level;
    private long nanos;
    private volatile boolean woken;
    /** Guarded by this. */
    private boolean closed;

    /**
     * A watch of the events on {@code lineFd}. Events already queued are read and discarded
     * first (they happened before the watch); {@code lastSeqno} is the line_seqno of the last
     * event read from the line before, 0 if none.
     *
     * @throws HalException if the pipe cannot be made or the line cannot be read
     */
    LineEvents(LibC libc, int lineFd, String what, long lastSeqno) {
        this.libc = libc;
        this.lineFd = lineFd;
        this.what = what;
        this.lastSeqno = lastSeqno;
        int[] pipe = new int[2];
        try {
            libc.pipe2(pipe, LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new HalException(what + ": cannot make the pipe that wakes its edge watch: " + e.getMessage(), e);
        }
        wakeRead = pipe[0];
        wakeWrite = pipe[1];
        pollFds.clear();
        pollFds.setInt(0, lineFd);
        pollFds.setShort(4, LibC.POLLIN);
        pollFds.setInt(LibC.POLLFD_BYTES, wakeRead);
        pollFds.setShort(LibC.POLLFD_BYTES + 4, LibC.POLLIN);
        try {
            // Bounded: a line toggling faster than it is read would keep the queue from emptying.
            for (int batches = 0; batches <= GpioUapi.EVENT_BUFFER_SIZE / BATCH && poll(0) && lineReadable(); batches++) {
                readBatch();
                for (int i = 0; i < count; i++) this.lastSeqno = GpioUapi.eventLineSeqno(events, (long) i * GpioUapi.EVENT_BYTES);
                count = next = 0;
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public boolean take(long timeoutMs) {
        if (woken) return false;
        if (next < count) return takeNext();
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        for (;;) { // polls at least once, so a queued event is taken even with timeout 0
            if (java.lang.Thread.currentThread().isInterrupted()) throw new ThreadInterruptedException();
            int waitMs = INTERRUPT_CHECK_MS;
            if (timeoutMs >= 0) waitMs = (int) Math.max(0, Math.min(waitMs, (deadline - System.nanoTime() + 999_999) / 1_000_000));
            if (poll(waitMs)) {
                if (woken || pollFds.getShort(LibC.POLLFD_BYTES + 6) != 0) return false;
                if (lineReadable()) {
                    readBatch();
                    if (count > 0) return takeNext();
                }
            }
            if (timeoutMs >= 0 && deadline - System.nanoTime() <= 0) return false;
        }
    }

    /** Hands out events[next]: its level and time, and counts the events dropped before it. */
    private boolean takeNext() {
        long offset = (long) next++ * GpioUapi.EVENT_BYTES;
        long seqno = GpioUapi.eventLineSeqno(events, offset);
        dropped += GpioUapi.droppedBetween(lastSeqno, seqno);
        lastSeqno = seqno;
        level = GpioUapi.eventLevel(events, offset);
        nanos = GpioUapi.eventNanos(events, offset);
        return true;
    }

    /** poll(2) on the line and the pipe; true if either has revents. EINTR counts as nothing yet. */
    private boolean poll(int timeoutMs) {
        pollFds.setShort(6, (short) 0);
        pollFds.setShort(LibC.POLLFD_BYTES + 6, (short) 0);
        try {
            return libc.poll(pollFds, pollCount, timeoutMs) > 0;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EINTR) return false;
            throw new HalException(what + ": waiting for its edge events failed: " + e.getMessage(), e);
        }
    }

    /** After a poll: true if the line has events; a line whose queue failed is a HalException. */
    private boolean lineReadable() {
        short revents = pollFds.getShort(6);
        if ((revents & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0) {
            throw new HalException(what + ": the kernel's event queue of the line failed (poll revents 0x"
                    + Integer.toHexString(revents & 0xFFFF) + "); was the GPIO chip removed? Close the pin and open it again");
        }
        return (revents & LibC.POLLIN) != 0;
    }

    /** Reads the queued events, up to BATCH, into `events`. */
    private void readBatch() {
        long n;
        try {
            n = libc.read(lineFd, events, batchBytes).longValue();
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EINTR) {
                count = next = 0;
                return;
            }
            throw new HalException(what + ": reading its edge events failed: " + e.getMessage(), e);
        }
        if (n % GpioUapi.EVENT_BYTES != 0) {
            throw new HalException(what + ": read " + n + " bytes of edge events, not a multiple of the kernel's "
                    + GpioUapi.EVENT_BYTES + "-byte struct gpio_v2_line_event");
        }
        count = (int) (n / GpioUapi.EVENT_BYTES);
        next = 0;
    }

    @Override
    public boolean level() {
        return level;
    }

    @Override
    public long nanos() {
        return nanos;
    }

    @Override
    public long takeDropped() {
        long n = dropped;
        dropped = 0;
        return n;
    }

    /** line_seqno of the last event read from the line, for the next watch of it. */
    long lastSeqno() {
        return lastSeqno;
    }

    @Override
    public synchronized void wakeUp() {
        woken = true;
        if (closed) return;
        try {
            libc.write(wakeWrite, wakeByte, new NativeLong(1));
        } catch (LastErrorException e) {
            throw new HalException(what + ": cannot wake its edge watch: " + e.getMessage(), e);
        }
    }

    /** Closes the wake-up pipe (not the line) and frees the buffers. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        woken = true;
        pollFds.close();
        events.close();
        closeFd(wakeRead);
        closeFd(wakeWrite);
    }

    private void closeFd(int fd) {
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            throw new HalException(what + ": closing the pipe of its edge watch failed: " + e.getMessage(), e);
        }
    }
}
