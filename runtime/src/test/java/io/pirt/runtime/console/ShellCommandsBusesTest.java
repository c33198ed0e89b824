package io.pirt.runtime.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.hal.Board;
import io.pirt.hal.I2cBus;
import io.pirt.hal.PwmChannel;
import io.pirt.hal.SpiDevice;
import io.pirt.runtime.log.ConsoleLog;
import io.pirt.runtime.supervisor.AppEvents;
import io.pirt.runtime.supervisor.AppSpec;
import io.pirt.runtime.supervisor.AppState;
import io.pirt.runtime.supervisor.AppSupervisor;
import io.pirt.runtime.supervisor.TestApp;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.Done;
import io.pirt.wire.message.PwmStates;
import io.pirt.wire.message.Refusal;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell's i2c, spi and pwm commands: on the runtime's own simulated board while no
 * application runs, and forwarded to the application's process (which holds the board's
 * devices then) while one does.
 */
@Timeout(60)
class ShellCommandsBusesTest {
    private static final BoardProfile VIRTUAL = BoardProfiles.builtIn().get("virtual");

    @TempDir
    Path state;
    private Path wiring;
    private ConsoleLog log;
    private AppSupervisor supervisor;
    private final CountDownLatch healthy = new CountDownLatch(1);
    private Board board;
    private ShellCommands shell;

    @BeforeEach
    void openShell() throws IOException {
        wiring = Files.writeString(state.resolve("rig.wiring"), "tmp102 i2c-1 0x48\nmcp3008 spi0.0 3.3\n");
        log = new ConsoleLog(state.resolve("log"), 100);
        supervisor = new AppSupervisor(state.resolve("run"), log, pirtLibraries(), new AppEvents() {
            @Override
            public void started(AppSpec app) {
            }

            @Override
            public void healthy(AppSpec app) {
                healthy.countDown();
            }

            @Override
            public void event(AppSpec app, String json) {
            }

            @Override
            public void hostAction(AppSpec app, String idAndAction) {
            }

            @Override
            public void ended(AppSpec app, AppState end, String detail) {
            }
        }, 20_000, 5_000, 2_000);
        board = Board.open(VIRTUAL, Optional.of(wiring));
        shell = shellOn(VIRTUAL, board);
    }

    private ShellCommands shellOn(BoardProfile profile, Board board) {
        return new ShellCommands(profile, "test", supervisor, log, () -> new Done("no restart here"), () -> board, null,
                new io.pirt.runtime.access.Access(false, true, true, state.resolve("keys"), state.resolve("test-keys")),
                io.pirt.runtime.AppJvm.forThisJvm(profile.appJvm(), profile.id()), () -> {
                    throw new AssertionError("no doctor in this test");
                });
    }

