package io.pirt.tools.sim;

import io.pirt.runtime.sim.VirtualBoard;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pirt demo}: the example application on a virtual board, watched on its console.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a virtual board, run the demo application on it (threads of three priorities printing",
                "under a Lock, an LED blinking, a button handled by an edge callback), show its console, press the",
                "button, look at the LED and the threads, then stop everything."})
public final class DemoCommand implements Callable<Integer> {
    static final String DEMO_MAIN = "io.pirt.examples.demo.Demo";

    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "6", description = "How long to watch the application run (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--app-jar", paramLabel = "JAR", description = "The demo application's jar; default: examples/demo/target/ of this checkout.")
    Path appJar;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path jar = appJar != null ? appJar : findDemoJar();
        if (jar == null || !Files.isRegularFile(jar)) {
            err.println("pirt: the demo application's jar was not found" + (jar == null ? " under examples/demo/target/" : " at " + jar)
                    + "; build it with: mvn -DskipTests package -pl examples/demo -am (./pirt does this for you)");
            return 1;
        }
        Path state = Files.createTempDirectory("pirt-demo-");
        out.println("== starting a virtual board (state in " + state + ")");
        out.flush();
        VirtualBoard.Options options = VirtualBoard.Options.at(state).baud(115200).wiring(DefaultWiring.writeTo(state))
                .args(List.of("--app-jar", jar.toAbsolutePath().toString(), "--app-main", DEMO_MAIN));
        try (VirtualBoard board = VirtualBoard.start(options); ConsoleStream console = new ConsoleStream(board.port(), out)) {
            out.println("== its console is at " + board.port() + "; the demo application starts");
            out.flush();
            if (!console.await("demo v1 starting", 60_000)) {
                err.println("pirt: the demo application did not start within 60 s; the runtime said:\n" + board.runtimeOutput());
                return 1;
            }
            console.watch(seconds * 1000L / 2);
            out.println("== pressing the button on BTN0: the edge callback runs at top priority");
            console.type("gpio press BTN0");
            boolean handled = console.await("button pressed (1)", 10_000);
            console.type("gpio release BTN0");
            console.watch(seconds * 1000L / 2);
            out.println("== the LED on LED0 blinks: reading it twice, 500 ms apart");
            console.type("gpio read LED0");
            console.watch(500);
            console.type("gpio read LED0");
            console.watch(300);
            out.println("== the application's threads, with their priorities");
            console.type("ps");
            console.watch(1_000);
            console.type("info");
            console.watch(1_000);
            out.println("== stopping the application and the board");
            console.type("stop");
            console.await("stopped on request", 15_000);
            if (!handled) {
                err.println("pirt: the button press was not handled; see the console above");
                return 1;
            }
        }
        out.println("== done: the board stopped cleanly. Start one yourself with ./pirt sim");
        return 0;
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
