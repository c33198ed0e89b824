package io.pirt.runtime;

import io.pirt.boards.BoardDetector;
import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.boards.ProfileException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pirt-runtime avahi-service}: prints the Avahi service file that announces this board as
 * {@code _pirt._tcp} on the SSH port, with TXT records {@code board}, {@code runtime}, {@code ssh} and
 * {@code socket} (docs/raspberry-pi.md, "Found on the network"). The package's postinst writes it to
 * {@code /etc/avahi/services/pirt.service}: the board id is known only on the board, so the file cannot
 * be shipped as it is. Exit codes: 0 printed, 1 the board could not be detected or its profile read, 2 usage.
 */
@Command(name = "avahi-service", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the Avahi service file announcing this board to `pirt ports` on the network (_pirt._tcp on the "
                + "SSH port; TXT: board, runtime, ssh, socket). The package writes it to /etc/avahi/services/pirt.service."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:printed", "1:the board could not be detected", "2:usage error"})
final class AvahiServiceCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/", description = "Detect the board from the device tree under DIR (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--board", paramLabel = "ID", description = "Announce this board profile id instead of the detected one.")
    String boardId;

    @Option(names = "--board-file", paramLabel = "PATH", description = "Announce the id of this board profile file (a custom carrier board).")
    Path boardFile;

    @Option(names = "--ssh-port", paramLabel = "PORT", defaultValue = "22", description = "The port the board's sshd listens on (default: ${DEFAULT-VALUE}).")
    int sshPort;

    @Option(names = "--wire-socket", paramLabel = "PATH", defaultValue = "/run/pirt/wire.sock", description = "The wire socket the runtime serves (default: ${DEFAULT-VALUE}).")
    String wireSocket;

    @Override
    public Integer call() {
        if (sshPort < 1 || sshPort > 65535) {
            spec.commandLine().getErr().println("pirt-runtime avahi-service: --ssh-port is 1 .. 65535, not " + sshPort);
            return 2;
        }
        String board;
        try {
            Optional<BoardProfile> given = Main.givenProfile(boardFile, boardId);
            board = given.isPresent() ? given.get().id() : new BoardDetector(BoardProfiles.builtIn()).detect(root).profile().id();
        } catch (ProfileException e) {
            spec.commandLine().getErr().println("pirt-runtime avahi-service: " + e.getMessage()
                    + " (give the board with --board ID, as in /etc/pirt/pirt.conf)");
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(serviceFile(board, BoardRuntime.version(), sshPort, wireSocket));
        out.flush();
        return 0;
    }

    /** The service file's text: avahi.service(5); {@code %h} is the board's host name, filled in by Avahi. */
    static String serviceFile(String board, String runtimeVersion, int sshPort, String wireSocket) {
        return """
                <?xml version="1.0" standalone="no"?>
                <!DOCTYPE service-group SYSTEM "avahi-service.dtd">
                <!-- Written by pirt-runtime avahi-service (package pirt-runtime, postinst): announces this board
                     to `pirt ports`. Regenerated at each install or upgrade; edits are lost. -->
                <service-group>
                  <name replace-wildcards="yes">pirt on %%h</name>
                  <service>
                    <type>_pirt._tcp</type>
                    <port>%d</port>
                    <txt-record>board=%s</txt-record>
                    <txt-record>runtime=%s</txt-record>
                    <txt-record>ssh=%d</txt-record>
                    <txt-record>socket=%s</txt-record>
                  </service>
                </service-group>
                """.formatted(sshPort, xml(board), xml(runtimeVersion), sshPort, xml(wireSocket));
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