    /** Everything on the test class path but this module's own classes is what an application links against. */
    private static List<Path> pirtLibraries() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("runtime" + File.separator + "target")).map(Path::of).toList();
    }

    @AfterEach
    void close() {
        supervisor.close();
        board.close();
        log.close();
    }

    @Test
    void withoutAnApplicationTheRuntimesOwnSimulatedSensorsAreSet() {
        assertEquals("the TMP102 at 0x48 on i2c-1 measures 31.5 °C", shell.execute("i2c temperature i2c-1 0x48 31.5"));
        assertEquals("channel 3 of the MCP3008 on spi0.0 is at 1.65 V", shell.execute("spi voltage spi0.0 3 1.65"));
        try (I2cBus i2c = board.i2c("i2c-1"); SpiDevice adc = board.spi("spi0.0")) {
            assertEquals(31.5, (short) i2c.readRegisterWord(0x48, 0) / 256.0, 1e-9);
            byte[] rx = adc.transfer((byte) 0x01, (byte) (0x80 | 3 << 4), (byte) 0);
            assertEquals(512, (rx[1] & 3) << 8 | (rx[2] & 0xFF));
        }
        assertEquals("error: no TMP102 is wired at 0x49 on i2c-1; the wiring has a TMP102 at 0x48 on i2c-1, an MCP3008 on spi0.0",
                shell.execute("i2c temperature i2c-1 0x49 20"));
        assertEquals("error: a TMP102 measures -55 to 150 °C, not 400.0", shell.execute("i2c temperature i2c-1 0x48 400"));
    }

    @Test
    void pwmShowsEachChannelAndTheLastChanges() {
        assertEquals("PWM0 on D18: not open, off, 1000 Hz, duty 0.0 % (0 of 1000000 ns)\n"
                + "PWM1 on D19: not open, off, 1000 Hz, duty 0.0 % (0 of 1000000 ns)", shell.execute("pwm"));
        try (PwmChannel fan = board.pwm("PWM0")) {
            fan.write(40_000, 10_000);
            PwmStates states = (PwmStates) shell.run(Command.PWM, "D18");
            assertTrue(states.simulated());
            PwmStates.Channel c = states.channels().get(0);
            assertEquals(List.of("PWM0", "D18", true, 40_000L, 10_000L, true, 0L),
                    List.of(c.name(), c.pin(), c.open(), c.periodNs(), c.dutyNs(), c.enabled(), c.earlierChanges()));
            assertEquals(List.of(false, true), c.recent().stream().map(PwmStates.Change::enabled).toList(), "opened off, then written on");
            assertTrue(c.recent().get(0).agoNs() >= c.recent().get(1).agoNs());
            String text = shell.execute("pwm PWM0");
            assertTrue(text.startsWith("PWM0 on D18: on, 25000 Hz, duty 25.0 % (10000 of 40000 ns)\n"), text);
            assertTrue(text.matches("(?s).*\\n +\\d+\\.\\d{3} s ago  on, 25000 Hz, duty 25.0 %$"), text);
        }
        assertTrue(shell.execute("pwm PWM5").startsWith("error: board virtual has no PWM channel 'PWM5'; it has PWM0, PWM1"));
    }

    @Test
    void wordsOutsideTheGrammarGetTheCommandsUsage() {
        assertEquals("error: usage: i2c temperature BUS ADDRESS CELSIUS", shell.execute("i2c temperature i2c-1 0x48"));
        assertEquals("error: usage: spi voltage DEVICE CHANNEL VOLTS", shell.execute("spi voltage spi0.0 x 1"));
        assertEquals("error: usage: pwm [CHANNEL]", shell.execute("pwm PWM0 PWM1"));
        assertTrue(ShellCommands.HELP.contains("i2c temperature BUS ADDRESS CELSIUS"));
    }

    @Test
    void onABoardThatIsNotSimulatedSettingASensorIsNotSupportedAndPwmListsWhatIsOpen() {
        BoardProfile pi = BoardProfiles.builtIn().get("rpi-4b");
        try (Board real = Board.open(pi, new NoLines())) {
            ShellCommands onReal = shellOn(pi, real);
            Refusal.RefusedException e = assertThrows(Refusal.RefusedException.class,
                    () -> onReal.run(Command.I2C, "temperature i2c-1 0x48 30"));
            assertEquals(Refusal.NOT_SUPPORTED, e.refusal().code(), "what the rig turns into a skip on the board");
            assertTrue(e.refusal().message().startsWith("only the simulated board has simulated sensors"), e.refusal().message());
            assertEquals(Refusal.NOT_SUPPORTED, assertThrows(Refusal.RefusedException.class,
                    () -> onReal.run(Command.SPI, "voltage spi0.0 0 1")).refusal().code());
            PwmStates none = (PwmStates) onReal.run(Command.PWM, "");
            assertFalse(none.simulated());
            assertEquals(List.of(), none.channels());
        }
    }

    @Test
    void whileAnApplicationRunsTheCommandsReachItsBoard() throws Exception {
        supervisor.start(new AppSpec("test-app-buses", List.of(Path.of("target/test-classes")), TestApp.class.getName(), List.of("buses"),
                List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"),
                Map.of("pirt.scheduling", "none", "pirt.board", "virtual", "pirt.sim.wiring", wiring.toString())));
        assertTrue(healthy.await(30, TimeUnit.SECONDS), "the application opened its buses within 30 s; log: " + log.recent(20));

        PwmStates.Channel fan = fan();
        assertTrue(fan.open() && fan.enabled(), "the application's PWM0, not the runtime's (closed) one");
        assertEquals(250_000, fan.dutyNs());

        assertEquals(new Done("the TMP102 at 0x48 on i2c-1 measures 31.5 °C"), shell.run(Command.I2C, "temperature i2c-1 0x48 31.5"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // The application's follower reads the sensor every 2 ms; look every 5 ms (a test-side bound, not a synchronisation).
        while (fan().dutyNs() != 315_000) {
            assertTrue(System.nanoTime() < deadline, "the fan's duty follows 31.5 °C within 10 s; it is " + fan());
            LockSupport.parkNanos(5_000_000);
        }
        assertEquals(25.0, board.simulatedBuses().orElseThrow().temperature("i2c-1", 0x48), "the runtime's own board is not the one set");

        assertEquals(new Done("channel 0 of the MCP3008 on spi0.0 is at 1.65 V"), shell.run(Command.SPI, "voltage spi0.0 0 1.65"));
        Refusal.RefusedException e = assertThrows(Refusal.RefusedException.class, () -> shell.run(Command.I2C, "temperature i2c-1 0x4a 20"));
        assertEquals(Refusal.FAILED, e.refusal().code());
        assertTrue(e.refusal().message().startsWith("no TMP102 is wired at 0x4a on i2c-1; the wiring has a TMP102 at 0x48"), e.refusal().message());
    }

    /** PWM0 as the shell's pwm command reports it. */
    private PwmStates.Channel fan() {
        return ((PwmStates) shell.run(Command.PWM, "PWM0")).channels().get(0);
    }

    /** Lines of a board that is not simulated, never touched here. */
    private static final class NoLines implements io.pirt.hal.GpioLines {
        @Override
        public void configure(io.pirt.boards.Pin pin, io.pirt.hal.PinMode mode) {
            throw new AssertionError("not used");
        }

        @Override
        public boolean read(io.pirt.boards.Pin pin) {
            throw new AssertionError("not used");
        }

        @Override
        public void write(io.pirt.boards.Pin pin, boolean active) {
            throw new AssertionError("not used");
        }

        @Override
        public io.pirt.hal.GpioLines.LevelChanges watch(io.pirt.boards.Pin pin) {
            throw new AssertionError("not used");
        }

        @Override
        public void release(io.pirt.boards.Pin pin) {
        }

        @Override
        public void close() {
        }
    }
}
