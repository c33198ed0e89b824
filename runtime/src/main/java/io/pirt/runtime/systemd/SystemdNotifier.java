package io.pirt.runtime.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import io.pirt.hal.internal.LibC;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Tells the service manager how the runtime is (sd_notify(3)): {@code READY=1},
 * {@code WATCHDOG=1}, {@code STATUS=...}, each message one datagram on the Unix socket that
 * systemd names in {@code NOTIFY_SOCKET} — a file system path, or an abstract name written
 * with a leading {@code @}.
 *
 * <p>Java's channels have no Unix datagram sockets, and libsystemd is not on every board, so
 * this is the protocol itself, through hal's JNA binding of the C library: {@code socket(AF_UNIX, SOCK_DGRAM)} once, then one
 * {@code sendto} per message. systemd learns the sender's PID from the kernel, so any thread
 * of the runtime's JVM (the service's main process) may send.
 *
 * <p>Thread-safe: each send is one system call on a socket no one else reads.
 */
public final class SystemdNotifier implements AutoCloseable {
    /** The environment variable systemd sets for a Type=notify service. */
    public static final String SOCKET_VARIABLE = "NOTIFY_SOCKET";

    /** sizeof(struct sockaddr_un): a 2-byte family and 108 bytes of path. */
    private static final int SUN_PATH_BYTES = 108;

    private final String address;
    /** {@code struct sockaddr_un} for {@link #address}, and its length as sendto wants it. */
    private final byte[] sockaddr;
    private final int sockaddrLength;
    /** The datagram socket; -1 once closed. */
    private volatile int fd;

    private SystemdNotifier(String address, byte[] sockaddr, int sockaddrLength, int fd) {
        this.address = address;
        this.sockaddr = sockaddr;
        this.sockaddrLength = sockaddrLength;
        this.fd = fd;
    }

    /**
     * A notifier for the socket in {@code environment}'s {@value #SOCKET_VARIABLE}, or empty when
     * it is not set (the runtime was not started by systemd as Type=notify: nothing to tell).
     *
     * @throws IOException if the variable names no usable address or the socket cannot be made
     */
    public static Optional<SystemdNotifier> fromEnvironment(Map<String, String> environment) throws IOException {
        String address = environment.get(SOCKET_VARIABLE);
        if (address == null || address.isEmpty()) return Optional.empty();
        return Optional.of(open(address));
    }

    /**
     * A notifier for {@code address}: a path, or {@code @name} for an abstract socket.
     *
     * @throws IOException if the address is too long or not a Unix socket address, or the
     *                     socket cannot be made
     */
    public static SystemdNotifier open(String address) throws IOException {
        boolean isAbstract = address.startsWith("@");
        if (!isAbstract && !address.startsWith("/")) {
            throw new IOException(SOCKET_VARIABLE + "=" + address + " is neither a path (/...) nor an abstract socket (@...)");
        }
        byte[] path = address.getBytes(StandardCharsets.UTF_8);
        // A path needs its terminating NUL inside sun_path; an abstract name is its bytes after a leading NUL.
        if (path.length + (isAbstract ? 0 : 1) > SUN_PATH_BYTES) {
            throw new IOException(SOCKET_VARIABLE + "=" + address + " is longer than a Unix socket address (" + SUN_PATH_BYTES + " bytes)");
        }
        ByteBuffer b = ByteBuffer.allocate(2 + SUN_PATH_BYTES).order(ByteOrder.nativeOrder());
        b.putShort((short) LibC.AF_UNIX);
        b.put(path);
        byte[] sockaddr = b.array();
        if (isAbstract) sockaddr[2] = 0;
        int length = 2 + path.length + (isAbstract ? 0 : 1);
        int fd;
        try {
            fd = libc().socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("cannot make a Unix datagram socket for " + SOCKET_VARIABLE + "=" + address + ": errno " + e.getErrorCode(), e);
        } catch (LinkageError e) { // JNA or its native library did not load: the first use says why, once
            throw new IOException("cannot reach the C library through JNA to notify " + address + ": " + e, e);
        }
        return new SystemdNotifier(address, sockaddr, length, fd);
    }

    /**
     * Sends {@code state}, one or more newline-separated assignments such as {@code READY=1}.
     *
     * @throws IOException if the datagram is not accepted (the message names the socket and errno),
     *                     or the notifier is closed
     */
    public void send(String state) throws IOException {
        int s = fd;
        if (s < 0) throw new IOException("the notifier for " + address + " is closed");
        byte[] bytes = state.getBytes(StandardCharsets.UTF_8);
        try {
            libc().sendto(s, bytes, new NativeLong(bytes.length), LibC.MSG_NOSIGNAL, sockaddr, sockaddrLength);
        } catch (LastErrorException e) {
            throw new IOException("cannot notify the service manager on " + address + " (" + firstLine(state) + "): errno "
                    + e.getErrorCode(), e);
        }
    }

    /** The socket address, as {@code NOTIFY_SOCKET} gave it. */
    public String address() {
        return address;
    }

    @Override
    public synchronized void close() {
        int s = fd;
        if (s < 0) return;
        fd = -1;
        libc().close(s); // close(2) on a datagram socket fails only for a bad descriptor, which would be our bug
    }

    private static String firstLine(String state) {
        int nl = state.indexOf('\n');
        return nl < 0 ? state : state.substring(0, nl) + " ...";
    }

    /** The C library, through hal's binding (the one above threading's); a LinkageError if JNA cannot load it. */
    private static LibC libc() {
        return LibC.get();
    }
}
