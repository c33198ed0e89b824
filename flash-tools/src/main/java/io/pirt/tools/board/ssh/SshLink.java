package io.pirt.tools.board.ssh;

import io.pirt.tools.ToolException;
import io.pirt.tools.board.BoardAddress;
import io.pirt.tools.board.BoardLink;
import io.pirt.wire.LineRate;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.ConnectionService;

/**
 * A runtime's Unix socket on another host, through that host's own sshd ({@code ssh://}
 * addresses, docs/tool.md): an SSH connection authenticated with the user's keys
 * ({@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa}) and ssh-agent
 * ({@code SSH_AUTH_SOCK}), the host's key checked against {@code ~/.ssh/known_hosts}, then an
 * OpenSSH {@code direct-streamlocal} channel to the socket. The home directory is
 * {@code user.home}. A stream: no rate. Closing it closes the channel, the session and the
 * client's threads; a channel or session the server closes ends the input stream.
 */
public final class SshLink implements BoardLink {
    private final BoardAddress.Ssh address;
    private final SshClient client;
    private final ClientSession session;
    private final StreamLocalChannel channel;

    private SshLink(BoardAddress.Ssh address, SshClient client, ClientSession session, StreamLocalChannel channel) {
        this.address = address;
        this.client = client;
        this.session = session;
        this.channel = channel;
    }

