package io.pirt.tests.board;

import io.pirt.virtualboard.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.tests.faults.RuntimeProbe;
import io.pirt.tools.board.SerialLink;
import io.pirt.bundle.BundleManifest;
import io.pirt.bundle.BundleWriter;
import io.pirt.bundle.Version;
import io.pirt.tools.client.BoardClient;
import io.pirt.tools.client.RateChange;
import io.pirt.tools.client.TransferReport;
import io.pirt.wire.LineRate;
import io.pirt.wire.ProtocolException;
import io.pirt.wire.Response;
import io.pirt.runtime.supervisor.TestApp;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The baud switch (docs/protocol.md §5.6) with the real runtime on the virtual board, its
 * cable a UART line at 115200: a bundle flashed at 921600, then the console back at 115200
 * for a person; and a console declared a USB gadget port, which offers no switch.
 */
@Timeout(120)
class BaudSwitchOnVirtualBoardTest {
    @TempDir
    Path dir;

    private VirtualBoard start(Path state, String... args) throws IOException {
        return VirtualBoard.start(VirtualBoard.Options.at(state).baud(115_200).args(List.of(args)));
    }

    /**
     * The board's port at 115200, opened as the tool opens it ({@link SerialLink}, a
     * {@link LineRate}): closing a client's input ends its reader at once, where jSerialComm's
     * own stream held it for the link's one-second bound at every close.
     */
    private static SerialLink open(VirtualBoard board) throws Exception {
        return SerialLink.open(board.port().toString(), 115_200);
    }

    /**
     * Waits (bounded: 60 s) until the runtime answers HELLO at 115200: it opens its console
     * a moment after it starts. Each attempt has a port of its own, closed when it fails:
     * a failed client's closed input ends every later read on its port.
     */
    private static void awaitRuntime(VirtualBoard board) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (;;) {
            try (SerialLink port = open(board)) {
                BoardClient.connect(port.in(), port.out(), BoardClient.Options.defaults(), (source, line) -> { }).close();
                return;
            } catch (ProtocolException e) {
                if (System.nanoTime() - deadline > 0) throw e;
            }
        }
    }

    private static BoardClient connect(SerialLink port) throws Exception {
        BoardClient.Options o = BoardClient.Options.defaults();
        o = o.withTimeouts(o.idleTimeoutMs(), o.helloTimeoutMs(), 30_000, 30_000);
        return BoardClient.connect(port.in(), port.out(), o, (source, line) -> { });
    }

    private Path bundle(VirtualBoard board) throws Exception {
        Path jar = dir.resolve("app.jar");
        String entry = TestApp.class.getName().replace('.', '/') + ".class";
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(f)) {
            out.putNextEntry(new JarEntry(entry));
            try (var in = TestApp.class.getClassLoader().getResourceAsStream(entry)) { // from the runtime's test jar
                if (in == null) throw new IOException(entry + " is not on the test class path");
                in.transferTo(out);
            }
            out.closeEntry();
        }
        Path file = dir.resolve("app.pirt");
        BundleWriter.write(file, new BundleManifest("test-app", Version.parse("1.0.0"), TestApp.class.getName(),
                List.of("virtual"), Version.parse("0.1.0"), 4), List.of(jar), board.signingKeys());
        return file;
    }

    @Test
    void aBundleFlashedAt921600AndTheConsoleIsAt115200AgainForAPerson() throws Exception {
        try (VirtualBoard board = start(dir.resolve("board"), "--app-jvm-flag", "-Xmx64m", "--app-jvm-flag",
                "-Dpirt.scheduling=none", "--trial-ms", "1000")) {
            Path bundle = bundle(board);
            awaitRuntime(board);
            try (SerialLink port = open(board); BoardClient client = connect(port)) {
                RateChange.Result switched = RateChange.to(client, port, 921_600);
                assertEquals(RateChange.Outcome.SWITCHED, switched.outcome(), switched.message());
                assertEquals(921_600, port.baud());
                TransferReport report = client.transfer(bundle, "bundle.pirt", p -> { });
                Response verdict = client.request("install-wait", report.sha256Hex() + " 60000");
                assertEquals(Response.Status.OK, verdict.status(), verdict.toString());
                assertEquals(io.pirt.wire.message.InstallVerdict.committed("test-app", "1.0.0"),
                        io.pirt.wire.message.Messages.decode(verdict.body(), io.pirt.wire.message.InstallVerdict.class));
            } finally {
                System.out.println("runtime process output:\n" + board.runtimeOutput());
            }
            // The tool said BYE: the board's console goes back to its own rate, where a person finds it. Typing before
            // it is back would be noise to it: the person starts once its log says so.
            RuntimeProbe.awaitLog(dir.resolve("board"), 10_000, "console \\S+ now at 921600 baud.*console \\S+ now at 115200 baud");
            try (HostTerminal person = new HostTerminal(board.port())) {
                person.type("\u0015log 30"); // Ctrl-U first: what the board heard while the two ends were at different rates was noise
                person.expect("console \\S+ now at 921600 baud.*console \\S+ now at 115200 baud", 10_000);
                person.type("info");
                person.expect("test-app 1\\.0\\.0", 10_000);
            }
        }
    }

    @Test
    void aUsbGadgetConsoleOffersNoSwitchAndTheSessionGoesOnAtItsRate() throws Exception {
        try (VirtualBoard board = start(dir.resolve("gadget"), "--console-usb")) {
            awaitRuntime(board);
            try (SerialLink port = open(board); BoardClient client = connect(port)) {
                RateChange.Result r = RateChange.to(client, port, 921_600);
                assertEquals(RateChange.Outcome.NOT_OFFERED, r.outcome(), r.message());
                assertEquals(115_200, port.baud());
                Response asked = client.request("baud", "921600"); // a tool that asks anyway is told why not
                assertEquals(Response.Status.FAILED, asked.status());
                assertTrue(asked.body().contains("no baud rate to change"), asked.body());
                assertEquals(Response.Status.OK, client.request("info", "").status());
            } finally {
                System.out.println("runtime process output:\n" + board.runtimeOutput());
            }
        }
    }
}
