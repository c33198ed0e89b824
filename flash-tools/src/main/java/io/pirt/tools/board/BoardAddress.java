package io.pirt.tools.board;

import io.pirt.tools.ToolException;

/**
 * Where a board's wire protocol is (the {@code --port} value, docs/tool.md "Addresses"): a
 * serial device, a local runtime's Unix socket ({@code unix:PATH}), or a runtime's socket on
 * a host reached through its sshd ({@code ssh://[user@]host[:port][/socket/path]}).
 * Immutable.
 */
public sealed interface BoardAddress {
    /** The socket the pirt-runtime package serves the protocol on. */
    String DEFAULT_SOCKET = "/run/pirt/wire.sock";
    /** The port an sshd listens on unless the address names another. */
    int DEFAULT_SSH_PORT = 22;

    /** A serial device such as {@code /dev/ttyACM0}, or the path {@code pirt sim} prints. */
    record Serial(String path) implements BoardAddress {
        @Override
        public String toString() {
            return path;
        }
    }

    /** A Unix socket on this machine that a runtime serves ({@code --wire-socket}). */
    record UnixSocket(String path) implements BoardAddress {
        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /**
     * A runtime's socket on {@code host}, reached through an SSH connection to the host's sshd.
     *
     * @param user   the login name; null: this user's ({@code user.name})
     * @param port   the sshd's TCP port
     * @param socket the runtime's socket path on the host
     */
    record Ssh(String user, String host, int port, String socket) implements BoardAddress {
        /** The login name used: the one given, else this user's. */
        public String login() {
            return user != null ? user : System.getProperty("user.name");
        }

        @Override
        public String toString() {
            return "ssh://" + (user != null ? user + "@" : "") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                    + (port != DEFAULT_SSH_PORT ? ":" + port : "") + (socket.equals(DEFAULT_SOCKET) ? "" : socket);
        }
    }

    /**
     * Reads an address as a person gives it to {@code --port}.
     *
     * @throws ToolException (usage, exit 2) for an empty value or a malformed {@code ssh://} or {@code unix:} address
     */
    static BoardAddress parse(String text) throws ToolException {
        if (text == null || text.isBlank()) throw usage("an empty --port: give a serial port, unix:PATH or ssh://HOST");
        if (text.startsWith("unix:")) {
            String path = text.startsWith("unix://") ? text.substring("unix://".length()) : text.substring("unix:".length());
            if (path.isEmpty()) throw usage("'" + text + "' names no socket: unix:/run/pirt/wire.sock");
            return new UnixSocket(path);
        }
        if (text.startsWith("ssh://")) return parseSsh(text);
        if (text.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw usage("'" + text + "' is no address pirt knows: a serial port (/dev/ttyACM0), unix:PATH or "
                    + "ssh://[user@]host[:port][/socket/path]");
        }
        return new Serial(text);
    }

    private static Ssh parseSsh(String text) throws ToolException {
        String rest = text.substring("ssh://".length());
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String socket = slash < 0 || slash == rest.length() - 1 ? DEFAULT_SOCKET : rest.substring(slash);
        String user = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            user = authority.substring(0, at);
            authority = authority.substring(at + 1);
            if (user.isEmpty()) throw usage("'" + text + "' has an empty user name before '@'");
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) throw usage("'" + text + "': an IPv6 host is written [ADDRESS], the ']' is missing");
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) throw usage("'" + text + "': after [" + host + "] only :PORT may follow");
                portText = after.substring(1);
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            if (colon >= 0) portText = authority.substring(colon + 1);
        }
        if (host.isEmpty()) throw usage("'" + text + "' names no host: ssh://pi@raspberrypi.local");
        int port = DEFAULT_SSH_PORT;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) throw usage("'" + text + "': the SSH port '" + portText + "' is not 1..65535");
        }
        return new Ssh(user, host, port, socket);
    }

    private static ToolException usage(String message) {
        return new ToolException(ToolException.USAGE, message);
    }
}
