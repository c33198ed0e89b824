package io.pirt.tests.launcher;

import io.pirt.wire.message.BoardInfo;
import io.pirt.wire.message.DoctorReport;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.StoreSlots;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command README.md and docs/tool.md show, run through the shipped launcher
 * ({@code ./pirt}, a process of its own) as a user types it, checking exit codes and output.
 * One {@code ./pirt sim} board (unpaced, so a test bundle of JUnit's jars takes seconds, not
 * the minute and a half it takes at 115200 baud) serves every group that needs a board.
 * {@code ./pirt demo} is left out: {@code DemoTest} runs it in process, and here it would
 * double the time.
 */
@Timeout(300)
class LauncherTest {
    static final Path HELLO = Launcher.ROOT.resolve("examples/hello-world");
    static final String[] NOT_ON_PURPOSE = {"--exclude-tag", "fails-on-purpose", "--exclude-tag", "hangs-on-purpose"};

    @TempDir
    static Path dir;
    static Launcher.Live sim;
    static String port;
    static Path state;

    /** A user's home of the test's own ({@code dir/NAME}), so that ~/.pirt of whoever runs the tests is never touched. */
    static Map<String, String> home(String name) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        return Map.of("JAVA_TOOL_OPTIONS", "-Duser.home=" + home);
    }

    static Launcher.Run pirt(long timeoutSeconds, String... args) throws Exception {
        return Launcher.run(dir, Map.of(), timeoutSeconds, args);
    }

    @BeforeAll
    static void startTheVirtualBoard() throws Exception {
        sim = new Launcher.Live(dir, Map.of(), "sim", "--baud", "0");
        port = sim.awaitLine(l -> l.startsWith("port: "), 60_000, "'port: PATH' line").substring("port: ".length());
        String stateLine = sim.awaitLine(l -> l.startsWith("state: "), 10_000, "'state: DIR' line");
        state = Path.of(stateLine.substring("state: ".length(), stateLine.indexOf(" (")));
    }

    @AfterAll
    static void stopTheVirtualBoard() throws Exception {
        if (sim != null) sim.close();
    }

    static void assertOk(Launcher.Run run) {
        assertEquals(0, run.exitCode(), run::toString);
    }

    @Nested
    class WithoutABoard {
        @Test
        void helpListsTheCommandsAndVersionSaysIt() throws Exception {
            Launcher.Run help = pirt(60, "--help");
            assertOk(help);
            for (String c : new String[] {"boards", "keygen", "bundle", "flash", "console", "info", "doctor", "ps", "logs", "bundles",
                    "restart", "rollback", "ports", "sim", "demo", "test"}) {
                assertTrue(help.out().matches("(?s).*\\n\\s+" + c + "\\s.*"), c + " missing from --help:\n" + help);
            }
            Launcher.Run version = pirt(60, "--version");
            assertOk(version);
            assertTrue(version.out().matches("pirt \\d+\\.\\d+\\.\\d+\\S*\\s*"), version::toString);
        }

        @Test
        void boardsListsShowsAndDetects() throws Exception {
            Launcher.Run list = pirt(60, "boards");
            assertOk(list);
            for (String id : new String[] {"rpi-3b", "rpi-4b", "rpi-5", "virtual"}) assertTrue(list.out().contains(id), list::toString);
            Launcher.Run show = pirt(60, "boards", "show", "rpi-4b");
            assertOk(show);
            assertTrue(show.out().contains("rpi-4b") && show.out().contains("GPIO"), show::toString);
            Launcher.Run detect = pirt(60, "boards", "detect");
            assertOk(detect);
            assertEquals("virtual", detect.out().strip(), "off a Pi the machine is the virtual board; " + detect);
        }

        /** docs/raspberry-pi.md §5's board file for the demo's LED and button, as the page shows it, checked as the page says. */
        @Test
        void boardsShowChecksTheRaspberryPiPagesBoardFile() throws Exception {
            String page = Files.readString(Launcher.ROOT.resolve("docs/raspberry-pi.md"));
            java.util.regex.Matcher block = java.util.regex.Pattern.compile("(?m)^    version: 1\n    id: my-rpi-4b\n(    \\S.*\n)+").matcher(page);
            assertTrue(block.find(), "docs/raspberry-pi.md shows the board file my-rpi-4b.yaml");
            Path file = Files.writeString(dir.resolve("my-rpi-4b.yaml"), block.group().replaceAll("(?m)^    ", ""));
            Launcher.Run show = pirt(60, "boards", "show", "--board-file", file.toString());
            assertOk(show);
            assertTrue(show.out().contains("status LED   D17 (line 17)") && show.out().contains("aliases      LED0 -> D17, BTN0 -> D27"),
                    show::toString);
        }

        @Test
        void portsListsTheSerialPorts() throws Exception {
            // --no-network: a test sends no multicast onto the real network (PortsOnTheNetworkTest asks in a namespace of its own).
            Launcher.Run ports = pirt(60, "ports", "--no-network");
            assertOk(ports);
            assertFalse(ports.out().isBlank(), ports::toString);
        }

        @Test
        void testOnAProjectWhoseTestsAreNotCompiledSaysHowToCompileThem() throws Exception {
            Path project = Files.createDirectories(dir.resolve("uncompiled"));
            Files.writeString(project.resolve("pom.xml"), "<project><modelVersion>4.0.0</modelVersion><groupId>x</groupId>"
                    + "<artifactId>uncompiled</artifactId><version>1</version></project>");
            Launcher.Run run = pirt(60, "test", "--port", "/dev/null", "--unsigned", project.toString());
            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.err().contains("mvn -f " + project.resolve("pom.xml") + " test-compile"), run::toString);
        }

        @Test
        void testWithoutASigningKeyMentionsUnsigned() throws Exception {
            Launcher.Run run = Launcher.run(dir, home("keyless-home"), 60, "test", "--port", port, "--classpath",
                    HELLO.resolve("target/classes").toString(), HELLO.resolve("target/test-classes").toString());
            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.err().contains("no private key at") && run.err().contains("--unsigned"), run::toString);
        }
    }

    /** The README's flow: a key, the demo bundled with it, the board told to trust it, flashed, then each board command. */
    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class OnTheVirtualBoard {
        static Path bundle;

        @Test
        @Order(1)
        void keygenMakesAKeyInTheUsersHome() throws Exception {
            Launcher.Run run = Launcher.run(dir, home("home"), 60, "keygen");
            assertOk(run);
            Path keys = dir.resolve("home/.pirt");
            assertTrue(Files.exists(keys.resolve("signing.key")) && Files.exists(keys.resolve("signing.pub")), run::toString);
            // The advice restarts the package's unit, pirt-runtime (there is no unit 'pirt').
            assertTrue(run.out().contains("sudo systemctl restart pirt-runtime'"), run::toString);
        }

        @Test
        @Order(2)
        void bundleSignsTheDemoWithThatKey() throws Exception {
            Launcher.Run run = Launcher.run(dir, home("home"), 60, "bundle", "--project", Launcher.ROOT.resolve("examples/demo").toString(),
                    "--main", "io.pirt.examples.demo.Demo", "--name", "demo", "--version", "1.0.0");
            assertOk(run);
            bundle = dir.resolve("demo-1.0.0.pirt"); // the default: NAME-VERSION.pirt where it runs
            assertTrue(Files.size(bundle) > 0, run::toString);
        }

        @Test
        @Order(3)
        void flashInstallsItOnceTheBoardTrustsTheKey() throws Exception {
            // what a Pi's owner does with install /etc/pirt/keys/ (docs/raspberry-pi.md); the board reads its keys at each install
            Files.copy(dir.resolve("home/.pirt/signing.pub"), state.resolve("config/keys/launcher-test.pub"));
            Launcher.Run run = pirt(120, "flash", "--port", port, bundle.toString());
            assertOk(run);
            assertTrue(run.out().contains("committed") && run.out().contains("demo"), run::toString);
        }

        @Test
        @Order(4)
        void infoPsBundlesLogsRestartAndRollbackAnswer() throws Exception {
            Launcher.Run info = pirt(60, "info", "--port", port);
            assertOk(info);
            assertTrue(info.out().contains("board:") && info.out().contains("demo 1.0.0"), info::toString);
            Launcher.Run infoJson = pirt(60, "info", "--port", port, "--json");
            assertOk(infoJson);
            BoardInfo typed = Messages.decode(infoJson.out(), BoardInfo.class); // the board's record, not its text re-read
            assertEquals("virtual", typed.board(), infoJson::toString);
            assertEquals("demo", typed.bundle().name(), infoJson::toString);
            // The application's JVM from the virtual profile's jvm section, on this (64-bit) JVM.
            assertEquals(java.util.List.of("-XX:+UseZGC", "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"), typed.appJvm().flags(), infoJson::toString);
            assertTrue(info.out().contains("app JVM:     -XX:+UseZGC -Xms256m -Xmx256m -XX:+AlwaysPreTouch (board profile virtual on a 64-bit JVM"),
                    info::toString);
            Launcher.Run ps = pirt(60, "ps", "--port", port);
            assertOk(ps);
            assertTrue(ps.out().contains("printer-high"), ps::toString);
            Launcher.Run psJson = pirt(60, "ps", "--port", port, "--json");
            assertOk(psJson);
            assertTrue(psJson.out().contains("printer-high"), psJson::toString);
            Launcher.Run bundles = pirt(60, "bundles", "--port", port);
            assertOk(bundles);
            assertTrue(bundles.out().contains("committed, demo 1.0.0"), bundles::toString);
            Launcher.Run bundlesJson = pirt(60, "bundles", "--port", port, "--json");
            assertOk(bundlesJson);
            assertTrue(Messages.decode(bundlesJson.out(), StoreSlots.class).slots().stream()
                    .anyMatch(slot -> slot.role() == StoreSlots.Role.COMMITTED && "demo".equals(slot.name())), bundlesJson::toString);
            Launcher.Run logs = pirt(60, "logs", "--port", port);
            assertOk(logs);
            assertTrue(logs.out().contains("[app] printer-"), logs::toString); // the last lines: the demo printing
            Launcher.Run restart = pirt(60, "restart", "--port", port);
            assertOk(restart);
            // one bundle, committed: nothing to go back to, and the board says so
            Launcher.Run rollback = pirt(60, "rollback", "--port", port);
            assertEquals(1, rollback.exitCode(), rollback::toString);
            assertTrue(rollback.err().contains("nothing to roll back to"), rollback::toString);
        }

        /** The board's doctor over the wire as a user types it, and at the console's shell: the same report. */
        @Test
        @Order(4)
        void doctorAnswersTheTypedReportAndExitsOneExactlyWhenACheckFails() throws Exception {
            Launcher.Run json = pirt(60, "doctor", "--port", port, "--json");
            DoctorReport report = Messages.decode(json.out(), DoctorReport.class); // the board's record, not its text re-read
            assertEquals("virtual", report.board(), json::toString);
            assertEquals("/", report.root(), json::toString);
            assertEquals(report.anyFailed() ? 1 : 0, json.exitCode(), json::toString);
            assertEquals(List.of("board", "userland", "java", "kernel", "cmdline", "realtime", "gpio", "status-led", "buses", "console", "getty",
                    "boot-config", "memory", "cpu-dma-latency"), report.checks().stream().map(DoctorReport.Check::id).toList(), json::toString);
            // The runtime answers with its own facts: its Java (21 or newer, else it would not run) and its own process.
            assertEquals(DoctorReport.Verdict.OK, report.checks().get(2).verdict(), json::toString);
            assertTrue(report.checks().get(5).found().startsWith("runtime PID "), json::toString);
            assertEquals(DoctorReport.Verdict.SKIP, report.checks().get(6).verdict(), "the virtual board has no GPIO chip: " + json);
            Launcher.Run table = pirt(60, "doctor", "--port", port);
            assertEquals(json.exitCode(), table.exitCode(), table::toString);
            assertTrue(table.out().matches("(?s)pirt doctor: board virtual, files under /\\n.*\\d+ failed, \\d+ warned, of 14 checks\\n"), table::toString);
            try (Launcher.Live console = new Launcher.Live(dir, Map.of(), "console", "--port", port)) {
                console.stdin().write("doctor\n".getBytes(StandardCharsets.US_ASCII));
                console.stdin().flush();
                console.awaitLine(l -> l.matches(".*\\d+ failed, \\d+ warned, of 14 checks"), 30_000, "the shell's doctor table");
                console.stdin().write(0x1d); // Ctrl-]
                console.stdin().flush();
                assertEquals(0, console.awaitExit(30), "exit code of console");
            }
        }

        @Test
        @Order(5)
        void consoleShowsTheBoardAndCtrlRightBracketLeaves() throws Exception {
            try (Launcher.Live console = new Launcher.Live(dir, Map.of(), "console", "--port", port)) {
                OutputStream in = console.stdin();
                in.write("info\n".getBytes(StandardCharsets.US_ASCII));
                in.flush();
                console.awaitLine(l -> l.contains("board:") && l.contains("virtual"), 30_000, "answer to 'info'");
                in.write(0x1d); // Ctrl-]
                in.flush();
                assertEquals(0, console.awaitExit(30), () -> "exit code of console; stderr:\n" + err(console));
                assertTrue(err(console).contains("connected to"), () -> err(console));
            }
        }

        private static String err(Launcher.Live live) {
            try {
                return live.err();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** README's command: a Maven project. Fails on the tool before JUnit's API was on its class path. */
        @Test
        @Order(6)
        void testRunsAMavenProjectsTestsOnTheBoard() throws Exception {
            Files.deleteIfExists(HELLO.resolve("target/pirt-reports/TEST-io.pirt.examples.hello.OnBoardTest.xml"));
            String[] args = Stream.concat(Stream.of("test", "--port", port, "--unsigned"),
                    Stream.concat(Stream.of(NOT_ON_PURPOSE), Stream.of(HELLO.toString()))).toArray(String[]::new);
            Launcher.Run run = pirt(180, args);
            assertOk(run);
            assertTrue(run.out().contains("Tests run: 4, Failures: 0, Errors: 0, Skipped: 0"), run::toString);
            assertTrue(run.out().contains("the board runs demo 1.0.0 again"), run::toString);
            // the project's reports folder, not the working directory's
            assertTrue(Files.exists(HELLO.resolve("target/pirt-reports/TEST-io.pirt.examples.hello.OnBoardTest.xml")), run::toString);
            assertFalse(Files.exists(dir.resolve("target/pirt-reports")), run::toString);
        }

        @Test
        @Order(7)
        void testRunsAClassDirectoryAndAJar() throws Exception {
            Path reports = dir.resolve("reports");
            Launcher.Run classes = pirt(120, "test", "--port", port, "--unsigned", "--reports", reports.toString(),
                    "--select", "io.pirt.examples.hello.OnBoardTest#theBoardHasTheProfilesPins",
                    "--classpath", HELLO.resolve("target/classes").toString(), HELLO.resolve("target/test-classes").toString());
            assertOk(classes);
            assertTrue(classes.out().contains("Tests run: 1, Failures: 0"), classes::toString);
            Path jar = dir.resolve("hello-tests.jar");
            jar(HELLO.resolve("target/test-classes"), jar);
            Launcher.Run fromJar = pirt(120, "test", "--port", port, "--unsigned", "--reports", reports.toString(),
                    "--select", "io.pirt.examples.hello.OnBoardTest#theBoardHasTheProfilesPins",
                    "--classpath", HELLO.resolve("target/classes").toString(), jar.toString());
            assertOk(fromJar);
            assertTrue(fromJar.out().contains("Tests run: 1, Failures: 0"), fromJar::toString);
        }

        @Test
        @Order(8)
        void testRunsFromTheToolJarAsInstalled() throws Exception {
            Launcher.Run run = toolJar(dir, 120, "test", "--port", port, "--unsigned", "--reports", dir.resolve("jar-reports").toString(),
                    "--select", "io.pirt.examples.hello.OnBoardTest#theBoardHasTheProfilesPins",
                    "--classpath", HELLO.resolve("target/classes").toString(), HELLO.resolve("target/test-classes").toString());
            assertOk(run);
            assertTrue(run.out().contains("Tests run: 1, Failures: 0"), run::toString);
            assertTrue(run.err().contains("libraries: "), "the board's cache was asked: " + run);
        }

        /**
         * docs/raspberry-pi.md §5's last step: the example that runs on every built-in board as
         * shipped, bundled for any board and flashed. It commits once it has opened its pins and
         * started its periodic thread (it says healthy then). Last: it replaces the demo.
         */
        @Test
        @Order(9)
        void theEveryBoardExampleIsBundledForAnyBoardFlashedAndCommitted() throws Exception {
            Launcher.Run bundled = Launcher.run(dir, home("home"), 60, "bundle", "--project",
                    Launcher.ROOT.resolve("examples/every-board").toString(), "--main", "io.pirt.examples.everyboard.EveryBoard",
                    "--name", "every-board", "--version", "1.0.0");
            assertOk(bundled);
            assertTrue(bundled.out().contains("boards *"), bundled::toString);
            Launcher.Run flash = pirt(120, "flash", "--port", port, dir.resolve("every-board-1.0.0.pirt").toString());
            assertOk(flash);
            assertTrue(flash.out().contains("committed every-board 1.0.0"), flash::toString);
            Launcher.Run ps = pirt(60, "ps", "--port", port);
            assertOk(ps);
            assertTrue(ps.out().matches("(?s).*\\n\\s*every-board +\\d+ +5 +5 +\\S.* 500000 .*"), ps::toString);
        }
    }

    /**
     * The tool as installed without the checkout's script: its jar, whose manifest names the
     * libraries beside it ({@code lib/}), run with {@code java -jar}. (Not nested: it needs the
     * board the nested class started, so it is the last test of that class's order.)
     */
    static Launcher.Run toolJar(Path workDir, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        Path target = Launcher.ROOT.resolve("flash-tools/target");
        Path jar;
        try (Stream<Path> files = Files.list(target)) {
            jar = files.filter(f -> f.getFileName().toString().matches("pirt-flash-tools-[^-]+(-SNAPSHOT)?\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no tool jar in " + target + ": build it with mvn -pl flash-tools -am package"));
        }
        List<String> command = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "jar-out-", ".txt");
        Path err = Files.createTempFile(workDir, "jar-err-", ".txt");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("java -jar " + jar + " " + String.join(" ", args) + " did not end within " + timeoutSeconds + " s");
        }
        return new Launcher.Run(command, p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static void jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> all = Files.walk(classes)) {
            for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
    }
}
