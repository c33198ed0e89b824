package io.pirt.tests.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;

/**
 * A stand-in for a board's avahi-daemon, run as a process of its own inside the test's network
 * namespace: announces {@code _pirt._tcp} as the package's service file does (TXT board, runtime, ssh,
 * socket), prints {@code announced} once JmDNS has registered it, and withdraws it when its stdin closes.
 *
 * <p>Arguments: BIND-ADDRESS HOST-NAME BOARD-ID RUNTIME-VERSION SSH-PORT.
 */
public final class MdnsAnnouncer {
    private MdnsAnnouncer() {
    }

    public static void main(String[] args) throws IOException {
        int sshPort = Integer.parseInt(args[4]);
        try (JmDNS mdns = JmDNS.create(InetAddress.getByName(args[0]), args[1])) {
            mdns.registerService(ServiceInfo.create("_pirt._tcp.local.", "pirt on " + args[1], sshPort, 0, 0,
                    Map.of("board", args[2], "runtime", args[3], "ssh", String.valueOf(sshPort), "socket", "/run/pirt/wire.sock")));
            System.out.println("announced");
            System.out.flush();
            while (System.in.read() >= 0) {
                // held until the test closes stdin
            }
        }
    }
}
