package io.pirt.hal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.hal.sim.SimulatedGpio;
import io.pirt.hal.sim.Wiring;
import io.pirt.threading.Thread;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GPIO pins on the simulated board: modes, reads and writes, wiring, edge callbacks and debouncing. */
@Timeout(20)
class GpioTest {
    private static final BoardProfile VIRTUAL = BoardProfiles.builtIn().get("virtual");
    private SimulatedGpio sim;
    private Board board;

    @BeforeEach
    void wire() {
        sim = new SimulatedGpio(VIRTUAL, Wiring.parse("test-wiring", List.of(
                "# the benchmark's jumper and the demo's button and LED",
                "jumper D22 D23",
                "button BTN0 D27 low",
                "led LED0 D17"), VIRTUAL));
        board = Board.open(VIRTUAL, sim);
    }

    @AfterEach
    void close() {
        board.close();
    }

    /** Edges as "level@thread", in order. */
    private static final class Edges {
        final BlockingQueue<String> seen = new ArrayBlockingQueue<>(100);

        EdgeCallback callback() {
            return (active, nanos) -> seen.add((active ? "rise" : "fall") + "@" + Thread.current().getEffectivePriority());
        }

        String next() throws InterruptedException {
            String e = seen.poll(5, TimeUnit.SECONDS);
            assertTrue(e != null, "no edge callback within 5 s");
            return e;
        }

        void assertNoneWithin(long ms) throws InterruptedException {
            String e = seen.poll(ms, TimeUnit.MILLISECONDS);
            assertEquals(null, e, "unexpected edge");
        }
    }

    @Test
    void outputWritesReadsAndTogglesAndDrivesItsLed() {
        GpioPin led = board.pin("LED0", PinMode.OUTPUT);
        assertEquals("D17", led.name());
        assertEquals(17, led.line());
        assertFalse(led.read(), "an output starts inactive");
        assertFalse(sim.isLit("LED0"));
        led.write(true);
        assertTrue(led.read());
        assertTrue(sim.isLit("LED0"));
        assertFalse(led.toggle());
        assertFalse(sim.isLit("LED0"));
    }

    @Test
    void inputFollowsItsPullResistorWhenNothingDrivesIt() {
        try (GpioPin up = board.pin("D5", PinMode.INPUT_PULLUP); GpioPin down = board.pin("D6", PinMode.INPUT_PULLDOWN)) {
            assertTrue(up.read());
            assertFalse(down.read());
            HalException e = assertThrows(HalException.class, () -> up.write(true));
            assertTrue(e.getMessage().contains("only an OUTPUT pin can be written"), e.getMessage());
        }
    }

    @Test
    void jumperedOutputDrivesInputAndFiresItsCallbacksAtHighestPriority() throws Exception {
        GpioPin out = board.pin("D22", PinMode.OUTPUT);
        GpioPin in = board.pin("D23", PinMode.INPUT_PULLDOWN);
        Edges edges = new Edges();
        in.onEdge(Edge.BOTH, 0, edges.callback());
        out.write(true);
        assertEquals("rise@" + Thread.PRIO_HIGHEST, edges.next());
        assertTrue(in.read());
        out.write(false);
        assertEquals("fall@" + Thread.PRIO_HIGHEST, edges.next());
        out.write(false); // no change, no edge
        edges.assertNoneWithin(50);
    }

    @Test
    void risingCallbackIgnoresFallingEdgesAndRunsAtTheGivenPriority() throws Exception {
        GpioPin out = board.pin("D22", PinMode.OUTPUT);
        GpioPin in = board.pin("D23", PinMode.INPUT);
        Edges edges = new Edges();
        in.onEdge(Edge.RISING, 0, Thread.PRIO_LOW, edges.callback());
        out.write(true);
        out.write(false);
        out.write(true);
        assertEquals("rise@" + Thread.PRIO_LOW, edges.next());
        assertEquals("rise@" + Thread.PRIO_LOW, edges.next());
        edges.assertNoneWithin(50);
    }

    @Test
    void buttonPressPullsItsInputLowAndFiresFallingCallback() throws Exception {
        GpioPin button = board.pin("BTN0", PinMode.INPUT_PULLUP);
        Edges edges = new Edges();
        button.onEdge(Edge.FALLING, 0, edges.callback());
        assertTrue(button.read());
        sim.press("BTN0");
        assertEquals("fall@" + Thread.PRIO_HIGHEST, edges.next());
        assertFalse(button.read());
        sim.release("BTN0");
        edges.assertNoneWithin(50);
        assertTrue(button.read());
    }

