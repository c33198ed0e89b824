package io.pirt.hal.internal;

import com.sun.jna.FunctionMapper;
import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.pirt.hal.HalException;
import java.util.Map;

/**
 * The C library calls the HAL makes through JNA (the GPIO chip lookup, input lines and their
 * edge events through the GPIO character device), loaded once for all of hal, and the Unix
 * socket calls the runtime's supervisor needs to learn which process is
 * at the other end of its link (SO_PEERCRED, which Java's sockets do not give with the pid):
 * the one libc binding above threading; and {@link Ioctl}, the ioctl of the I2C and SPI
 * transfers, which allocates nothing. Each failing call throws LastErrorException (errno).
 * Not for applications.
 */
public interface LibC extends Library {
    // Linux generic values (x86, x86-64, arm, arm64)
    int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CLOEXEC = 02000000;
    /** {@code struct pollfd} (int fd; short events; short revents): 8 bytes, revents at 6. */
    int POLLFD_BYTES = 8;
    short POLLIN = 0x1, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;
    int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_CLOEXEC = 02000000;
    int SOL_SOCKET = 1, SO_PEERCRED = 17;
    int SHUT_RDWR = 2;
    int MSG_NOSIGNAL = 0x4000;
    int EINTR = 4, ENOTCONN = 107;

    /** The C library. @throws HalException if JNA cannot load it (then every call throws). */
    static LibC get() {
        if (Holder.INSTANCE == null) {
            throw new HalException("JNA cannot load the C library: " + Holder.ERROR.getMessage()
                    + "; if JNA's own native library failed to load, see docs/hal.md, Native libraries", Holder.ERROR);
        }
        return Holder.INSTANCE;
    }

    int open(String path, int flags) throws LastErrorException;

    int ioctl(int fd, NativeLong request, Object... args) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    /** {@code fds} is an array of {@code nfds} {@code struct pollfd}; {@code timeoutMs} negative: no bound. Returns how many have revents. */
    int poll(Pointer fds, NativeLong nfds, int timeoutMs) throws LastErrorException;

    /** A pipe: {@code fds[0]} the read end, {@code fds[1]} the write end; flags such as {@link #O_CLOEXEC}. */
    int pipe2(int[] fds, int flags) throws LastErrorException;

    NativeLong write(int fd, byte[] buffer, NativeLong countBytes) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    /** {@code addr} is a {@code struct sockaddr_un}: the family in native byte order, then the path and a NUL. */
    int bind(int fd, byte[] addr, int addrLenBytes) throws LastErrorException;

    int listen(int fd, int backlog) throws LastErrorException;

    /** {@code addr} and {@code addrLen} may be null: the peer's address is not wanted. */
    int accept4(int fd, Pointer addr, Pointer addrLen, int flags) throws LastErrorException;

    /** For SO_PEERCRED {@code value} is a {@code struct ucred}: pid, uid, gid; {@code lenBytes} holds 12. */
    int getsockopt(int fd, int level, int option, int[] value, int[] lenBytes) throws LastErrorException;

    NativeLong read(int fd, byte[] buffer, NativeLong countBytes) throws LastErrorException;

    /** Into native memory the caller keeps, so a read in a loop allocates no buffer. */
    NativeLong read(int fd, Pointer buffer, NativeLong countBytes) throws LastErrorException;

    /** With {@link #MSG_NOSIGNAL} a peer gone is EPIPE, not a SIGPIPE to the process. */
    NativeLong send(int fd, byte[] buffer, NativeLong countBytes, int flags) throws LastErrorException;

    int shutdown(int fd, int how) throws LastErrorException;

    /** One datagram to {@code address}, a {@code struct sockaddr_un} of {@code addressLength} bytes. */
    NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength)
            throws LastErrorException;

    /**
     * {@code ioctl} for the calls made per transfer (I2C_RDWR, SPI_IOC_MESSAGE), direct-mapped
     * (JNA's {@code Native.register}): a call allocates nothing on the Java heap, where a method
     * of this interface allocates its argument array and boxes (64 bytes a call with a
     * {@code Pointer} argument, about 150 through {@link #ioctl(int, NativeLong, Object...)}'s
     * varargs, measured with JNA 5.17 on JDK 25). Bound on first use; each failing call throws
     * LastErrorException (errno).
     */
    final class Ioctl {
        /** Why the C library could not be bound, or null when it was. */
        private static final LinkageError ERROR;

        static {
            LinkageError error = null;
            try {
                // Both native methods are the C function ioctl: a direct-mapped method binds to
                // the function of its own name unless a function mapper says otherwise.
                FunctionMapper toIoctl = (library, method) -> "ioctl";
                Native.register(Ioctl.class, NativeLibrary.getInstance("c", Map.of(Library.OPTION_FUNCTION_MAPPER, toIoctl)));
            } catch (LinkageError e) {
                error = e;
            }
            ERROR = error;
        }

        private Ioctl() {
        }

        /**
         * {@code ioctl(fd, request, arg)} with {@code arg} a pointer to the request's struct.
         *
         * @throws HalException if JNA cannot bind the C library
         */
        public static int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException {
            check();
            return ioctlPointer(fd, request, arg);
        }

        /**
         * {@code ioctl(fd, request, value)} with an {@code unsigned long} passed by value (I2C_TIMEOUT).
         *
         * @throws HalException if JNA cannot bind the C library
         */
        public static int ioctl(int fd, NativeLong request, NativeLong value) throws LastErrorException {
            check();
            return ioctlValue(fd, request, value);
        }

        private static void check() {
            if (ERROR != null) {
                throw new HalException("JNA cannot bind ioctl in the C library: " + ERROR.getMessage()
                        + "; if JNA's own native library failed to load, see docs/hal.md, Native libraries", ERROR);
            }
        }

        private static native int ioctlPointer(int fd, NativeLong request, Pointer arg) throws LastErrorException;

        private static native int ioctlValue(int fd, NativeLong request, NativeLong value) throws LastErrorException;
    }

    /**
     * Loads libc once, on first use; a failure is kept (not thrown from the initialiser, which
     * would hide it behind NoClassDefFoundError on every later call).
     */
    final class Holder {
        /** The C library, or null if it could not be loaded (then ERROR says why). */
        static final LibC INSTANCE;
        static final LinkageError ERROR;

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
        }

        private Holder() {
        }
    }
}
