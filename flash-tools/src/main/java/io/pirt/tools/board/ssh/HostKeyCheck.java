package io.pirt.tools.board.ssh;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;

/**
 * The host's key against {@code known_hosts} (hashed entries and the {@code [host]:port} form
 * included, as MINA reads them): a known key passes; an unknown one is refused, or with
 * accept-new recorded in the file and passed; a changed or revoked one is always refused.
 * It remembers what it refused, so the caller can say it. Thread-safe (one session's
 * key exchange calls it; the caller reads after the connection attempt ended).
 */
final class HostKeyCheck extends KnownHostsServerKeyVerifier {
    /** What the check refused; null while it refused nothing. Set once, by the key exchange's thread. */
    private volatile Refused refused;

    /** A refused key: {@code known} is the entry it contradicts, null for an unknown host. */
    record Refused(PublicKey key, KnownHostEntry known, boolean revoked) {
    }

    HostKeyCheck(Path knownHosts, boolean acceptNew) {
        super(acceptNew ? AcceptAllServerKeyVerifier.INSTANCE : RejectAllServerKeyVerifier.INSTANCE, knownHosts);
        setModifiedServerKeyAcceptor(this);
    }

    Refused refused() {
        return refused;
    }

    @Override
    protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
        boolean accepted = super.acceptUnknownHostKey(session, remote, key); // with accept-new, also written to the file
        if (!accepted) refused = new Refused(key, null, false);
        return accepted;
    }

    @Override
    public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote, KnownHostEntry entry,
                                           PublicKey expected, PublicKey actual) {
        refused = new Refused(actual, entry, false);
        return false; // never, whatever accept-new says: a changed key is what known_hosts exists to catch
    }

    @Override
    protected void handleRevokedKey(ClientSession session, SocketAddress remote, PublicKey key) {
        refused = new Refused(key, null, true);
        super.handleRevokedKey(session, remote, key);
    }
}
