package io.pirt.tools.board.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.shell.ProcessShellCommandFactory;

/**
 * An SSH server in the test's process, on 127.0.0.1 at a free port: a throwaway ECDSA host
 * key, public-key authentication for the keys {@link #authorize authorized}, and
 * {@code direct-streamlocal} channels to Unix sockets (as OpenSSH's sshd with
 * AllowStreamLocalForwarding), plus {@code exec} of shell commands (as any sshd; the tool uses
 * it to say why a socket was refused). {@link #cut} closes every connection, as a pulled network
 * cable or a restarted sshd would. The tests module uses it too (flash-tools' test jar). Safe
 * from any thread.
 */
public final class TestSshd implements AutoCloseable {
    private final SshServer server;
    private final KeyPair hostKey;
    private final List<PublicKey> authorized = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Bytes the clients sent into sockets so far, over all channels. */
    private final java.util.concurrent.atomic.AtomicLong forwarded = new java.util.concurrent.atomic.AtomicLong();
    /** Channels to sockets opened so far. */
    private final java.util.concurrent.atomic.AtomicInteger socketsOpened = new java.util.concurrent.atomic.AtomicInteger();
    /** Cut every connection once {@link #forwarded} passes this; Long.MAX_VALUE: never. */
    private final java.util.concurrent.atomic.AtomicLong cutAt = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);

    public TestSshd() throws Exception {
        this(hostKeyPair());
    }

    public TestSshd(KeyPair hostKey) throws IOException {
        this.hostKey = hostKey;
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator((user, key, session) -> authorized.stream().anyMatch(k -> k.equals(key)));
        List<ChannelFactory> channels = new ArrayList<>(server.getChannelFactories());
        channels.add(StreamLocalServerChannel.factory(this::forwarded, socketsOpened::incrementAndGet));
        server.setChannelFactories(channels);
        server.setCommandFactory(ProcessShellCommandFactory.INSTANCE);
        server.start();
    }

    /** A throwaway ECDSA P-256 host key (a JDK Ed25519 key pair is not one MINA can sign with). */
    public static KeyPair hostKeyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    public int port() {
        return server.getPort();
    }

    public PublicKey hostKey() {
        return hostKey.getPublic();
    }

    public void authorize(PublicKey key) {
        authorized.add(key);
    }

    /** Closes every connection at once. */
    public void cut() {
        for (Session s : server.getActiveSessions()) s.close(true);
    }

    /** Cuts every connection once clients have sent {@code bytes} more into sockets. */
    public void cutAfter(long bytes) {
        cutAt.set(forwarded.get() + bytes);
    }

    private void forwarded(long bytes) {
        long now = forwarded.addAndGet(bytes);
        long at = cutAt.get();
        if (now >= at && cutAt.compareAndSet(at, Long.MAX_VALUE)) cut();
    }

    /** SSH connections open now. */
    public int connections() {
        return server.getActiveSessions().size();
    }

    /** Channels to Unix sockets this server opened so far (one per tool connection). */
    public int socketsOpened() {
        return socketsOpened.get();
    }

    /**
     * Makes the user's key as a person does, with OpenSSH's ssh-keygen: {@code home/.ssh/id_ed25519}
     * (OpenSSH's format, unencrypted), and returns its public key.
     */
    public static PublicKey makeUserKey(Path home) throws Exception {
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Path file = ssh.resolve("id_ed25519");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", file.toString())
                .redirectErrorStream(true).start();
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + new String(p.getInputStream().readAllBytes()));
        }
        return PublicKeyEntry.parsePublicKeyEntry(Files.readString(ssh.resolve("id_ed25519.pub")).trim())
                .resolvePublicKey(null, null, null);
    }

    /** A known_hosts line for this server's key at [127.0.0.1]:port. */
    public String knownHostsLine(PublicKey key) {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key);
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
