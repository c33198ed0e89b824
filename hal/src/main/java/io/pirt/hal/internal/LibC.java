package io.pirt.hal.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.pirt.hal.HalException;

/**
 * The C library calls the HAL makes through JNA (today the GPIO chip lookup), loaded once for
 * all of hal: the one libc binding in this part. Each failing call throws
 * LastErrorException (errno). Not for applications.
 */
public interface LibC extends Library {
    // Linux generic values (x86, x86-64, arm, arm64)
    int O_RDONLY = 0, O_CLOEXEC = 02000000;

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