    @Test
    void bouncingButtonFiresOnceAfterTheDebounceTime() throws Exception {
        GpioPin button = board.pin("BTN0", PinMode.INPUT_PULLUP);
        Edges edges = new Edges();
        long[] firedAt = new long[1];
        button.onEdge(Edge.BOTH, 30, (active, nanos) -> {
            firedAt[0] = System.nanoTime();
            edges.callback().onEdge(active, nanos);
        });
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) { // contact bounce: five presses and releases in a burst, ending pressed
            sim.press("BTN0");
            sim.release("BTN0");
        }
        sim.press("BTN0");
        long lastChange = System.nanoTime();
        assertEquals("fall@" + Thread.PRIO_HIGHEST, edges.next());
        assertTrue(firedAt[0] - lastChange >= TimeUnit.MILLISECONDS.toNanos(29), "fired before the level was stable for 30 ms");
        edges.assertNoneWithin(100);
        // A glitch shorter than the debounce time: no callback at all.
        sim.release("BTN0");
        sim.press("BTN0");
        edges.assertNoneWithin(100);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void closingAPinStopsItsCallbacksAndFreesIt() throws Exception {
        GpioPin out = board.pin("D22", PinMode.OUTPUT);
        GpioPin in = board.pin("D23", PinMode.INPUT);
        Edges edges = new Edges();
        EdgeWatch watch = in.onEdge(Edge.BOTH, 0, edges.callback());
        in.close();
        assertFalse(watch.thread().isAlive(), "the callback thread ends with the pin");
        out.write(true);
        edges.assertNoneWithin(50);
        assertFalse(board.isOpen("D23"));
        try (GpioPin again = board.pin("D23", PinMode.INPUT)) {
            assertTrue(again.read(), "reopened, it sees the jumper again");
        }
        assertThrows(HalException.class, in::read);
    }

    @Test
    void secondCallbackOnAPinIsRefusedUntilTheFirstIsClosed() {
        GpioPin in = board.pin("D23", PinMode.INPUT);
        EdgeWatch first = in.onEdge(Edge.BOTH, 0, (a, n) -> { });
        HalException e = assertThrows(HalException.class, () -> in.onEdge(Edge.RISING, 0, (a, n) -> { }));
        assertTrue(e.getMessage().contains("already has an edge callback"), e.getMessage());
        first.close();
        in.onEdge(Edge.RISING, 0, (a, n) -> { }).close();
    }

    @Test
    void callbackFailureIsReportedAndLaterEdgesStillArrive() throws Exception {
        GpioPin out = board.pin("D22", PinMode.OUTPUT);
        GpioPin in = board.pin("D23", PinMode.INPUT);
        Edges edges = new Edges();
        in.onEdge(Edge.BOTH, 0, (active, nanos) -> {
            if (active) throw new IllegalStateException("application bug");
            edges.callback().onEdge(active, nanos);
        });
        out.write(true);
        out.write(false);
        assertEquals("fall@" + Thread.PRIO_HIGHEST, edges.next());
    }

    @Test
    void errorsNameThePinAndWhatToDo() {
        HalException unknown = assertThrows(HalException.class, () -> board.pin("D99", PinMode.INPUT));
        assertEquals(VIRTUAL.noPinNamed("D99"), unknown.getMessage(), "the profile's one wording, with the board file that adds a name");
        assertTrue(unknown.getMessage().contains("has no pin or alias 'D99'") && unknown.getMessage().contains("--board-file"),
                unknown.getMessage());
        board.pin("D17", PinMode.OUTPUT);
        HalException busy = assertThrows(HalException.class, () -> board.pin("LED0", PinMode.INPUT));
        assertTrue(busy.getMessage().contains("D17 (LED0) is already in use as OUTPUT"), busy.getMessage());
        GpioPin out = board.pin("D22", PinMode.OUTPUT);
        HalException noEdges = assertThrows(HalException.class, () -> out.onEdge(Edge.BOTH, 0, (a, n) -> { }));
        assertTrue(noEdges.getMessage().contains("need an input pin"), noEdges.getMessage());
    }

    @Test
    void wiringMistakesNameTheFileAndLine() {
        HalException e = assertThrows(HalException.class,
                () -> Wiring.parse("my-rig.wiring", List.of("jumper D17 D27", "button B1 D99 low"), VIRTUAL));
        assertEquals("my-rig.wiring:2: " + VIRTUAL.noPinNamed("D99"), e.getMessage());
        e = assertThrows(HalException.class, () -> Wiring.parse("w", List.of("relay D17"), VIRTUAL));
        assertTrue(e.getMessage().contains("w:1: unknown item 'relay'"), e.getMessage());
        e = assertThrows(HalException.class, () -> Wiring.parse("w", List.of("button B D27 sideways"), VIRTUAL));
        assertTrue(e.getMessage().contains("'low' or 'high'"), e.getMessage());
        e = assertThrows(HalException.class, () -> Wiring.parse("w", List.of("jumper D5 D27", "jumper D6 D27"), VIRTUAL));
        assertTrue(e.getMessage().contains("w:2: pin D27 would be driven by both D5 and D6"), e.getMessage());
        e = assertThrows(HalException.class, () -> sim.press("BTN9"));
        assertTrue(e.getMessage().contains("no button 'BTN9'"), e.getMessage());
    }
}
