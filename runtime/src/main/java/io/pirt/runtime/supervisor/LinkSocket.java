package io.pirt.runtime.supervisor;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import io.pirt.hal.HalException;
import io.pirt.hal.internal.LibC;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A listening Unix domain stream socket whose accepted connections tell the process id at
 * their other end: the supervision link's server (docs/runtime.md, "Supervision link").
 * Java's Unix domain channels give a peer's user and group ({@code SO_PEERCRED} as a
 * {@code UnixDomainPrincipal}) but not its pid, and hide their file descriptor, so this socket
 * is made with the C library (through hal's binding).
 *
 * <p>Thread-safety: {@link #accept()} is called by one thread at a time; {@link #close()} may
 * be called from any thread and wakes an {@code accept} in progress, which then throws
 * {@link AsynchronousCloseException}.
 */
final class LinkSocket implements Closeable {
    /** {@code sizeof(struct sockaddr_un)} on Linux: a 2-byte family and 108 bytes of path. */
    private static final int SOCKADDR_UN_BYTES = 110;
    private static final int BACKLOG = 4;

    /*
     * Implementation notes.
     *
     * A descriptor number is reused by the kernel as soon as it is closed, so one closed while
     * another thread is about to use it could make that thread read or write someone else's
     * file. Hence: close() shuts the socket down (which wakes a blocked accept or read) and
     * closes the descriptor only when no call is using it; the call in progress closes it as it
     * leaves. Both sockets here follow that rule through the same small state: fd, closed,
     * busy, guarded by the object's lock.
     */

    private final LibC c;
    /** The listening descriptor; -1 once closed. Guarded by this. */
    private int fd;
    /** Set by close(). Guarded by this. */
    private boolean closed;
    /** Whether accept() is in the kernel with fd. Guarded by this. */
    private boolean accepting;

    private LinkSocket(LibC c, int fd) {
        this.c = c;
        this.fd = fd;
    }

    /**
     * Binds a new socket at {@code path} (which must not exist) and listens.
     *
     * @throws IOException naming the path and the C library's error, or saying the C library cannot be loaded
     */
    static LinkSocket listen(Path path) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SOCKADDR_UN_BYTES - 2) {
            throw new IOException("the supervision socket's path " + path + " is " + name.length
                    + " bytes, longer than a Unix socket allows (107); give the runtime a shorter state directory");
        }
        LibC c;
        try {
            c = LibC.get();
        } catch (HalException e) {
            throw new IOException("cannot make the supervision socket: " + e.getMessage(), e);
        }
        byte[] addr = new byte[SOCKADDR_UN_BYTES];
        addr[java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ? 0 : 1] = (byte) LibC.AF_UNIX; // sa_family_t, native order
        System.arraycopy(name, 0, addr, 2, name.length);
        int fd;
        try {
            fd = c.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("cannot make the supervision socket: " + e.getMessage(), e);
        }
        try {
            c.bind(fd, addr, 2 + name.length + 1);
            c.listen(fd, BACKLOG);
        } catch (LastErrorException e) {
            IOException failure = new IOException("cannot listen on " + path + ": " + e.getMessage(), e);
            try {
                c.close(fd);
            } catch (LastErrorException closing) {
                failure.addSuppressed(closing);
            }
            throw failure;
        }
        return new LinkSocket(c, fd);
    }

    /**
     * Waits for the next connection.
     *
     * @throws AsynchronousCloseException if {@link #close()} was called before or during the wait
     * @throws IOException                with the C library's error otherwise
     */
    Connection accept() throws IOException {
        int listening;
        synchronized (this) {
            if (closed) throw new AsynchronousCloseException();
            accepting = true;
            listening = fd;
        }
        int accepted = -1;
        IOException failure = null;
        try {
            while (true) {
                try {
                    accepted = c.accept4(listening, null, null, LibC.SOCK_CLOEXEC);
                    break;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == LibC.EINTR) continue;
                    failure = new IOException("accepting on the supervision socket failed: " + e.getMessage(), e);
                    break;
                }
            }
        } finally {
            synchronized (this) {
                accepting = false;
                if (closed) {
                    closeFd(fd);
                    fd = -1;
                    if (accepted >= 0) closeFd(accepted);
                    accepted = -1;
                    failure = new AsynchronousCloseException();
                }
            }
        }
        if (failure != null) throw failure;
        return new Connection(c, accepted);
    }

    /** Stops listening; an {@link #accept()} waiting is woken and throws. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
            if (accepting) {
                // wakes the accept in progress (it then fails with EINVAL), which closes the descriptor as it leaves
                shutdown(c, fd);
            } else {
                closeFd(fd);
                fd = -1;
            }
        }
    }

    private void closeFd(int descriptor) {
        closeDescriptor(c, descriptor);
    }

    private static void shutdown(LibC c, int descriptor) {
        try {
            c.shutdown(descriptor, LibC.SHUT_RDWR);
        } catch (LastErrorException e) {
            // ENOTCONN: nothing to wake; the descriptor is still closed by its user
            if (e.getErrorCode() != LibC.ENOTCONN) throw new IllegalStateException("shutdown of socket " + descriptor + " failed: " + e.getMessage(), e);
        }
    }

    private static void closeDescriptor(LibC c, int descriptor) {
        try {
            c.close(descriptor);
        } catch (LastErrorException e) {
            // close(2) frees the descriptor even when it reports an error; there is nothing to retry
            throw new IllegalStateException("closing socket " + descriptor + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * One accepted connection. Its input is read by one thread; its output may be written by
     * several (each write is one call, under the connection's lock) and {@link #close()} called
     * by any, after which writes fail and a read in progress ends as at end of stream.
     */
    static final class Connection implements Closeable {
        private final LibC c;
        /** The peer's process id as the kernel recorded it at connect (SO_PEERCRED). */
        private final long peerPid;
        /** -1 once closed. Guarded by this. */
        private int fd;
        /** Set by close(). Guarded by this. */
        private boolean closed;
        /** Whether a read is in the kernel with fd. Guarded by this. */
        private boolean reading;

        private Connection(LibC c, int fd) throws IOException {
            this.c = c;
            this.fd = fd;
            int[] ucred = new int[3];
            try {
                c.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_PEERCRED, ucred, new int[] {12});
            } catch (LastErrorException e) {
                closeDescriptor(c, fd);
                throw new IOException("cannot learn which process connected to the supervision socket: " + e.getMessage(), e);
            }
            this.peerPid = ucred[0];
        }

        /** The process at the other end, as it was when it connected. */
        long peerPid() {
            return peerPid;
        }

        InputStream input() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return Connection.this.read(b, off, len);
                }
            };
        }

        OutputStream output() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    Connection.this.write(b, off, len);
                }
            };
        }

        private int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            int descriptor;
            synchronized (this) {
                if (closed) return -1;
                reading = true;
                descriptor = fd;
            }
            byte[] buffer = off == 0 ? b : new byte[len];
            long n = 0;
            IOException failure = null;
            try {
                while (true) {
                    try {
                        n = c.read(descriptor, buffer, new NativeLong(len)).longValue();
                        break;
                    } catch (LastErrorException e) {
                        if (e.getErrorCode() == LibC.EINTR) continue;
                        failure = new IOException("reading the supervision link failed: " + e.getMessage(), e);
                        break;
                    }
                }
            } finally {
                synchronized (this) {
                    reading = false;
                    if (closed && fd >= 0) {
                        closeDescriptor(c, fd);
                        fd = -1;
                    }
                }
            }
            if (failure != null) throw failure;
            if (n == 0) return -1;
            if (buffer != b) System.arraycopy(buffer, 0, b, off, (int) n);
            return (int) n;
        }

        private synchronized void write(byte[] b, int off, int len) throws IOException {
            if (closed) throw new IOException("the supervision link is closed");
            byte[] bytes = off == 0 && len == b.length ? b : java.util.Arrays.copyOfRange(b, off, off + len);
            int done = 0;
            while (done < len) {
                byte[] rest = done == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, done, len);
                try {
                    done += (int) c.send(fd, rest, new NativeLong(rest.length), LibC.MSG_NOSIGNAL).longValue();
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == LibC.EINTR) continue;
                    throw new IOException("writing the supervision link failed: " + e.getMessage(), e);
                }
            }
        }

        /** Closes the connection; a read in progress ends as at end of stream. Idempotent. */
        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            if (reading) {
                shutdown(c, fd); // wakes the read, which closes the descriptor as it leaves
            } else {
                closeDescriptor(c, fd);
                fd = -1;
            }
        }
    }
}
