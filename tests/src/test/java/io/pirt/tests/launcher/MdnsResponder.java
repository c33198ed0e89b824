package io.pirt.tests.launcher;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
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
 * A stand-in for a board's avahi-daemon, run as a process of its own inside the test's network
 * namespace: it joins the mDNS group on the interface of ADDRESS and answers legacy unicast queries
 * (RFC 6762 §6.7: a query from a port other than 5353 is answered by unicast to it, with the query's ID
 * and question, TTL 10 and no cache-flush bit, as Avahi does) for the records of the package's service
 * file: PTR {@code _pirt._tcp.local.} -> {@code pirt on HOST._pirt._tcp.local.}, its SRV (HOST.local, SSH-PORT)
 * and TXT (board, runtime, ssh, socket), and the A record HOST.local -> ADDRESS. MODE {@code full} puts
 * the SRV, TXT and A beside the PTR (additional records, RFC 6763 §12), {@code bare} answers only what
 * is asked, so the querier must ask again. Prints {@code listening} once it is in the group; ends when
 * its stdin closes.
 *
 * <p>Arguments: ADDRESS HOST BOARD-ID RUNTIME-VERSION SSH-PORT MODE.
 */
public final class MdnsResponder {
    private static final int TTL = 10;

    private MdnsResponder() {
    }

    public static void main(String[] args) throws IOException {
        InetAddress address = InetAddress.getByName(args[0]);
        Name type = Name.fromString("_pirt._tcp.local.");
        Name host = Name.fromString(args[1] + ".local.");
        Name instance = Name.fromString("pirt on " + args[1] + "._pirt._tcp.local.");
        int sshPort = Integer.parseInt(args[4]);
        boolean full = switch (args[5]) {
            case "full" -> true;
            case "bare" -> false;
            default -> throw new IllegalArgumentException("MODE is full or bare, not " + args[5]);
        };
        Record ptr = new PTRRecord(type, DClass.IN, TTL, instance);
        Record srv = new SRVRecord(instance, DClass.IN, TTL, 0, 0, sshPort, host);
        Record txt = new TXTRecord(instance, DClass.IN, TTL,
                List.of("board=" + args[2], "runtime=" + args[3], "ssh=" + sshPort, "socket=/run/pirt/wire.sock"));
        Record a = new ARecord(host, DClass.IN, TTL, (Inet4Address) address);

        NetworkInterface ni = NetworkInterface.getByInetAddress(address);
        if (ni == null) throw new IllegalArgumentException("no interface has " + address);
        try (MulticastSocket socket = new MulticastSocket(5353)) {
            socket.joinGroup(new InetSocketAddress(InetAddress.getByName("224.0.0.251"), 5353), ni);
            Thread stdin = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // held until the test closes stdin
                    }
                } catch (IOException e) {
                    System.err.println("reading stdin failed: " + e);
                }
                socket.close();
            }, "stdin");
            stdin.setDaemon(true);
            stdin.start();
            System.out.println("listening");
            System.out.flush();
            byte[] buffer = new byte[9000];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketException closed) {
                    return; // stdin closed: the test is done
                }
                if (packet.getPort() == 5353) continue; // only legacy unicast queries are this stand-in's business
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                if (query.getHeader().getFlag(Flags.QR)) continue;
                Message reply = new Message(query.getHeader().getID());
                reply.getHeader().setFlag(Flags.QR);
                reply.getHeader().setFlag(Flags.AA);
                for (Record q : query.getSection(Section.QUESTION)) {
                    reply.addRecord(q, Section.QUESTION);
                    Name name = q.getName();
                    int t = q.getType();
                    if (name.equals(type) && t == Type.PTR) {
                        reply.addRecord(ptr, Section.ANSWER);
                        if (full) {
                            reply.addRecord(srv, Section.ADDITIONAL);
                            reply.addRecord(txt, Section.ADDITIONAL);
                            reply.addRecord(a, Section.ADDITIONAL);
                        }
                    } else if (name.equals(instance) && t == Type.SRV) {
                        reply.addRecord(srv, Section.ANSWER);
                    } else if (name.equals(instance) && t == Type.TXT) {
                        reply.addRecord(txt, Section.ANSWER);
                    } else if (name.equals(host) && t == Type.A) {
                        reply.addRecord(a, Section.ANSWER);
                    }
                }
                System.err.println("asked " + query.getSection(Section.QUESTION) + " from " + packet.getSocketAddress() + ": "
                        + reply.getHeader().getCount(Section.ANSWER) + " answers");
                if (reply.getHeader().getCount(Section.ANSWER) == 0) continue;
                byte[] wire = reply.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            }
        }
    }
}
