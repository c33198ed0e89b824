package io.pirt.runtime.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sd_notify as systemd receives it: a real Unix datagram socket bound here (at a path, and at
 * an abstract name), the notifier pointed at it as NOTIFY_SOCKET would, the datagrams read
 * back. Every receive has a bound, so a message that never comes fails the test.
 */
class SystemdWatchdogTest {
    private static final long RECEIVE_BOUND_MS = 5_000;

    @Test
    void readyAndKeepAlivesReachAPathSocket(@TempDir Path dir) throws Exception {
        String path = dir.resolve("notify").toString();
        try (Receiver systemd = Receiver.bind(path);
             SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", path)).orElseThrow()) {
            n.send("READY=1\nSTATUS=console on /dev/ttyGS0");
            assertEquals("READY=1\nSTATUS=console on /dev/ttyGS0", systemd.receive(RECEIVE_BOUND_MS));
            try (SystemdWatchdog w = new SystemdWatchdog(n, 10, Optional::empty, line -> { })) {
                w.start();
                for (int i = 0; i < 3; i++) assertEquals("WATCHDOG=1", systemd.receive(RECEIVE_BOUND_MS), "keep-alive " + i);
            }
        }
    }

    @Test
    void anAbstractSocketNameWithAtIsReached() throws Exception {
        String name = "@pirt-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (Receiver systemd = Receiver.bind(name); SystemdNotifier n = SystemdNotifier.open(name)) {
            n.send("READY=1");
            assertEquals("READY=1", systemd.receive(RECEIVE_BOUND_MS));
        }
    }

    @Test
    void keepAliveStopsWhenTheWatchedThreadDies(@TempDir Path dir) throws Exception {
        String path = dir.resolve("notify").toString();
        CountDownLatch end = new CountDownLatch(1);
        Thread console = new Thread(() -> {
            try {
                end.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "console-port");
        console.start();
        List<String> logged = new CopyOnWriteArrayList<>();
        try (Receiver systemd = Receiver.bind(path); SystemdNotifier n = SystemdNotifier.open(path);
             SystemdWatchdog w = new SystemdWatchdog(n, 10,
                     () -> console.isAlive() ? Optional.empty() : Optional.of("console thread(s) ended: console-port"),
                     logged::add)) {
            w.start();
            assertEquals("WATCHDOG=1", systemd.receive(RECEIVE_BOUND_MS));
            end.countDown();
            console.join(RECEIVE_BOUND_MS);
            assertFalse(console.isAlive(), "the watched thread ended");
            // Keep-alives sent before the loop saw the death may still be queued; then the fault, once.
            String m;
            while ((m = systemd.receive(RECEIVE_BOUND_MS)).equals("WATCHDOG=1")) {
                // a keep-alive from before the thread ended
            }
            assertEquals("STATUS=console thread(s) ended: console-port\nWATCHDOG=trigger", m);
            // Absence can only be watched for a while: ten keep-alive intervals bring nothing.
            assertNull(systemd.receiveWithin(100), "nothing after the fault: no more keep-alives");
            assertFalse(w.running(), "the keep-alive thread ended after the fault");
            assertTrue(logged.stream().anyMatch(l -> l.contains("console-port") && l.contains("no more keep-alives")), logged.toString());
        }
    }

    @Test
    void aFailedSendIsLoggedOnceAndTheLoopGoesOn(@TempDir Path dir) throws Exception {
        // No one bound at the path: every sendto fails (ENOENT/ECONNREFUSED), the same way each time.
        List<String> logged = new CopyOnWriteArrayList<>();
        CountDownLatch asked = new CountDownLatch(5);
        try (SystemdNotifier n = SystemdNotifier.open(dir.resolve("nobody").toString());
             SystemdWatchdog w = new SystemdWatchdog(n, 1, () -> {
                 asked.countDown();
                 return Optional.empty();
             }, logged::add)) {
            w.start();
            assertTrue(asked.await(RECEIVE_BOUND_MS, TimeUnit.MILLISECONDS), "the loop went on after failed sends");
            assertTrue(w.running());
        }
        assertEquals(1, logged.size(), "one line for five identical failures: " + logged);
        assertTrue(logged.get(0).contains("cannot notify the service manager on " + dir.resolve("nobody")), logged.get(0));
    }

    @Test
    void noSocketNoNotifierAndABadOneIsAnError() {
        assertEquals(Optional.empty(), assertDoesNotThrow(() -> SystemdNotifier.fromEnvironment(Map.of())));
        IOException e = assertThrows(IOException.class, () -> SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "notify")));
        assertTrue(e.getMessage().contains("neither a path"), e.getMessage());
        e = assertThrows(IOException.class, () -> SystemdNotifier.open("/" + "x".repeat(120)));
        assertTrue(e.getMessage().contains("longer than a Unix socket address"), e.getMessage());
    }

    @Test
    void keepAliveIntervalIsHalfOfWatchdogUsecForThisProcessOnly() {
        assertEquals(OptionalLong.of(10_000), SystemdWatchdog.keepAliveIntervalMs(Map.of("WATCHDOG_USEC", "20000000"), 42));
        assertEquals(OptionalLong.of(10_000),
                SystemdWatchdog.keepAliveIntervalMs(Map.of("WATCHDOG_USEC", "20000000", "WATCHDOG_PID", "42"), 42));
        assertEquals(OptionalLong.empty(),
                SystemdWatchdog.keepAliveIntervalMs(Map.of("WATCHDOG_USEC", "20000000", "WATCHDOG_PID", "7"), 42));
        assertEquals(OptionalLong.empty(), SystemdWatchdog.keepAliveIntervalMs(Map.of(), 42));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SystemdWatchdog.keepAliveIntervalMs(Map.of("WATCHDOG_USEC", "soon"), 42));
        assertTrue(e.getMessage().contains("WATCHDOG_USEC=soon"), e.getMessage());
    }

    private static <T> T assertDoesNotThrow(ThrowingSupplier<T> s) {
        try {
            return s.get();
        } catch (Exception e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    /** The service manager's end: a bound Unix datagram socket, read with a bounded poll. */
    static final class Receiver implements AutoCloseable {
        private static final int AF_UNIX = 1, SOCK_DGRAM = 2, SOCK_CLOEXEC = 02000000, POLLIN = 1;
        private final int fd;

        private Receiver(int fd) {
            this.fd = fd;
        }

        static Receiver bind(String address) {
            boolean isAbstract = address.startsWith("@");
            byte[] path = address.getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(110).order(ByteOrder.nativeOrder());
            b.putShort((short) AF_UNIX).put(path);
            byte[] sockaddr = b.array();
            if (isAbstract) sockaddr[2] = 0;
            int fd = TestLibC.INSTANCE.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            TestLibC.INSTANCE.bind(fd, sockaddr, 2 + path.length + (isAbstract ? 0 : 1));
            return new Receiver(fd);
        }

        /** The next datagram, waiting at most {@code timeoutMs}; fails the test if none comes. */
        String receive(long timeoutMs) {
            String m = receiveWithin((int) timeoutMs);
            assertNotNull(m, "no datagram within " + timeoutMs + " ms");
            return m;
        }

        /** The next datagram within {@code timeoutMs}, or null. */
        String receiveWithin(int timeoutMs) {
            byte[] pollfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(fd).putShort((short) POLLIN).array();
            if (TestLibC.INSTANCE.poll(pollfd, new NativeLong(1), timeoutMs) == 0) return null;
            byte[] buffer = new byte[4096];
            int n = TestLibC.INSTANCE.recv(fd, buffer, new NativeLong(buffer.length), 0).intValue();
            return new String(buffer, 0, n, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            TestLibC.INSTANCE.close(fd);
        }
    }

    interface TestLibC extends Library {
        TestLibC INSTANCE = Native.load("c", TestLibC.class);

        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] address, int addressLength) throws LastErrorException;

        int poll(byte[] fds, NativeLong count, int timeoutMs) throws LastErrorException;

        NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }
}
