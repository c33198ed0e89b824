package io.pirt.runtime.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.boards.Pin;
import io.pirt.hal.Board;
import io.pirt.hal.GpioLines;
import io.pirt.hal.GpioRequest;
import io.pirt.hal.PinMode;
import io.pirt.hal.sim.SimulatedGpio;
import io.pirt.hal.sim.Wiring;
import io.pirt.runtime.log.ConsoleLog;
import io.pirt.runtime.supervisor.AppEvents;
import io.pirt.runtime.supervisor.AppState;
import io.pirt.runtime.supervisor.AppSpec;
import io.pirt.runtime.supervisor.AppSupervisor;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.Refusal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shell's {@code gpio} command while no application runs: the runtime's own simulated board answers it. */
@Timeout(30)
class ShellCommandsGpioTest {
    @TempDir
    Path state;

    private Board board;
    private ShellCommands shell;

    @BeforeEach
    void openShell() throws IOException {
        BoardProfile profile = BoardProfiles.builtIn().get("virtual");
        board = Board.open(profile, new SimulatedGpio(profile, Wiring.parse("test-wiring", List.of("button BTN0 D27 low"), profile)));
        shell = shellOn(profile, board);
    }

    private ShellCommands shellOn(BoardProfile profile, Board board) throws IOException {
        ConsoleLog log = new ConsoleLog(state.resolve("log"), 100);
        AppSupervisor supervisor = new AppSupervisor(state.resolve("run"), log, List.of(), new AppEvents() {
            @Override
            public void started(AppSpec app) {
            }

            @Override
            public void healthy(AppSpec app) {
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
        }, 1_000, 1_000, 1_000);
        return new ShellCommands(profile, "test", supervisor, log, () -> new io.pirt.wire.message.Done("no restart here"), () -> board, null,
                new io.pirt.runtime.access.Access(false, true, true, state.resolve("keys"), state.resolve("test-keys")),
                io.pirt.runtime.AppJvm.forThisJvm(profile.appJvm(), profile.id()), () -> {
                    throw new AssertionError("no doctor in this test");
                });
    }

    @AfterEach
    void closeShell() {
        shell.releasePins();
        board.close();
    }

    @Test
    void aWrittenLevelHoldsAndReadsBack() {
        assertEquals("LED0=1", shell.execute("gpio write LED0 1"));
        assertEquals("LED0=1", shell.execute("gpio read LED0"));
        assertEquals("LED0=0", shell.execute("gpio write LED0 0"));
        assertEquals("LED0=0", shell.execute("gpio read LED0"));
    }

    @Test
    void aButtonOfTheSimulatedBoardIsPressedAndReleased() {
        assertEquals("BTN0 pressed", shell.execute("gpio press BTN0"));
        assertEquals("BTN0=0", shell.execute("gpio read BTN0"), "the button pulls its line low");
        assertEquals("BTN0 released", shell.execute("gpio release BTN0"));
    }

    @Test
    void pressingAButtonOfABoardThatIsNotSimulatedIsNotSupported() throws IOException {
        // What pirt test's rig turns into a skip on the board (TestRig.askHost), not an error.
        BoardProfile profile = BoardProfiles.builtIn().get("virtual");
        try (Board real = Board.open(profile, new NoLines())) {
            ShellCommands onReal = shellOn(profile, real);
            Refusal.RefusedException e = assertThrows(Refusal.RefusedException.class, () -> onReal.run(Command.GPIO, "press BTN0"));
            assertEquals(Refusal.NOT_SUPPORTED, e.refusal().code());
            assertTrue(e.refusal().message().contains("only on the simulated board"), e.refusal().message());
        }
    }

    /** Lines of a board that is not simulated, never touched by a press. */
    private static final class NoLines implements GpioLines {
        @Override
        public void configure(Pin pin, PinMode mode) {
            throw new AssertionError("not used");
        }

        @Override
        public boolean read(Pin pin) {
            throw new AssertionError("not used");
        }

        @Override
        public void write(Pin pin, boolean active) {
            throw new AssertionError("not used");
        }

        @Override
        public GpioLines.LevelChanges watch(Pin pin) {
            throw new AssertionError("not used");
        }

        @Override
        public void release(Pin pin) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void wordsOutsideTheGrammarGetItsUsage() {
        for (String line : new String[] {"gpio", "gpio write LED0 2", "gpio read", "gpio blink LED0"}) {
            assertEquals("error: usage: " + GpioRequest.USAGE, shell.execute(line), line);
        }
    }

    @Test
    void anUnknownPinIsAnErrorNamingIt() {
        String reply = shell.execute("gpio read D99");
        assertTrue(reply.startsWith("error: ") && reply.contains("D99"), reply);
    }
}
