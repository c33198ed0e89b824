package io.pirt.virtualboard;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/** The C library calls virtual-board uses (pseudo-terminals); each failing call throws LastErrorException (errno). */
interface LibC extends Library {
    short POLLIN = 0x1, POLLOUT = 0x4;
    int F_GETFL = 3, F_SETFL = 4;
    // Linux generic values (x86, x86-64, arm, arm64)
    int O_NONBLOCK = 04000, O_CLOEXEC = 02000000;
    int TCSANOW = 0;
    int EINTR = 4, EIO = 5, EAGAIN = 11;
    /**
     * {@code _IOR('T', 0x2A, struct termios2)} (Linux x86, x86-64, arm, arm64): reads the
     * terminal's settings with the speeds as numbers; {@code struct termios2} is 44 bytes,
     * {@code c_ospeed} at offset 40.
     */
    long TCGETS2 = 0x802C542AL;
    /** {@code _IOW('T', 0x2B, struct termios2)}: sets them. */
    long TCSETS2 = 0x402C542BL;
    int TERMIOS2_BYTES = 44, TERMIOS2_CFLAG_OFFSET = 8, TERMIOS2_OSPEED_OFFSET = 40;
    /** c_cflag's output speed bits, input speed bits, and "speed in c_ospeed/c_ispeed" (octal 0010017, 002003600000, 0010000). */
    int CBAUD = 0x100F, CIBAUD = 0x100F0000, BOTHER = 0x1000;

    /** The C library. @throws PseudoTerminalException if JNA cannot load it (then every call throws). */
    static LibC get() {
        if (Holder.INSTANCE == null) {
            throw new PseudoTerminalException("JNA cannot load the C library: " + Holder.ERROR.getMessage()
                    + "; if JNA's own native library failed to load, see docs/hal.md, Native libraries", Holder.ERROR);
        }
        return Holder.INSTANCE;
    }

    /**
     * {@code int openpty(int *master, int *slave, char *name, const struct termios *, const struct winsize *)}:
     * in libc from glibc 2.34 on, in libutil before, so looked up as a function rather than
     * declared here.
     *
     * @throws PseudoTerminalException if neither library has it
     */
    static Function openpty() {
        if (Holder.OPENPTY == null) {
            throw new PseudoTerminalException("cannot find openpty in libc (glibc >= 2.34) nor in libutil (older glibc): "
                    + Holder.OPENPTY_ERROR.getMessage() + "; pseudo-terminals need Linux with glibc", Holder.OPENPTY_ERROR);
        }
        return Holder.OPENPTY;
    }

    int tcgetattr(int fd, Pointer termios) throws LastErrorException;

    void cfmakeraw(Pointer termios);

    int tcsetattr(int fd, int optionalActions, Pointer termios) throws LastErrorException;

    /** Returns 0 or an error number (not errno). */
    int ttyname_r(int fd, byte[] buf, NativeLong bufSizeBytes);

    int fcntl(int fd, int cmd, Object... args) throws LastErrorException;

    int pipe2(int[] fds, int flags) throws LastErrorException;

    int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;

    int poll(Pointer fds, NativeLong nfds, int timeoutMs) throws LastErrorException;

    NativeLong read(int fd, Pointer buf, NativeLong countBytes) throws LastErrorException;

    NativeLong write(int fd, Pointer buf, NativeLong countBytes) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    /**
     * Loads libc and finds openpty once, on first use; a failure is kept (not thrown from the
     * initialiser, which would hide it behind NoClassDefFoundError on every later call). The
     * one place virtual-board loads the C library.
     */
    final class Holder {
        /** The C library, or null if it could not be loaded (then ERROR says why). */
        static final LibC INSTANCE;
        static final LinkageError ERROR;
        /** openpty, or null if neither libc nor libutil has it (then OPENPTY_ERROR says why). */
        static final Function OPENPTY;
        static final LinkageError OPENPTY_ERROR;

        static {
            LibC c = null;
            LinkageError error = null;
            try {
                c = Native.load("c", LibC.class);
            } catch (LinkageError e) {
                error = e;
            }
            INSTANCE = c;
            ERROR = error;

            Function f = null;
            LinkageError openptyError = null;
            try {
                f = NativeLibrary.getInstance("c").getFunction("openpty");
            } catch (LinkageError notInLibc) {
                try {
                    f = NativeLibrary.getInstance("util").getFunction("openpty");
                } catch (LinkageError notInLibutil) {
                    notInLibutil.addSuppressed(notInLibc);
                    openptyError = notInLibutil;
                }
            }
            OPENPTY = f;
            OPENPTY_ERROR = openptyError;
        }

        private Holder() {
        }
    }
}
