package io.pirt.virtualboard;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pseudo-terminal pair: a terminal device at {@link #slavePath()} (for example
 * {@code /dev/pts/7}) that a serial-port library opens as if it were a UART, and its master
 * side, which this object reads and writes. Bytes written here arrive at the terminal
 * unchanged and bytes written to the terminal are read here: the terminal is in raw mode
 * ({@code cfmakeraw}), so there is no echo, no line editing and no CR/LF translation.
 *
 * <p>The simulated board's serial ports and console are pseudo-terminals, and two of them
 * joined by a relay make a virtual cable. Needs Linux with glibc ({@code openpty} is in libc
 * from glibc 2.34 on, in libutil before; both are tried) and JNA; no external tool.
 *
 * <p>Timeouts are in milliseconds: negative waits without bound, 0 does not wait. A read or
 * write blocked in one thread ends when another thread calls {@link #close()}: the read
 * returns -1, the write throws. {@link Thread#interrupt()} does not wake them (they wait in
 * {@code poll(2)}); close the terminal or use a timeout. Thread-safe: concurrent reads are
 * served one at a time, and so are concurrent writes. Failures of the C library calls are
 * {@link PseudoTerminalException}s naming the call, the terminal and the error.
 */
public final class PseudoTerminal implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * The master descriptor is non-blocking and every wait is a poll(2) on two descriptors:
     * the master, and the read end of a pipe ("wake pipe") that close() writes one byte to.
     * That byte is never read, so once closed every poll returns at once and each operation
     * sees `closed` and leaves. close() then waits until no operation is inside a native call
     * (inFlight == 0) before it closes the descriptors, so no call can ever use a descriptor
     * number after it was closed and perhaps reused.
     *
     * This object keeps its own descriptor of the slave side open until close(): on Linux a
     * read of the master fails with EIO while no slave descriptor is open, which would happen
     * each time the program using the terminal closes and reopens it; holding one also keeps
     * the raw settings in place.
     */

    private static final int BUFFER_BYTES = 4096;

    private final int masterFd;
    private final int slaveFd;
    /** The wake pipe: [0] read end (polled), [1] write end (close() writes one byte). */
    private final int wakeReadFd;
    private final int wakeWriteFd;
    private final Path slavePath;

    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition idle = stateLock.newCondition();
    /** Set once by close(); guarded by stateLock, volatile for the unlocked fast checks. */
    private volatile boolean closed;
    /** Operations between enter() and exit(); guarded by stateLock; never negative. */
    private int inFlight;

    /** A {@code struct termios2} for {@link #baud()}; guarded by itself. */
    private final Memory termios2 = new Memory(LibC.TERMIOS2_BYTES);

    private final Direction in = new Direction(LibC.POLLIN);
    private final Direction out = new Direction(LibC.POLLOUT);

    private final InputStream inputStream = new MasterInput();
    private final OutputStream outputStream = new MasterOutput();

    private PseudoTerminal(int masterFd, int slaveFd, int wakeReadFd, int wakeWriteFd, Path slavePath) {
        this.masterFd = masterFd;
        this.slaveFd = slaveFd;
        this.wakeReadFd = wakeReadFd;
        this.wakeWriteFd = wakeWriteFd;
        this.slavePath = slavePath;
    }

    /**
     * Creates a pseudo-terminal pair with the terminal in raw mode.
     *
     * @throws PseudoTerminalException if the C library cannot be loaded or a call fails (for example
     *                      when {@code /dev/ptmx} cannot be opened, or no pseudo-terminal is free)
     */
    public static PseudoTerminal open() {
        LibC c = LibC.get();
        IntByReference master = new IntByReference(-1);
        IntByReference slave = new IntByReference(-1);
        int[] wake = {-1, -1};
        try {
            int rc = LibC.openpty().invokeInt(new Object[] {master, slave, null, null, null});
            if (rc != 0) {
                throw new PseudoTerminalException("openpty failed: " + errno(Native.getLastError())
                        + "; is /dev/pts mounted and /dev/ptmx readable and writable?");
            }
            Memory termios = new Memory(256); // larger than struct termios on every Linux ABI
            termios.clear();
            c.tcgetattr(slave.getValue(), termios);
            c.cfmakeraw(termios);
            c.tcsetattr(slave.getValue(), LibC.TCSANOW, termios);
            byte[] name = new byte[128];
            int err = c.ttyname_r(slave.getValue(), name, new NativeLong(name.length));
            if (err != 0) throw new PseudoTerminalException("ttyname_r on a new pseudo-terminal failed: " + errno(err));
            int flags = c.fcntl(master.getValue(), LibC.F_GETFL);
            c.fcntl(master.getValue(), LibC.F_SETFL, flags | LibC.O_NONBLOCK);
            c.pipe2(wake, LibC.O_CLOEXEC | LibC.O_NONBLOCK);
            return new PseudoTerminal(master.getValue(), slave.getValue(), wake[0], wake[1], Path.of(Native.toString(name)));
        } catch (LastErrorException e) {
            closeQuietly(c, master.getValue(), slave.getValue(), wake[0], wake[1]);
            throw new PseudoTerminalException("cannot set up a pseudo-terminal: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(c, master.getValue(), slave.getValue(), wake[0], wake[1]);
            throw e;
        }
    }

    /** The terminal's device path, e.g. {@code /dev/pts/7}: what the other program opens. */
    public Path slavePath() {
        return slavePath;
    }

    /**
     * Reads up to {@code len} bytes that were written to the terminal, waiting up to
     * {@code timeoutMs} for the first one.
     *
     * @return the number of bytes read (at least 1, or 0 if {@code len} is 0), 0 if the
     *         timeout passed first, -1 if this pseudo-terminal is closed
     */
    public int read(byte[] buf, int off, int len, long timeoutMs) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (!enter()) return -1;
        try {
            in.lock.lock();
            try {
                if (len == 0) return 0;
                long deadlineNanos = timeoutMs > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs) : 0;
                while (true) {
                    int ready = in.await(masterFd, wakeReadFd, timeoutMs, deadlineNanos);
                    if (ready < 0) return -1;
                    if (ready == 0) return 0;
                    int n = in.transfer(c -> c.read(masterFd, in.buffer, new NativeLong(Math.min(len, BUFFER_BYTES))));
                    if (n > 0) {
                        in.buffer.read(0, buf, off, n);
                        return n;
                    }
                    if (n < 0 && closed) return -1;
                    // n == 0 (EAGAIN: poll said readable, then nothing): wait again
                }
            } finally {
                in.lock.unlock();
            }
        } finally {
            exit();
        }
    }

    /**
     * Writes all {@code len} bytes to the terminal, waiting while the terminal's input
     * queue is full (nobody reads it).
     *
     * @throws PseudoTerminalException if this pseudo-terminal is or becomes closed
     */
    public void write(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (!enter()) throw closedError();
        try {
            out.lock.lock();
            try {
                int done = 0;
                while (done < len) {
                    if (out.await(masterFd, wakeReadFd, -1, 0) < 0) throw closedError();
                    int chunk = Math.min(len - done, BUFFER_BYTES);
                    out.buffer.write(0, buf, off + done, chunk);
                    int n = out.transfer(c -> c.write(masterFd, out.buffer, new NativeLong(chunk)));
                    if (n > 0) done += n;
                    // n == 0 (EAGAIN: the queue filled again): wait again
                }
            } finally {
                out.lock.unlock();
            }
        } finally {
            exit();
        }
    }

    /**
     * The master side as a stream: {@code read} blocks until at least one byte arrives and
     * returns -1 once this pseudo-terminal is closed. Closing the stream closes the terminal.
     */
    public InputStream inputStream() {
        return inputStream;
    }

    /**
     * The master side as a stream for writing to the terminal; throws IOException once this
     * pseudo-terminal is closed. Closing the stream closes the terminal.
     */
    public OutputStream outputStream() {
        return outputStream;
    }

    /**
     * The line rate the program using the terminal set on it (its termios output speed, as
     * {@code cfsetospeed} or jSerialComm's {@code setBaudRate} left it), in baud. A
     * pseudo-terminal carries bytes at any rate; this is what lets a relay behave like a
     * UART at that rate (docs/hal.md). A new terminal reports 38400, the kernel's default.
     *
     * @throws PseudoTerminalException if this pseudo-terminal is closed or the kernel refuses the query
     */
    public int baud() {
        if (!enter()) throw closedError();
        try {
            synchronized (termios2) {
                LibC.get().ioctl(slaveFd, new NativeLong(LibC.TCGETS2), termios2);
                return termios2.getInt(LibC.TERMIOS2_OSPEED_OFFSET);
            }
        } catch (LastErrorException e) {
            throw new PseudoTerminalException("cannot read the line rate of pseudo-terminal " + slavePath + ": " + errno(e.getErrorCode()), e);
        } finally {
            exit();
        }
    }

    /**
     * Sets the terminal's line rate, as the system sets a UART's at boot before any program
     * opens it; a program that opens the terminal may set another. Any rate Linux takes
     * ({@code BOTHER}).
     *
     * @throws PseudoTerminalException if this pseudo-terminal is closed or the kernel refuses the rate
     */
    public void baud(int baud) {
        if (!enter()) throw closedError();
        try {
            synchronized (termios2) {
                LibC c = LibC.get();
                c.ioctl(slaveFd, new NativeLong(LibC.TCGETS2), termios2);
                int cflag = termios2.getInt(LibC.TERMIOS2_CFLAG_OFFSET);
                cflag = (cflag & ~(LibC.CBAUD | LibC.CIBAUD)) | LibC.BOTHER;
                termios2.setInt(LibC.TERMIOS2_CFLAG_OFFSET, cflag);
                termios2.setInt(LibC.TERMIOS2_OSPEED_OFFSET - 4, baud); // c_ispeed
                termios2.setInt(LibC.TERMIOS2_OSPEED_OFFSET, baud);
                c.ioctl(slaveFd, new NativeLong(LibC.TCSETS2), termios2);
            }
        } catch (LastErrorException e) {
            throw new PseudoTerminalException("cannot set pseudo-terminal " + slavePath + " to " + baud + " baud: " + errno(e.getErrorCode()), e);
        } finally {
            exit();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes both sides: blocked reads return -1 and blocked writes throw, then the
     * descriptors are closed. The program that opened {@link #slavePath()} reads EIO (a
     * hang-up) from then on. Idempotent.
     */
    @Override
    public void close() {
        stateLock.lock();
        try {
            if (closed) return;
            closed = true;
        } finally {
            stateLock.unlock();
        }
        LibC c = LibC.get();
        try (Memory one = new Memory(1)) {
            one.setByte(0, (byte) 1);
            c.write(wakeWriteFd, one, new NativeLong(1));
        } catch (LastErrorException e) {
            // The pipe is empty and non-blocking, so this cannot happen; if it did, waiting
            // below could last forever: report it instead.
            throw new PseudoTerminalException("closing pseudo-terminal " + slavePath + ": cannot wake its waiters: " + e.getMessage(), e);
        }
        stateLock.lock();
        try {
            while (inFlight > 0) idle.awaitUninterruptibly(); // every waiter polls the wake pipe and leaves at once
        } finally {
            stateLock.unlock();
        }
        closeQuietly(c, masterFd, slaveFd, wakeReadFd, wakeWriteFd);
        in.buffer.close();
        out.buffer.close();
        synchronized (termios2) {
            termios2.close();
        }
    }

    @Override
    public String toString() {
        return "PseudoTerminal[" + slavePath + (closed ? ", closed]" : "]");
    }

    /** Registers an operation; false if closed (then nothing is registered). */
    private boolean enter() {
        stateLock.lock();
        try {
            if (closed) return false;
            inFlight++;
            return true;
        } finally {
            stateLock.unlock();
        }
    }

    private void exit() {
        stateLock.lock();
        try {
            if (--inFlight == 0 && closed) idle.signalAll();
        } finally {
            stateLock.unlock();
        }
    }

    private PseudoTerminalException closedError() {
        return new PseudoTerminalException("pseudo-terminal " + slavePath + " is closed");
    }

    private static void closeQuietly(LibC c, int... fds) {
        for (int fd : fds) {
            if (fd < 0) continue;
            try {
                c.close(fd);
            } catch (LastErrorException ignored) {
                // close(2) releases the descriptor even when it reports an error (Linux): nothing to undo
            }
        }
    }

    static String errno(int code) {
        String name = switch (code) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 5 -> "EIO";
            case 9 -> "EBADF";
            case 11 -> "EAGAIN";
            case 13 -> "EACCES";
            case 24 -> "EMFILE";
            case 25 -> "ENOTTY";
            case 28 -> "ENOSPC";
            case 34 -> "ERANGE";
            default -> "errno";
        };
        return name + " (" + code + ")";
    }

    /** One direction of the master side: its lock, its native buffer and its poll set. */
    private final class Direction {
        /** Serialises operations of this direction; guards buffer and pollFds. */
        final ReentrantLock lock = new ReentrantLock();
        final Memory buffer = new Memory(BUFFER_BYTES);
        /** Two {@code struct pollfd} {int fd; short events; short revents;}: master, wake pipe. */
        final Memory pollFds = new Memory(16);
        final short events;
        /** The 1-byte array of the single-byte stream methods; guarded by lock. */
        final byte[] single = new byte[1];

        Direction(short events) {
            this.events = events;
        }

        /**
         * Waits until the master is ready for this direction. Returns 1 when ready, 0 on
         * timeout, -1 when closed. Not early: 0 only once {@code deadlineNanos} has passed.
         */
        int await(int master, int wake, long timeoutMs, long deadlineNanos) {
            LibC c = LibC.get();
            while (true) {
                if (closed) return -1;
                int pollMs;
                if (timeoutMs < 0) {
                    pollMs = -1;
                } else if (timeoutMs == 0) {
                    pollMs = 0;
                } else {
                    long leftNanos = deadlineNanos - System.nanoTime();
                    if (leftNanos <= 0) return 0;
                    // round up, so a wait never ends before the deadline
                    pollMs = (int) Math.min(Integer.MAX_VALUE, (leftNanos + 999_999) / 1_000_000);
                }
                pollFds.setInt(0, master);
                pollFds.setShort(4, events);
                pollFds.setShort(6, (short) 0);
                pollFds.setInt(8, wake);
                pollFds.setShort(12, LibC.POLLIN);
                pollFds.setShort(14, (short) 0);
                int n;
                try {
                    n = c.poll(pollFds, new NativeLong(2), pollMs);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == LibC.EINTR) continue;
                    throw new PseudoTerminalException("poll on pseudo-terminal " + slavePath + " failed: " + e.getMessage(), e);
                }
                if (closed || pollFds.getShort(14) != 0) return -1;
                if (n > 0 && pollFds.getShort(6) != 0) return 1; // ready, or an error the read/write reports
                if (timeoutMs == 0) return 0;
            }
        }

        /** Runs one read or write; returns bytes moved, 0 for EAGAIN/EINTR, -1 for EIO (the pair is going away). */
        int transfer(Transfer t) {
            try {
                return t.run(LibC.get()).intValue();
            } catch (LastErrorException e) {
                int code = e.getErrorCode();
                if (code == LibC.EAGAIN || code == LibC.EINTR) return 0;
                if (code == LibC.EIO && closed) return -1;
                throw new PseudoTerminalException("pseudo-terminal " + slavePath + ": " + (events == LibC.POLLIN ? "read" : "write")
                        + " failed: " + errno(code), e);
            }
        }
    }

    @FunctionalInterface
    private interface Transfer {
        NativeLong run(LibC c) throws LastErrorException;
    }

    private final class MasterInput extends InputStream {
        @Override
        public int read() throws IOException {
            in.lock.lock();
            try {
                int n = read(in.single, 0, 1);
                return n < 0 ? -1 : in.single[0] & 0xff;
            } finally {
                in.lock.unlock();
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return PseudoTerminal.this.read(b, off, len, -1);
            } catch (PseudoTerminalException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            PseudoTerminal.this.close();
        }
    }

    private final class MasterOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            out.lock.lock();
            try {
                out.single[0] = (byte) b;
                write(out.single, 0, 1);
            } finally {
                out.lock.unlock();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                PseudoTerminal.this.write(b, off, len);
            } catch (PseudoTerminalException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            PseudoTerminal.this.close();
        }
    }
}
