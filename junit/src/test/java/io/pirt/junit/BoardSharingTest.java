package io.pirt.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A test run of two classes in a launch of its own: both get the same virtual board, it is
 * stopped when the run ends, and an expectation not met is a failed test with its message.
 */
class BoardSharingTest {
    /** The ports the two classes were given, in the order they ran. */
    static final List<String> PORTS = new CopyOnWriteArrayList<>();

    @ExtendWith(BoardExtension.class)
    static class First {
        @Test
        void recordsItsBoard(ConnectedBoard board) {
            PORTS.add(board.port());
        }
    }

    @ExtendWith(BoardExtension.class)
    static class Second {
        @Test
        void recordsItsBoardThenExpectsWhatNeverComes(ConnectedBoard board) throws Exception {
            PORTS.add(board.port());
            board.expect("never printed", Duration.ofMillis(300));
        }
    }

    @Test
    @Timeout(120)
    void theClassesOfARunShareOneVirtualBoardStoppedWhenTheRunEnds() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(First.class), selectClass(Second.class)).execute();

        results.testEvents().assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        assertEquals(2, PORTS.size(), PORTS.toString());
        assertEquals(PORTS.get(0), PORTS.get(1), "one board for the run");
        Throwable failure = results.testEvents().failed().list().get(0).getRequiredPayload(TestExecutionResult.class)
                .getThrowable().orElseThrow();
        assertTrue(failure instanceof AssertionError, failure.toString());
        assertTrue(failure.getMessage().startsWith("no console line matching /never printed/ within 300 ms on the virtual board"),
                failure.getMessage());

        // STATE/cable/host: the board's directory is gone, and no process runs from it
        Path state = Path.of(PORTS.get(0)).getParent().getParent();
        assertFalse(Files.exists(state), state + " is left");
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains(state.toString())),
                "a process of the board at " + state + " still runs");
    }
}
