package io.pirt.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pirt.hal.Edge;
import io.pirt.hal.GpioPin;
import io.pirt.hal.PinMode;
import io.pirt.boardtest.TestRig;
import io.pirt.threading.Event;
import io.pirt.threading.Lock;
import io.pirt.threading.Thread;
import io.pirt.threading.Threading;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tests that run on the board with `pirt test` (docs/testing.md), and unchanged on the host
 * with `mvn test`, against the simulated board; what needs the rig (the wiring, the host's
 * hand on the button) is skipped where there is none, with the reason.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OnBoardTest {
    @Test
    void helloAndWorldTakeTurnsUnderTheLock() {
        Lock lock = new Lock();
        List<String> printed = new ArrayList<>();
        Event done = new Event();
        Thread a = Threading.thread(() -> {
            for (int i = 0; i < 50; i++) {
                lock.acquire();
                printed.add("Hello");
                lock.release();
            }
        });
        Thread b = Threading.thread(() -> {
            for (int i = 0; i < 50; i++) {
                lock.acquire();
                printed.add("World");
                lock.release();
            }
            done.set();
        });
        a.join(10_000);
        b.join(10_000);
        assertTrue(done.isSet(), "the second thread finished");
        lock.acquire();
        try {
            assertEquals(100, printed.size(), "every print happened, none lost under the lock");
            assertEquals(50, printed.stream().filter("Hello"::equals).count());
        } finally {
            lock.release();
        }
    }

    @Test
    void theBoardHasTheProfilesPins() {
        assertTrue(TestRig.profile().pins().size() > 0, "the board profile " + TestRig.profile().id() + " names its pins");
    }

    @Test
    void aJumperFromD22ToD23CarriesTheLevel() {
        assumeTrue(System.getProperty("pirt.sim.wiring") != null || !"sim".equals(TestRig.profile().gpioProvider()),
                "needs a board wired D22 -> D23 (the virtual board's default wiring)");
        GpioPin out = TestRig.board().pin("D22", PinMode.OUTPUT);
        GpioPin in = TestRig.board().pin("D23", PinMode.INPUT);
        try {
            out.write(true);
            assertTrue(in.read(), "D23 reads what D22 drives");
            out.write(false);
            assertEquals(false, in.read());
        } finally {
            out.close();
            in.close();
        }
    }

    @Test
    void theButtonPressIsSeenByAnEdgeCallback() {
        GpioPin button = TestRig.board().pin("BTN0", PinMode.INPUT_PULLUP);
        Event pressed = new Event();
        try {
            button.onEdge(Edge.FALLING, 20, (active, nanos) -> pressed.set());
            TestRig.askHost("press BTN0"); // skipped where nobody can press it
            try {
                assertTrue(pressed.await(5_000), "the falling edge reached the callback within 5 s");
            } finally {
                TestRig.askHost("release BTN0");
            }
        } finally {
            button.close();
        }
    }
}
