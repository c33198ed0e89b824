package io.pirt.tools.ports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
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

/** What {@link NetworkBoards.Answers} makes of mDNS answers (no socket: the messages are built here, then read back from their wire form). */
class NetworkBoardsTest {
    private static final Name INSTANCE = Name.fromConstantString("pirt on kitchen._pirt._tcp.local.");
    private static final Name HOST = Name.fromConstantString("kitchen.local.");

    private static Record ptr() {
        return new PTRRecord(NetworkBoards.SERVICE_TYPE, DClass.IN, 10, INSTANCE);
    }

    private static Record srv(int port) {
        return new SRVRecord(INSTANCE, DClass.IN, 10, 0, 0, port, HOST);
    }

    private static Record txt(String... strings) {
        return new TXTRecord(INSTANCE, DClass.IN, 10, List.of(strings));
    }

    private static Record a(String address) throws Exception {
        return new ARecord(HOST, DClass.IN, 10, InetAddress.getByName(address));
    }

    /** A response carrying {@code answers} in its answer section and {@code additional} in its additional one, as read off the wire. */
    private static Message response(List<Record> answers, List<Record> additional) throws Exception {
        Message m = new Message(1234);
        m.getHeader().setFlag(Flags.QR);
        for (Record r : answers) m.addRecord(r, Section.ANSWER);
        for (Record r : additional) m.addRecord(r, Section.ADDITIONAL);
        return new Message(m.toWire());
    }

    @Test
    void aPtrWithItsSrvTxtAndAInTheAdditionalSectionIsABoardAndNothingIsMissing() throws Exception {
        NetworkBoards.Answers answers = new NetworkBoards.Answers();
        answers.add(response(List.of(ptr()), List.of(srv(2222), txt("board=rpi-4b", "runtime=9.8.7", "ssh=2222", "socket=/run/pirt/wire.sock"),
                a("192.168.1.20"))), InetAddress.getByName("192.168.1.20"));

        assertEquals(List.of(), answers.missing());
        List<NetworkBoards.Found> boards = answers.boards();
        assertEquals(1, boards.size(), boards::toString);
        NetworkBoards.Found b = boards.get(0);
        assertEquals(List.of("rpi-4b", "9.8.7", "kitchen.local", List.of("192.168.1.20"), 2222),
                List.of(b.board(), b.runtime(), b.host(), b.addresses(), b.sshPort()));
        assertEquals("ssh://kitchen.local:2222", b.sshAddress());
    }

    @Test
    void aBarePtrAsksForTheSrvAndTxtThenTheHostsAddress() throws Exception {
        NetworkBoards.Answers answers = new NetworkBoards.Answers();
        InetAddress from = InetAddress.getByName("10.0.0.7");
        answers.add(response(List.of(ptr()), List.of()), from);
        assertEquals(List.of(new NetworkBoards.Question(INSTANCE, Type.SRV), new NetworkBoards.Question(INSTANCE, Type.TXT)),
                answers.missing());
        assertEquals(List.of(), answers.boards(), "without its SRV there is no host or port to list");

        // The names come back in other case: DNS names compare without it.
        answers.add(response(List.of(new SRVRecord(Name.fromString("PIRT ON KITCHEN._pirt._tcp.local."), DClass.IN, 10, 0, 0, 22, HOST)),
                List.of()), from);
        assertEquals(List.of(new NetworkBoards.Question(HOST, Type.A), new NetworkBoards.Question(INSTANCE, Type.TXT)), answers.missing());
        NetworkBoards.Found noTxtNoA = answers.boards().get(0);
        assertEquals(List.of("-", "-", List.of("10.0.0.7"), "ssh://kitchen.local"),
                List.of(noTxtNoA.board(), noTxtNoA.runtime(), noTxtNoA.addresses(), noTxtNoA.sshAddress()),
                "until the TXT and A come: dashes, and the address the answer came from");

        answers.add(response(List.of(txt("Board=rpi-5", "runtime=1.0")), List.of()), from);
        answers.add(response(List.of(a("10.0.0.8")), List.of()), from);
        assertEquals(List.of(), answers.missing());
        NetworkBoards.Found b = answers.boards().get(0);
        assertEquals(List.of("rpi-5", "1.0", List.of("10.0.0.8"), 22), List.of(b.board(), b.runtime(), b.addresses(), b.sshPort()),
                "TXT keys without case (RFC 6763 §6.4); the host's A record over the sender");
    }

    @Test
    void aTxtSshThatIsNoNumberLeavesTheServicePort() throws Exception {
        NetworkBoards.Answers answers = new NetworkBoards.Answers();
        answers.add(response(List.of(ptr(), srv(2022), txt("ssh=twenty-two")), List.of(a("10.0.0.9"))), InetAddress.getByName("10.0.0.9"));
        assertEquals(2022, answers.boards().get(0).sshPort());
    }
}
