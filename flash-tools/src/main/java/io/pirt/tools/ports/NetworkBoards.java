package io.pirt.tools.ports;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The boards that announce themselves by mDNS as {@code _pirt._tcp} (the pirt-runtime package's Avahi
 * service file, docs/raspberry-pi.md), found by a one-shot multicast DNS query (RFC 6762 §5.1) on the
 * given local addresses for a bounded time. Stateless; {@link #browse} may be called from any thread.
 *
 * <p>Implementation notes: for each local address, an ordinary UDP socket bound to it on an ephemeral
 * port (never 5353: nothing here joins the mDNS group or claims a name) sends one PTR query for
 * {@code _pirt._tcp.local.} to 224.0.0.251:5353 out of that address's interface. A query from a port
 * other than 5353 is a "legacy unicast" query (RFC 6762 §6.7): responders answer it by unicast to that
 * socket. The answers (PTR, and usually SRV, TXT and A beside it) are read until the deadline; what a
 * found instance still lacks (its SRV or TXT, its host's A) is asked for at once on the same socket. All
 * in the calling thread, one selector; DNS messages are built and read by dnsjava.
 */
final class NetworkBoards {
    /** The service type the package announces. */
    static final Name SERVICE_TYPE = Name.fromConstantString("_pirt._tcp.local.");
    /** The mDNS IPv4 group and port (RFC 6762 §3). */
    private static final InetSocketAddress MDNS_GROUP;

    static {
        try {
            MDNS_GROUP = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 224, 0, 0, (byte) 251}), 5353);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e); // four bytes are always an address
        }
    }

    /** RFC 6762 §11: mDNS packets are sent with IP TTL 255. */
    private static final int MDNS_TTL = 255;
    /** The largest answer read: a UDP payload (RFC 6762 §17 allows answers up to 9000 bytes; larger are cut, and unreadable). */
    private static final int MAX_ANSWER = 9000;

    /**
     * One board found.
     *
     * @param instance the service instance name ({@code pirt on kitchen._pirt._tcp.local.})
     * @param board the board id (TXT {@code board}), or {@code -}
     * @param runtime the runtime version (TXT {@code runtime}), or {@code -}
     * @param host the board's mDNS host name without the trailing dot ({@code kitchen.local}), or its address
     * @param addresses its IPv4 addresses, in text: the host's A records, else where the answer came from
     * @param sshPort the port its sshd listens on (TXT {@code ssh}, else the service's port)
     */
    record Found(String instance, String board, String runtime, String host, List<String> addresses, int sshPort) {
        /** What to give {@code --port}: {@code ssh://host}, with {@code :port} when it is not 22. */
        String sshAddress() {
            return "ssh://" + host + (sshPort == 22 ? "" : ":" + sshPort);
        }
    }

    /** What a browse found, and each thing that went wrong on the way, as a sentence naming the local address. */
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
     * Asks once on each of {@code on} for {@code _pirt._tcp} services and reads the answers for
     * {@code timeoutMs}; returns the boards that answered, each once (sorted by host), and what failed
     * (an address that is no interface's, a socket that cannot be bound or send). Returns after
     * {@code timeoutMs}, or at once when no address could be asked.
     *
     * @throws InterruptedException if the thread is interrupted while reading
     * @throws IOException if no selector can be opened (the JVM is out of file descriptors)
     */
    static Result browse(List<InetAddress> on, long timeoutMs) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        List<String> failures = new ArrayList<>();
        Answers answers = new Answers();
        List<Asker> askers = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            try {
                for (InetAddress a : on) {
                    Asker asker = Asker.open(a, failures);
                    if (asker == null) continue;
                    askers.add(asker);
                    asker.channel.register(selector, SelectionKey.OP_READ, asker);
                    asker.ask(SERVICE_TYPE, Type.PTR, failures);
                }
                ByteBuffer buffer = ByteBuffer.allocate(MAX_ANSWER);
                long left;
                while (askers.stream().anyMatch(Asker::open) && (left = deadline - System.nanoTime()) > 0) {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    if (Thread.interrupted()) throw new InterruptedException("pirt ports: interrupted while reading mDNS answers");
                    for (SelectionKey key : selector.selectedKeys()) {
                        Asker asker = (Asker) key.attachment();
                        asker.readAll(buffer, answers, failures);
                        for (Question q : answers.missing()) asker.ask(q.name(), q.type(), failures);
                    }
                    selector.selectedKeys().clear();
                }
            } finally {
                for (Asker a : askers) a.close(failures);
            }
        }
        List<Found> boards = answers.boards();
        boards.sort((a, b) -> a.host().compareTo(b.host()));
        return new Result(boards, failures);
    }

    /** A question the browse asks: an owner name and a record type ({@link Type}). */
    record Question(Name name, int type) {
    }

    /**
     * One local address's socket and what it has asked. Confined to the browsing thread. Invariant:
     * {@link #open} is false once the channel failed and was closed (its failure is in the list).
     */
    private static final class Asker {
        final InetAddress address;
        final DatagramChannel channel;
        /** The questions sent on this socket: each is sent once. */
        final Set<Question> asked = new HashSet<>();
        boolean open = true;

        private Asker(InetAddress address, DatagramChannel channel) {
            this.address = address;
            this.channel = channel;
        }

        boolean open() {
            return open;
        }

        /** A socket bound to {@code address} that sends out of its interface, or null with the reason added to {@code failures}. */
        static Asker open(InetAddress address, List<String> failures) {
            String where = address.getHostAddress();
            NetworkInterface ni;
            try {
                ni = NetworkInterface.getByInetAddress(address);
            } catch (SocketException e) {
                failures.add(where + ": its network interface cannot be found (" + e.getMessage() + ")");
                return null;
            }
            if (ni == null) {
                failures.add(where + ": no network interface of this machine has this address (see `ip addr`; --mdns-address takes one of them)");
                return null;
            }
            if (!(address instanceof Inet4Address)) {
                failures.add(where + ": mDNS is asked over IPv4 only; give --mdns-address an IPv4 address of " + ni.getName());
                return null;
            }
            DatagramChannel channel = null;
            try {
                channel = DatagramChannel.open(StandardProtocolFamily.INET);
                channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, ni);
                channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, MDNS_TTL);
                // A responder on this very machine hears the query too.
                channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
                channel.bind(new InetSocketAddress(address, 0));
                channel.configureBlocking(false);
                return new Asker(address, channel);
            } catch (IOException e) {
                failures.add(where + " (" + ni.getName() + "): no UDP socket for the mDNS query (" + e.getMessage() + ")");
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException closing) {
                        failures.add(where + ": closing the failed socket failed too (" + closing.getMessage() + ")");
                    }
                }
                return null;
            }
        }

        /** Sends the question {@code name}/{@code type} to the mDNS group, unless this socket asked it already. */
        void ask(Name name, int type, List<String> failures) {
            if (!open || !asked.add(new Question(name, type))) return;
            Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
            query.getHeader().unsetFlag(Flags.RD); // RFC 6762 §18.6: zero in mDNS queries
            try {
                channel.send(ByteBuffer.wrap(query.toWire()), MDNS_GROUP);
            } catch (IOException e) {
                fail("the mDNS query for " + name + " " + Type.string(type) + " cannot be sent (" + e.getMessage() + ")", failures);
            }
        }

        /** Reads every datagram waiting on the socket into {@code answers}; an unreadable one is reported, not fatal. */
        void readAll(ByteBuffer buffer, Answers answers, List<String> failures) {
            while (open) {
                buffer.clear();
                SocketAddress from;
                try {
                    from = channel.receive(buffer);
                } catch (IOException e) {
                    fail("reading the mDNS answers failed (" + e.getMessage() + ")", failures);
                    return;
                }
                if (from == null) return;
                buffer.flip();
                InetAddress sender = ((InetSocketAddress) from).getAddress();
                try {
                    Message m = new Message(buffer);
                    // Only responses: a query that reached this port is not an answer.
                    if (m.getHeader().getFlag(Flags.QR)) answers.add(m, sender);
                } catch (IOException e) {
                    failures.add(address.getHostAddress() + ": an answer from " + sender.getHostAddress()
                            + " is not a DNS message and was ignored (" + e.getMessage() + ")");
                }
            }
        }

        private void fail(String what, List<String> failures) {
            failures.add(address.getHostAddress() + ": " + what);
            close(failures);
        }

        void close(List<String> failures) {
            if (!open) return;
            open = false;
            try {
                channel.close();
            } catch (IOException e) {
                failures.add(address.getHostAddress() + ": closing the mDNS socket failed (" + e.getMessage() + ")");
            }
        }
    }

    /**
     * The records answered, from every socket, keyed by owner name (dnsjava's {@link Name} compares
     * without case, as DNS does). Confined to the browsing thread (package-private for its tests).
     */
    static final class Answers {
        /** The service instances named by a PTR for {@link #SERVICE_TYPE}, in the order found. */
        final Set<Name> instances = new LinkedHashSet<>();
        final Map<Name, SRVRecord> srv = new HashMap<>();
        final Map<Name, TXTRecord> txt = new HashMap<>();
        /** Host name -> its IPv4 addresses. */
        final Map<Name, Set<String>> ipv4 = new HashMap<>();
        /** Instance -> the address the first answer naming it came from (the board, for a responder answers for itself). */
        final Map<Name, String> sender = new HashMap<>();

        void add(Message m, InetAddress from) {
            List<Record> records = new ArrayList<>(m.getSection(Section.ANSWER));
            records.addAll(m.getSection(Section.ADDITIONAL));
            for (Record r : records) {
                if (r instanceof PTRRecord ptr && ptr.getName().equals(SERVICE_TYPE)) {
                    instances.add(ptr.getTarget());
                    sender.putIfAbsent(ptr.getTarget(), from.getHostAddress());
                } else if (r instanceof SRVRecord s) {
                    srv.putIfAbsent(s.getName(), s);
                    sender.putIfAbsent(s.getName(), from.getHostAddress());
                } else if (r instanceof TXTRecord t) {
                    txt.putIfAbsent(t.getName(), t);
                } else if (r instanceof ARecord a) {
                    ipv4.computeIfAbsent(a.getName(), n -> new LinkedHashSet<>()).add(a.getAddress().getHostAddress());
                }
            }
        }

        /** The questions whose answers a found instance still lacks: its SRV, its TXT, its host's A. */
        List<Question> missing() {
            List<Question> result = new ArrayList<>();
            for (Name i : instances) {
                SRVRecord s = srv.get(i);
                if (s == null) result.add(new Question(i, Type.SRV));
                else if (!ipv4.containsKey(s.getTarget())) result.add(new Question(s.getTarget(), Type.A));
                if (!txt.containsKey(i)) result.add(new Question(i, Type.TXT));
            }
            return result;
        }

        /** A board for each instance whose SRV arrived (without it there is no port to give), each host:port once. */
        List<Found> boards() {
            Map<String, Found> found = new LinkedHashMap<>();
            for (Name i : instances) {
                SRVRecord s = srv.get(i);
                if (s == null) continue;
                Map<String, String> props = properties(txt.get(i));
                String host = s.getTarget().toString(true);
                List<String> addresses = new ArrayList<>(ipv4.getOrDefault(s.getTarget(), Set.of()));
                if (addresses.isEmpty() && sender.containsKey(i)) addresses.add(sender.get(i));
                if (host.isEmpty()) host = addresses.isEmpty() ? "?" : addresses.get(0);
                int sshPort = s.getPort();
                String ssh = props.get("ssh");
                if (ssh != null) {
                    try {
                        sshPort = Integer.parseInt(ssh.strip());
                    } catch (NumberFormatException e) {
                        // An announcement from something else than the package: its service port is the best there is.
                        sshPort = s.getPort();
                    }
                }
                Found f = new Found(i.toString(), orDash(props.get("board")), orDash(props.get("runtime")), host, addresses, sshPort);
                found.putIfAbsent(host + ":" + sshPort + "/" + f.instance(), f);
            }
            return new ArrayList<>(found.values());
        }

        /** RFC 6763 §6: each string is {@code key=value} (or a bare key); keys without case; the first of a key counts. */
        private static Map<String, String> properties(TXTRecord t) {
            Map<String, String> result = new HashMap<>();
            if (t == null) return result;
            for (byte[] b : t.getStringsAsByteArrays()) {
                String s = new String(b, StandardCharsets.UTF_8);
                int eq = s.indexOf('=');
                String key = (eq < 0 ? s : s.substring(0, eq)).toLowerCase(java.util.Locale.ROOT);
                if (!key.isEmpty()) result.putIfAbsent(key, eq < 0 ? "" : s.substring(eq + 1));
            }
            return result;
        }
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }
}
