package io.pirt.tools.ports;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

/**
 * The boards that announce themselves by mDNS as {@code _pirt._tcp} (the pirt-runtime package's Avahi
 * service file, docs/raspberry-pi.md), found by asking on the given local addresses for a bounded time.
 * Stateless; {@link #browse} may be called from any thread.
 *
 * <p>Implementation notes: one JmDNS instance per local address, each on a thread of its own, all
 * given the same deadline; an instance that has not answered by then is abandoned (its threads are
 * daemons), so the caller waits at most {@code timeoutMs} plus a short grace, whatever the network
 * does. JmDNS's {@code list} asks the question, waits for the answers and resolves them; each instance
 * is closed behind, on a daemon thread, since its close takes seconds.
 */
final class NetworkBoards {
    /** The service type the package announces. */
    static final String SERVICE_TYPE = "_pirt._tcp.local.";
    /** How long past the deadline an instance's {@code list} may take to return what it has. */
    private static final long CLOSE_GRACE_MS = 300;

    /**
     * One board found.
     *
     * @param host the board's mDNS host name without the trailing dot ({@code kitchen.local}), or its address
     * @param addresses its IPv4 addresses, in text
     * @param sshPort the port its sshd listens on (TXT {@code ssh}, else the service's port)
     */
    record Found(String instance, String board, String runtime, String host, List<String> addresses, int sshPort) {
        /** What to give {@code --port}: {@code ssh://host}, with {@code :port} when it is not 22. */
        String sshAddress() {
            return "ssh://" + host + (sshPort == 22 ? "" : ":" + sshPort);
        }
    }

    /** What a browse found, and for each address it could not browse on, why. */
    record Result(List<Found> boards, List<String> failures) {
    }

    private NetworkBoards() {
    }

    /**
     * The local addresses to ask on: the IPv4 address of every interface that is up, not loopback and
     * multicast-capable.
     *
     * @throws SocketException if the interfaces cannot be listed
     */
    static List<InetAddress> localAddresses() throws SocketException {
        List<InetAddress> result = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback() || !ni.supportsMulticast()) continue;
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address) result.add(a);
            }
        }
        return result;
    }

    /**
     * Asks on each of {@code on} for {@code _pirt._tcp} services for {@code timeoutMs}, and returns the
     * boards that answered, each once (sorted by host), and the addresses whose browse failed or did not
     * end in time. Returns within {@code timeoutMs} plus a short grace.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    static Result browse(List<InetAddress> on, long timeoutMs) throws InterruptedException {
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(Math.max(1, on.size()), r -> {
            Thread t = new Thread(r, "pirt-mdns-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            long start = System.nanoTime();
            long answersBy = start + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            long deadline = answersBy + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MS);
            Map<InetAddress, Future<ServiceInfo[]>> asked = new LinkedHashMap<>();
            for (InetAddress a : on) asked.put(a, threads.submit(() -> ask(a, answersBy)));
            Map<String, Found> found = new LinkedHashMap<>();
            List<String> failures = new ArrayList<>();
            for (Map.Entry<InetAddress, Future<ServiceInfo[]>> e : asked.entrySet()) {
                String where = e.getKey().getHostAddress();
                try {
                    for (ServiceInfo info : e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        Found f = found(info);
                        found.putIfAbsent(f.host() + ":" + f.sshPort() + "/" + f.instance(), f);
                    }
                } catch (ExecutionException x) {
                    Throwable cause = x.getCause();
                    failures.add(where + ": " + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
                } catch (TimeoutException x) {
                    failures.add(where + ": no end within " + timeoutMs + " ms");
                }
            }
            List<Found> boards = new ArrayList<>(found.values());
            boards.sort((a, b) -> a.host().compareTo(b.host()));
            return new Result(boards, failures);
        } finally {
            threads.shutdownNow();
        }
    }

    /** The services on {@code on} that answered by {@code answersByNanos} (a {@link System#nanoTime()} deadline). */
    private static ServiceInfo[] ask(InetAddress on, long answersByNanos) throws IOException {
        JmDNS mdns = JmDNS.create(on, "pirt-ports");
        try {
            long leftMs = TimeUnit.NANOSECONDS.toMillis(answersByNanos - System.nanoTime());
            return leftMs > 0 ? mdns.list(SERVICE_TYPE, leftMs) : new ServiceInfo[0];
        } finally {
            closeBehind(mdns, on);
        }
    }

    /**
     * Closes {@code mdns} on a daemon thread of its own: JmDNS's close waits for its timers (about 2 s,
     * measured with 3.6.2), which would double the command's time. The instance registered nothing, so
     * the close sends no goodbye anyone waits for; a JVM that exits first ends it.
     */
    private static void closeBehind(JmDNS mdns, InetAddress on) {
        Thread closer = new Thread(() -> {
            try {
                mdns.close();
            } catch (IOException e) {
                System.err.println("pirt ports: closing the mDNS query on " + on.getHostAddress() + " failed: " + e.getMessage());
            }
        }, "pirt-mdns-close-" + on.getHostAddress());
        closer.setDaemon(true);
        closer.start();
    }

    private static Found found(ServiceInfo info) {
        List<String> addresses = new ArrayList<>();
        for (Inet4Address a : info.getInet4Addresses()) addresses.add(a.getHostAddress());
        String server = info.getServer();
        if (server != null && server.endsWith(".")) server = server.substring(0, server.length() - 1);
        String host = server != null && !server.isEmpty() ? server : addresses.isEmpty() ? "?" : addresses.get(0);
        int sshPort = info.getPort();
        String ssh = info.getPropertyString("ssh");
        if (ssh != null) {
            try {
                sshPort = Integer.parseInt(ssh.strip());
            } catch (NumberFormatException e) {
                // An announcement from something else than the package: its service port is the best there is.
                sshPort = info.getPort();
            }
        }
        return new Found(info.getName(), orDash(info.getPropertyString("board")), orDash(info.getPropertyString("runtime")), host,
                addresses, sshPort);
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
