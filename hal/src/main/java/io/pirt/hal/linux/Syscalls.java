package io.pirt.hal.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.pirt.hal.internal.LibC;

/**
 * The C library calls the kernel backends make, and the seam where a test stands in for the
 * kernel: it checks each ioctl's request number and the structs it points to, fills what the
 * kernel would fill, and throws LastErrorException for the errors. Each call throws
 * LastErrorException (errno) when it fails, as the C library's does.
 */
interface Syscalls {
    /** The C library's (loaded on first call, so that creating a backend does no I/O). */
    static Syscalls libc() {
        return Libc.INSTANCE;
    }

    int open(String path, int flags);

    /** {@code ioctl} with a pointer to the request's struct; allocates nothing. */
    int ioctl(int fd, NativeLong request, Pointer arg);

    /** {@code ioctl} with an {@code unsigned long} passed by value. */
    int ioctl(int fd, NativeLong request, NativeLong value);

    /** Writes all of {@code bytes} in one call (a sysfs attribute takes a value in one write); returns the count written. */
    int write(int fd, byte[] bytes);

    void close(int fd);

    /** The real calls: {@link LibC}, and its direct-mapped ioctl for the transfers. */
    final class Libc implements Syscalls {
        static final Libc INSTANCE = new Libc();

        private Libc() {
        }

        @Override
        public int open(String path, int flags) {
            return LibC.get().open(path, flags);
        }

        @Override
        public int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException {
            return LibC.Ioctl.ioctl(fd, request, arg);
        }

        @Override
        public int ioctl(int fd, NativeLong request, NativeLong value) throws LastErrorException {
            return LibC.Ioctl.ioctl(fd, request, value);
        }

        @Override
        public int write(int fd, byte[] bytes) {
            return (int) LibC.get().write(fd, bytes, new NativeLong(bytes.length)).longValue();
        }

        @Override
        public void close(int fd) {
            LibC.get().close(fd);
        }
    }
}
