package io.pirt.hal.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.pi4j.context.Context;
import com.pi4j.context.ContextProperties;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalInputConfig;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputConfig;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeEvent;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.io.gpio.digital.PullResistance;
import io.pirt.boards.Capability;
import io.pirt.boards.Pin;
import io.pirt.hal.GpioLines;
import io.pirt.hal.HalException;
import io.pirt.hal.PinMode;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.mockito.junit.jupiter.MockitoSettings;
import org.mockito.quality.Strictness;

/**
 * The Pi4J backend against a stand-in Pi4J context: this machine has no GPIO chip, so the
 * context, its inputs and outputs are Mockito mocks, and the tests check what Pi4jGpio asks
 * of them (the configurations it builds, the levels it writes, the listeners it wires) and
 * how it turns their failures into messages.
 */
@ExtendWith(MockitoExtension.class)
@MockitoSettings(strictness = Strictness.LENIENT)
class Pi4jGpioTest {
    private static final String CHIP = "gpiochip0 [pinctrl-bcm2711] (58 lines)";
    private static final Pin D17 = pin("D17", 17, false, Optional.empty());
    private static final Pin D27 = pin("D27", 27, false, Optional.empty());
    /** An LED wired to 3V3: writing active drives the line low. */
    private static final Pin LED = pin("D22", 22, true, Optional.empty());
    private static final Pin ACT_LED = pin("ACT_LED", 42, false, Optional.of("leds-gpio"));

    @Mock
    Context context;
    @Mock
    ContextProperties properties;
    @Mock
    DigitalInput input;
    @Mock
    DigitalOutput output;

    private Pi4jGpio gpio;

    @BeforeEach
    void standIn() {
        when(context.properties()).thenReturn(properties); // the config builders read inherited properties
        when(properties.all()).thenReturn(Map.of());
        when(context.create(any(DigitalInputConfig.class))).thenReturn(input);
        when(context.create(any(DigitalOutputConfig.class))).thenReturn(output);
        gpio = new Pi4jGpio(CHIP, context);
    }

    private static Pin pin(String name, int line, boolean activeLow, Optional<String> driver) {
        return new Pin(name, line, OptionalInt.empty(), Set.of(Capability.GPIO), activeLow, driver);
    }

    private DigitalInputConfig inputConfig() {
        ArgumentCaptor<DigitalInputConfig> c = ArgumentCaptor.forClass(DigitalInputConfig.class);
        verify(context).create(c.capture());
        return c.getValue();
    }

    private DigitalOutputConfig outputConfig() {
        ArgumentCaptor<DigitalOutputConfig> c = ArgumentCaptor.forClass(DigitalOutputConfig.class);
        verify(context).create(c.capture());
        return c.getValue();
    }

    @ParameterizedTest
    @CsvSource({"INPUT, OFF", "INPUT_PULLUP, PULL_UP", "INPUT_PULLDOWN, PULL_DOWN"})
    void anInputIsTheLineWithItsPullWithoutDebouncing(PinMode mode, PullResistance pull) {
        gpio.configure(D17, mode);
        DigitalInputConfig c = inputConfig();
        assertEquals(17, c.address());
        assertEquals(pull, c.pull());
        assertEquals(0L, c.debounce(), "every change is reported; GpioPin debounces");
        assertEquals("gpiod-digital-input", c.provider());
        assertEquals("pirt-D17", c.id(), "the consumer label gpioinfo shows");
    }

    @Test
    void anOutputStartsInactiveAndIsLeftInactive() {
        gpio.configure(D17, PinMode.OUTPUT);
        DigitalOutputConfig c = outputConfig();
        assertEquals(17, c.address());
        assertEquals(DigitalState.LOW, c.initialState());
        assertEquals(DigitalState.LOW, c.shutdownState());
        assertEquals("gpiod-digital-output", c.provider());
    }

    @Test
    void anActiveLowOutputStartsHigh() {
        gpio.configure(LED, PinMode.OUTPUT);
        DigitalOutputConfig c = outputConfig();
        assertEquals(DigitalState.HIGH, c.initialState());
        assertEquals(DigitalState.HIGH, c.shutdownState());
    }

    @Test
    void writesAreInvertedForActiveLowPinsOnly() {
        gpio.configure(LED, PinMode.OUTPUT);
        gpio.write(LED, true);
        verify(output).state(DigitalState.LOW);
        gpio.write(LED, false);
        verify(output).state(DigitalState.HIGH);
    }

    @Test
    void writesDriveActiveHighPinsAsIs() {
        gpio.configure(D17, PinMode.OUTPUT);
        gpio.write(D17, true);
        verify(output).state(DigitalState.HIGH);
    }

    @Test
    void readsAreInvertedForActiveLowPinsOnly() {
        gpio.configure(D17, PinMode.INPUT);
        when(input.state()).thenReturn(DigitalState.HIGH);
        assertTrue(gpio.read(D17));
        when(input.state()).thenReturn(DigitalState.LOW);
        assertFalse(gpio.read(D17));

        gpio.configure(LED, PinMode.INPUT_PULLUP);
        when(input.state()).thenReturn(DigitalState.LOW);
        assertTrue(gpio.read(LED), "a low active-low line is active");
    }

    @Test
    void anOutputReadsBackWhatWasWritten() {
        gpio.configure(LED, PinMode.OUTPUT);
        when(output.state()).thenReturn(DigitalState.LOW);
        assertTrue(gpio.read(LED));
    }