    /**
     * Connects, checks the host key, authenticates and opens the channel to the socket, each step
     * bounded by {@code options.connectTimeoutMs()}.
     *
     * @throws ToolException (exit 1) saying which step failed and what to do
     */
    public static SshLink open(BoardAddress.Ssh address, BoardLink.Options options) throws ToolException, InterruptedException {
        Path sshDir = Path.of(System.getProperty("user.home"), ".ssh");
        Path knownHosts = sshDir.resolve("known_hosts");
        if (options.acceptNewHostKey()) createPrivateDirectory(sshDir);
        HostKeyCheck hostKeys = new HostKeyCheck(knownHosts, options.acceptNewHostKey());
        Identities identities = Identities.load(sshDir, terminal());
        String agent = System.getenv("SSH_AUTH_SOCK");
        long timeoutMs = options.connectTimeoutMs();

        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(hostKeys);
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY); // ~/.ssh/config is not read (docs/tool.md)
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER); // the keys below, no others
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE)); // no passwords: keys only
        if (agent != null && !agent.isBlank()) client.setAgentFactory(AgentConnection.factory(Path.of(agent)));
        client.start();
        ClientSession session = null;
        try {
            try {
                session = client.connect(address.login(), address.host(), address.port()).verify(timeoutMs).getSession();
            } catch (IOException e) {
                throw ToolException.failure(unreachable(address, e), e);
            }
            for (KeyPair k : identities.keys()) session.addPublicKeyIdentity(k);
            try {
                session.auth().verify(timeoutMs);
            } catch (IOException e) {
                HostKeyCheck.Refused refused = hostKeys.refused();
                if (refused != null) throw ToolException.failure(hostKeyMessage(address, knownHosts, refused), e);
                if (session.isOpen() && !session.isAuthenticated()) {
                    throw ToolException.failure(authFailed(address, identities, agent), e);
                }
                throw ToolException.failure(address + ": the SSH connection failed: " + e.getMessage(), e);
            }
            StreamLocalChannel channel = new StreamLocalChannel(address.socket());
            try {
                session.getService(ConnectionService.class).registerChannel(channel);
                channel.open().verify(timeoutMs);
            } catch (IOException e) {
                SshChannelOpenException refused = openRefusal(e);
                if (refused != null) throw ToolException.failure(socketRefused(address, session, refused, timeoutMs), e);
                throw ToolException.failure(address + ": opening a channel to " + address.socket() + " failed: "
                        + e.getMessage(), e);
            }
            return new SshLink(address, client, session, channel);
        } catch (ToolException | RuntimeException e) {
            closeQuietlyInto(e, session, client);
            throw e;
        }
    }

    private static void createPrivateDirectory(Path dir) throws ToolException {
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw ToolException.failure("cannot make " + dir + " for known_hosts: " + e.getMessage(), e);
        }
    }

    /** The terminal to ask a key's passphrase on; null when the tool does not run on one. */
    private static Console terminal() {
        Console c = System.console();
        if (c == null) return null;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c) ? c : null;
        } catch (NoSuchMethodException e) {
            return c; // Java 21: a console exists only on a terminal
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Console.isTerminal() exists but cannot be called", e);
        }
    }

    private static String unreachable(BoardAddress.Ssh a, IOException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
        String where = a.host() + " port " + a.port();
        if (cause instanceof UnknownHostException) {
            return "no such host " + a.host() + " (" + cause.getMessage() + "): check the name in " + a
                    + " (a .local name needs mDNS on this machine)";
        }
        if (cause instanceof ConnectException) {
            return "cannot reach " + where + " (" + cause.getMessage() + "): is the board on, on the network, and its "
                    + "sshd running (on Raspberry Pi OS: sudo systemctl enable --now ssh)?";
        }
        if (cause instanceof NoRouteToHostException) {
            return "no route to " + where + " (" + cause.getMessage() + "): is the board on this network?";
        }
        return "cannot reach " + where + ": " + e.getMessage() + " (is the board on the network and its sshd running?)";
    }

    private static String hostKeyMessage(BoardAddress.Ssh a, Path knownHosts, HostKeyCheck.Refused r) {
        String key = KeyUtils.getKeyType(r.key()) + " key " + KeyUtils.getFingerPrint(r.key());
        String hostName = a.port() == BoardAddress.DEFAULT_SSH_PORT ? a.host() : "[" + a.host() + "]:" + a.port();
        if (r.revoked()) {
            return "the host key of " + hostName + " (" + key + ") is marked @revoked in " + knownHosts + ": refused";
        }
        if (r.known() != null) {
            return "WARNING: THE HOST KEY OF " + hostName + " HAS CHANGED: it sent " + key + ", but " + knownHosts
                    + lineOf(knownHosts, r.known().getConfigLine()) + " records another. Someone may be intercepting the "
                    + "connection, or the board was reinstalled. pirt refuses it (--accept-new-host-key does not change "
                    + "that). If you know why it changed: ssh-keygen -R '" + hostName + "' -f " + knownHosts
                    + ", then connect again with --accept-new-host-key";
        }
        return "the host key of " + hostName + " is not known (not in " + knownHosts + "): " + key + ". If that is the "
                + "board's key (on the board: ssh-keygen -lf /etc/ssh/ssh_host_" + keyFileName(r) + "_key.pub), accept it "
                + "by running the same command with --accept-new-host-key";
    }

    private static String keyFileName(HostKeyCheck.Refused r) {
        String type = KeyUtils.getKeyType(r.key());
        if (type.contains("ed25519")) return "ed25519";
        if (type.startsWith("ecdsa")) return "ecdsa";
        return "rsa";
    }

    /** " line N" of the entry's line in the file, or "" when it cannot be found again. */
    private static String lineOf(Path file, String configLine) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).trim().equals(configLine == null ? null : configLine.trim())) return " line " + (i + 1);
            }
        } catch (IOException e) {
            return " (unreadable now: " + e.getMessage() + ")";
        }
        return "";
    }

    private static String authFailed(BoardAddress.Ssh a, Identities ids, String agent) {
        StringBuilder s = new StringBuilder(a.login() + "@" + a.host() + " did not accept any of this user's SSH keys (tried: ");
        s.append(ids.tried().isEmpty() ? "no key files" : ids.tried().stream().map(Path::toString).collect(Collectors.joining(", ")));
        s.append(agent == null || agent.isBlank() ? "; no ssh-agent (SSH_AUTH_SOCK unset)" : "; and the keys of the ssh-agent at " + agent);
        s.append(')');
        for (String skipped : ids.skipped()) s.append("; left out ").append(skipped);
        s.append(". Put your public key in ~").append(a.login()).append("/.ssh/authorized_keys on the board (ssh-copy-id ")
                .append(a.port() == BoardAddress.DEFAULT_SSH_PORT ? "" : "-p " + a.port() + " ").append(a.login()).append('@')
                .append(a.host()).append("), or make a key with ssh-keygen -t ed25519");
        return s.toString();
    }

    /**
     * Why the host's sshd would not connect the channel to the socket. OpenSSH says only "open
     * failed", so the host is asked (a shell command over the same session) whether the socket
     * is there and whether this user may use it.
     */
    private static String socketRefused(BoardAddress.Ssh a, ClientSession session, SshChannelOpenException e, long timeoutMs) {
        String socket = a.socket();
        String host = a.host();
        String check = "p=" + shellQuoted(socket) + "; if [ ! -e \"$p\" ]; then echo missing; elif [ ! -S \"$p\" ]; "
                + "then echo not-a-socket; elif [ ! -r \"$p\" ] || [ ! -w \"$p\" ]; then echo denied; else echo present; fi";
        String answer;
        try {
            answer = session.executeRemoteCommand(check).trim();
        } catch (IOException asking) {
            answer = "unknown (asking the host failed: " + asking.getMessage() + ")";
        }
        String refusal = host + "'s sshd would not connect to " + socket + " (" + e.getMessage() + ")";
        return switch (answer) {
            case "missing" -> host + " has no pirt runtime socket at " + socket + ": the runtime is not running there, or "
                    + "serves its wire protocol on no socket (its option --wire-socket " + socket + "; the pirt-runtime "
                    + "package serves " + BoardAddress.DEFAULT_SOCKET + ": sudo systemctl status pirt-runtime)";
            case "not-a-socket" -> host + ": " + socket + " is not a socket: give the runtime's --wire-socket path in the address";
            case "denied" -> a.login() + " may not use " + socket + " on " + host + ": add the user to the socket's group "
                    + "(the package's is pirt: sudo usermod -aG pirt " + a.login() + ", then connect again)";
            case "present" -> refusal + ", though the socket is there and " + a.login() + " may use it: the sshd may forbid "
                    + "socket forwarding (AllowStreamLocalForwarding in /etc/ssh/sshd_config, DisableForwarding), or nothing "
                    + "listens on it (restart the runtime)";
            default -> refusal + "; whether the socket is there is " + answer;
        };
    }

    /** The server's refusal of the channel, which MINA wraps in the future's exception; null if the open failed otherwise. */
    private static SshChannelOpenException openRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SshChannelOpenException r) return r;
        }
        return null;
    }

    private static String shellQuoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void closeQuietlyInto(Exception failure, ClientSession session, SshClient client) {
        try {
            if (session != null) session.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        client.stop();
    }

    @Override
    public InputStream in() {
        return channel.getInvertedOut();
    }

    @Override
    public OutputStream out() {
        return channel.getInvertedIn();
    }

    @Override
    public Optional<LineRate> lineRate() {
        return Optional.empty();
    }

    @Override
    public String address() {
        return address.toString();
    }

    @Override
    public void close() {
        try {
            channel.close(true);
            session.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("closing the SSH session to " + address + " failed", e);
        } finally {
            client.stop();
        }
    }
}
