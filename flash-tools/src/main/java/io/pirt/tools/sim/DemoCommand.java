package io.pirt.tools.sim;

import io.pirt.bundle.BundleManifest;
import io.pirt.bundle.BundleWriter;
import io.pirt.bundle.Version;
import io.pirt.tools.client.BoardClient;
import io.pirt.tools.client.TransferReport;
import io.pirt.wire.Response;
import io.pirt.virtualboard.VirtualBoard;
import io.pirt.tools.board.BoardSession;
import io.pirt.tools.flash.Flashing;
import io.pirt.wire.message.AnswerText;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Messages;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pirt demo}: a virtual board, the demo application flashed to it as a signed bundle,
 * its console, a button press, a second version rolled out and committed, a clean stop.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a virtual board, flash the demo application to it as a signed bundle (threads of three",
                "priorities printing under a Lock, an LED blinking, a button handled by an edge callback), show its",
                "console, press the button, look at the LED and the threads, roll out a second version and show its",
                "commit, then stop everything."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the demo ran through", "1:a step failed (said on stderr)", "2:usage error"})
public final class DemoCommand implements Callable<Integer> {
    static final String DEMO_MAIN = "io.pirt.examples.demo.Demo";

    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "6", description = "How long to watch each version run (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--app-jar", paramLabel = "JAR", description = "The demo application's jar; default: examples/demo/target/ of this checkout.")
    Path appJar;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path jar = appJar != null ? appJar : findDemoJar();
        if (jar == null || !Files.isRegularFile(jar)) {
            err.println("pirt: the demo application's jar was not found" + (jar == null ? " under examples/demo/target/" : " at " + jar)
                    + "; build it with: mvn -DskipTests package -pl examples/demo -am (./pirt does this for you)");
            return 1;
        }
        Path state = Files.createTempDirectory("pirt-demo-");
        say("starting a virtual board (state in " + state + ", console cable paced at 115200 baud)");
        VirtualBoard.Options options = VirtualBoard.Options.at(state).baud(115200).wiring(DefaultWiring.writeTo(state));
        try (VirtualBoard board = VirtualBoard.start(options)) {
            Path v1 = bundle(board, state, jar, "1.0.0");
            Path v2 = bundle(board, state, jar, "1.1.0");
            CountDownLatch pressed = new CountDownLatch(1);
            BoardClient.Options o = BoardClient.Options.defaults();
            // install-wait answers when the trial ends (up to the runtime's trial time, 10 s by default)
            o = o.withTimeouts(o.idleTimeoutMs(), o.helloTimeoutMs(), 70_000, 30_000);
            try (BoardSession session = BoardSession.openVirtual(board, o, (source, line) -> {
                if (line.contains("button pressed")) pressed.countDown();
                out.println("  | " + line);
                out.flush();
            }, 60_000)) {
                BoardClient client = session.client();
                say("connected to " + client.board().name() + " (runtime " + client.board().software() + "); flashing demo 1.0.0");
                if (!flash(client, v1, err)) return 1;
                watch(seconds * 1000L / 2);
                say("pressing the button on BTN0: the edge callback runs at top priority");
                show(client, "gpio", "press BTN0");
                pressed.await(10, TimeUnit.SECONDS); // held past the application's 20 ms debounce, as a finger would
                show(client, "gpio", "release BTN0");
                watch(seconds * 1000L / 2);
                say("the LED on LED0 blinks: reading it twice, 500 ms apart");
                show(client, "gpio", "read LED0");
                watch(500);
                show(client, "gpio", "read LED0");
                say("the application's threads, with their priorities");
                show(client, "ps", "");
                say("rolling out demo 1.1.0: installed in the other slot, tried, committed");
                if (!flash(client, v2, err)) return 1;
                watch(2_000);
                show(client, "bundles", "");
                show(client, "info", "");
                say("stopping the application and the board");
                show(client, "stop", "");
            }
            if (pressed.getCount() > 0) {
                err.println("pirt: the button press was not handled; see the console above");
                return 1;
            }
        }
        say("done: the board stopped cleanly. Start one yourself with ./pirt sim");
        return 0;
    }

    private void say(String text) {
        out.println("== " + text);
        out.flush();
    }

    private Path bundle(VirtualBoard board, Path dir, Path jar, String version) throws IOException {
        Path file = dir.resolve("demo-" + version + ".pirt");
        BundleWriter.write(file, new BundleManifest("demo", Version.parse(version), DEMO_MAIN, List.of("*"), Version.parse("0.1.0"), 4),
                List.of(jar), board.signingKeys());
        return file;
    }

    /** Transfers a bundle and prints the board's verdict; true if it was committed. */
    private boolean flash(BoardClient client, Path bundle, PrintWriter err) throws IOException, InterruptedException {
        TransferReport report = client.transfer(bundle, Flashing.TRANSFER_NAME, p -> { });
        out.printf("  > sent %s: %d bytes (%d on the wire) in %d ms%n", bundle.getFileName(), report.fileBytes(), report.wireBytes(),
                report.elapsedMillis());
        InstallVerdict verdict = Flashing.awaitVerdict(client, report.sha256Hex(), 60_000);
        say("the board's verdict: " + verdict);
        if (!verdict.committed()) {
            err.println("pirt: the board did not commit " + bundle.getFileName() + ": " + verdict);
            return false;
        }
        return true;
    }

    private void show(BoardClient client, String command, String argument) throws IOException, InterruptedException {
        out.println("  > " + command + (argument.isEmpty() ? "" : " " + argument));
        Response r = client.request(command, argument);
        io.pirt.wire.message.Command c = io.pirt.wire.message.Command.of(command).orElseThrow(() -> new IllegalArgumentException("not a board command: " + command));
        String text = AnswerText.of(r.status() == Response.Status.OK ? Messages.decode(r.body(), c.answerType(argument))
                : Messages.refusalIn(r));
        for (String line : text.split("\n")) out.println("  " + line);
        out.flush();
    }

    private static void watch(long ms) throws InterruptedException {
        java.lang.Thread.sleep(ms); // the demo's pacing: show the board running for a while
    }

    /** examples/demo/target/pirt-example-demo-*.jar under the checkout the launcher runs from ({@code pirt.home}). */
    private static Path findDemoJar() throws IOException {
        Path target = Path.of(System.getProperty("pirt.home", ".")).resolve("examples/demo/target");
        if (!Files.isDirectory(target)) return null;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "pirt-example-demo-*.jar")) {
            for (Path j : jars) return j;
        }
        return null;
    }
}
