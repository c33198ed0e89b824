package io.pirt.tests.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's thermostat commands through the shipped launcher, as a user types them: the example
 * on a virtual board with {@code ./pirt sim --app-jar}, its simulated sensor warmed and its fan
 * looked at from {@code ./pirt console} (the shell's {@code i2c} and {@code pwm}), and its
 * on-board tests with {@code ./pirt test}.
 */
@Timeout(300)
class ThermostatLauncherTest {
    static final Path PROJECT = Launcher.ROOT.resolve("examples/thermostat");
    static final String MAIN = "io.pirt.examples.thermostat.Thermostat";

    @TempDir
    Path dir;

    @Test
    void theThermostatRunsOnTheVirtualBoardFollowsTheShellsTemperatureAndPassesItsTestsThere() throws Exception {
        Path jar;
        try (Stream<Path> files = Files.list(PROJECT.resolve("target"))) {
            jar = files.filter(f -> f.getFileName().toString().matches("pirt-example-thermostat-[^-]+(-SNAPSHOT)?\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no thermostat jar: build it with mvn -pl examples/thermostat -am package"));
        }
        try (Launcher.Live sim = new Launcher.Live(dir, Map.of(), "sim", "--baud", "0", "--app-jar", jar.toString(), "--app-main", MAIN)) {
            String port = sim.awaitLine(l -> l.startsWith("port: "), 60_000, "'port: PATH' line").substring("port: ".length());
            try (Launcher.Live console = new Launcher.Live(dir, Map.of(), "console", "--port", port)) {
                console.awaitLine(l -> l.contains("temperature 25.00 °C, fan 0 %"), 60_000, "the thermostat's first state");
                OutputStream in = console.stdin();
                in.write("i2c temperature i2c-1 0x48 31\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                console.awaitLine(l -> l.contains("temperature 31.00 °C, fan 60 %"), 30_000, "the fan at 60 % after 'i2c temperature ... 31'");
                in.write("pwm PWM0\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                console.awaitLine(l -> l.startsWith("PWM0 on D18: on, 25000 Hz, duty 60.0 %"), 30_000, "the shell's 'pwm PWM0'");
                in.write(0x1d); // Ctrl-]
                in.flush();
                assertEquals(0, console.awaitExit(30), "exit code of console");
            }
            Launcher.Run test = Launcher.run(dir, Map.of(), 180, "test", "--port", port, "--unsigned", "--reports",
                    dir.resolve("reports").toString(), PROJECT.toString());
            assertEquals(0, test.exitCode(), test::toString);
            assertTrue(test.out().contains("Tests run: 5, Failures: 0, Errors: 0, Skipped: 0"), test::toString);
        }
    }
}