    @Test
    void levelChangesReachTheListenerAsLogicalLevelsWithNanoTime() throws InterruptedException {
        gpio.configure(LED, PinMode.INPUT);
        BlockingQueue<Object[]> events = new ArrayBlockingQueue<>(4);
        gpio.listen(LED, (active, nanos) -> events.add(new Object[] {active, nanos}));
        ArgumentCaptor<DigitalStateChangeListener> l = ArgumentCaptor.forClass(DigitalStateChangeListener.class);
        verify(input).addListener(l.capture());

        long before = System.nanoTime();
        l.getValue().onDigitalStateChange(new DigitalStateChangeEvent<>(input, DigitalState.LOW));
        l.getValue().onDigitalStateChange(new DigitalStateChangeEvent<>(input, DigitalState.HIGH));
        long after = System.nanoTime();

        Object[] first = events.take();
        Object[] second = events.take();
        assertEquals(true, first[0], "LOW on an active-low pin is active");
        assertEquals(false, second[0]);
        long t1 = (Long) first[1];
        long t2 = (Long) second[1];
        assertTrue(before <= t1 && t1 <= t2 && t2 <= after, "stamped with System.nanoTime when handed over");
    }

    @Test
    void listeningAgainReplacesTheListener() {
        gpio.configure(D27, PinMode.INPUT_PULLUP);
        gpio.listen(D27, (a, n) -> { });
        ArgumentCaptor<DigitalStateChangeListener> first = ArgumentCaptor.forClass(DigitalStateChangeListener.class);
        verify(input).addListener(first.capture());
        gpio.listen(D27, (a, n) -> { });
        verify(input).removeListener(first.getValue());
    }

    @Test
    void releaseStopsEventsAndShutsTheLineDown() {
        gpio.configure(D27, PinMode.INPUT_PULLUP);
        gpio.listen(D27, (a, n) -> { });
        ArgumentCaptor<DigitalStateChangeListener> l = ArgumentCaptor.forClass(DigitalStateChangeListener.class);
        verify(input).addListener(l.capture());

        gpio.release(D27);
        InOrder order = inOrder(input, context);
        order.verify(input).removeListener(l.getValue());
        order.verify(context).shutdown(input);
        HalException e = assertThrows(HalException.class, () -> gpio.read(D27));
        assertTrue(e.getMessage().contains("D27 (line 27) is not configured"), e.getMessage());
        gpio.release(D27); // releasing a free pin does nothing
    }

    @Test
    void reconfiguringShutsTheOldLineDownFirst() {
        gpio.configure(D17, PinMode.INPUT);
        gpio.configure(D17, PinMode.OUTPUT);
        InOrder order = inOrder(context);
        order.verify(context).create(any(DigitalInputConfig.class));
        order.verify(context).shutdown(input);
        order.verify(context).create(any(DigitalOutputConfig.class));
    }

    @Test
    void closeReleasesEveryLineThenShutsPi4jDown() {
        gpio.configure(D17, PinMode.OUTPUT);
        gpio.configure(D27, PinMode.INPUT);
        gpio.close();
        verify(context).shutdown(output);
        verify(context).shutdown(input);
        InOrder order = inOrder(context);
        order.verify(context).shutdown(input);
        order.verify(context).shutdown();
        gpio.close(); // idempotent
        verify(context).shutdown();
        assertThrows(HalException.class, () -> gpio.configure(D17, PinMode.OUTPUT));
    }

    @Test
    void onlyAnOutputCanBeWrittenAndOnlyAnInputListenedTo() {
        gpio.configure(D27, PinMode.INPUT_PULLDOWN);
        HalException write = assertThrows(HalException.class, () -> gpio.write(D27, true));
        assertEquals("D27 is configured as INPUT_PULLDOWN; only an OUTPUT can be written", write.getMessage());
        gpio.configure(D17, PinMode.OUTPUT);
        GpioLines.LevelListener ignored = (a, n) -> { };
        HalException listen = assertThrows(HalException.class, () -> gpio.listen(D17, ignored));
        assertEquals("D17 is configured as OUTPUT; only an input has level changes", listen.getMessage());
        verify(output, never()).state(any());
    }

    @Test
    void aPi4jFailureNamesThePinItsLineTheChipAndTheKernelDriver() {
        RuntimeException busy = new IllegalStateException("Failed to initialize IO pirt-ACT_LED",
                new RuntimeException("c_gpiod_line_request_output failed! (Device or resource busy)"));
        when(context.create(any(DigitalOutputConfig.class))).thenThrow(busy);
        HalException e = assertThrows(HalException.class, () -> gpio.configure(ACT_LED, PinMode.OUTPUT));
        assertEquals("ACT_LED (line 42 of " + CHIP + "): configuring it as OUTPUT failed: Failed to initialize IO"
                + " pirt-ACT_LED: c_gpiod_line_request_output failed! (Device or resource busy); the board profile says"
                + " kernel driver leds-gpio claims this line at boot, so a request fails as busy until that driver"
                + " releases it", e.getMessage());
        assertSame(busy, e.getCause());
        assertThrows(HalException.class, () -> gpio.write(ACT_LED, true), "the failed line is not configured");
    }

    @Test
    void aWriteFailureIsAHalException() {
        gpio.configure(D17, PinMode.OUTPUT);
        when(output.state(DigitalState.HIGH)).thenThrow(new com.pi4j.io.exception.IOException("Failed to set state"));
        HalException e = assertThrows(HalException.class, () -> gpio.write(D17, true));
        assertTrue(e.getMessage().startsWith("D17 (line 17 of " + CHIP + "): writing it failed: Failed to set state"),
                e.getMessage());
    }
}
