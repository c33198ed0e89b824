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
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputConfig;
import com.pi4j.io.gpio.digital.DigitalState;
import com.sun.jna.Memory;
import io.pirt.boards.Capability;
import io.pirt.boards.Pin;
import io.pirt.hal.GpioLines;
import io.pirt.hal.HalException;
import io.pirt.hal.PinMode;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
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
 * The real-board backend against stand-ins: this machine has no GPIO chip, so the Pi4J
 * context and its outputs are Mockito mocks, and the chip's input line requests are pipes
 * (PipeChip). The tests check what Pi4jGpio asks of them (the configurations and line
 * requests it builds, the levels it writes, the lines it gives back) and how it turns their
 * failures into messages.
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
    DigitalOutput output;

    private PipeChip chip;
    private Pi4jGpio gpio;

    @BeforeEach
    void standIn() {
        when(context.properties()).thenReturn(properties); // the config builders read inherited properties
        when(properties.all()).thenReturn(Map.of());
        when(context.create(any(DigitalOutputConfig.class))).thenReturn(output);
        chip = new PipeChip();
        gpio = new Pi4jGpio(CHIP, context, chip);
    }

    @AfterEach
    void closeChip() {
        gpio.close();
        chip.closeWriteEnds();
    }

    private static Pin pin(String name, int line, boolean activeLow, Optional<String> driver) {
        return new Pin(name, line, OptionalInt.empty(), Set.of(Capability.GPIO), activeLow, driver);
    }

    /** The flags and consumer of the only line request made. */
    private Memory onlyRequest() {
        assertEquals(1, chip.requests.size(), "line requests");
        byte[] bytes = chip.requests.get(0);
        Memory m = new Memory(bytes.length);
        m.write(0, bytes, 0, bytes.length);
        return m;
    }

    private DigitalOutputConfig outputConfig() {
        ArgumentCaptor<DigitalOutputConfig> c = ArgumentCaptor.forClass(DigitalOutputConfig.class);
        verify(context).create(c.capture());
        return c.getValue();
    }

    @ParameterizedTest
    @CsvSource({"INPUT, 1024", "INPUT_PULLUP, 256", "INPUT_PULLDOWN, 512"})
    void anInputIsRequestedFromTheKernelWithItsBiasBothEdgesAndPirtsConsumer(PinMode mode, long bias) {
        gpio.configure(D17, mode);
        try (Memory r = onlyRequest()) {
            assertEquals(17, r.getInt(GpioUapi.REQUEST_OFFSETS));
            assertEquals(1, r.getInt(GpioUapi.REQUEST_NUM_LINES));
            assertEquals("pirt-D17", r.getString(GpioUapi.REQUEST_CONSUMER), "the consumer label gpioinfo shows");
            assertEquals(4 | 16 | 32 | bias, r.getLong(GpioUapi.REQUEST_CONFIG), "INPUT, both edges, the bias; not active-low");
            assertEquals(0, r.getInt(GpioUapi.REQUEST_CONFIG + GpioUapi.CONFIG_NUM_ATTRS), "no kernel debounce: GpioPin debounces");
        }
        verify(context, never()).create(any(DigitalOutputConfig.class));
    }

    @Test
    void anActiveLowInputAsksTheKernelForLogicalLevels() {
        gpio.configure(LED, PinMode.INPUT_PULLUP);
        try (Memory r = onlyRequest()) {
            assertEquals(2, r.getLong(GpioUapi.REQUEST_CONFIG) & 2, "GPIO_V2_LINE_FLAG_ACTIVE_LOW");
        }
        chip.level = true; // the kernel's answer is already logical
        assertTrue(gpio.read(LED));
        chip.level = false;
        assertFalse(gpio.read(LED));
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
    void anOutputReadsBackWhatWasWritten() {
        gpio.configure(LED, PinMode.OUTPUT);
        when(output.state()).thenReturn(DigitalState.LOW);
        assertTrue(gpio.read(LED));
    }

    @Test
    void aWatchTakesTheKernelsEventsWithTheirTimestamps() {
        gpio.configure(D27, PinMode.INPUT_PULLUP);
        GpioLines.LevelChanges changes = gpio.watch(D27);
        chip.send(27, false, 77_000L, 1);
        assertTrue(changes.take(5_000));
        assertFalse(changes.level());
        assertEquals(77_000L, changes.nanos());
        changes.close();
    }

    @Test
    void releaseClosesTheLineRequestAndWakesItsWatch() {
        gpio.configure(D27, PinMode.INPUT_PULLUP);
        GpioLines.LevelChanges changes = gpio.watch(D27);
        gpio.release(D27);
        assertFalse(changes.take(5_000), "the watch of a released line ends at once");
        assertEquals(32, chip.writeRaw(27, new byte[48]), "EPIPE: the line request's file descriptor was closed");
        HalException e = assertThrows(HalException.class, () -> gpio.read(D27));
        assertTrue(e.getMessage().contains("D27 (line 27) is not configured"), e.getMessage());
        gpio.release(D27); // releasing a free pin does nothing
        changes.close();
    }

    @Test
    void reconfiguringGivesTheOldLineBackFirst() {
        gpio.configure(D17, PinMode.INPUT);
        gpio.configure(D17, PinMode.OUTPUT);
        assertEquals(32, chip.writeRaw(17, new byte[48]), "the input's request was closed");
        verify(context).create(any(DigitalOutputConfig.class));
        gpio.configure(D17, PinMode.INPUT_PULLDOWN);
        verify(context).shutdown(output);
        assertEquals(2, chip.requests.size());
    }

    @Test
    void closeReleasesEveryLineThenShutsPi4jDown() {
        gpio.configure(D17, PinMode.OUTPUT);
        gpio.configure(D27, PinMode.INPUT);
        gpio.close();
        verify(context).shutdown(output);
        assertEquals(32, chip.writeRaw(27, new byte[48]), "the input's request was closed");
        InOrder order = inOrder(context);
        order.verify(context).shutdown(output);
        order.verify(context).shutdown();
        assertTrue(chip.closed, "the chip device is closed last");
        gpio.close(); // idempotent
        verify(context).shutdown();
        assertThrows(HalException.class, () -> gpio.configure(D17, PinMode.OUTPUT));
    }

    @Test
    void onlyAnOutputCanBeWrittenAndOnlyAnInputWatched() {
        gpio.configure(D27, PinMode.INPUT_PULLDOWN);
        HalException write = assertThrows(HalException.class, () -> gpio.write(D27, true));
        assertEquals("D27 is configured as INPUT_PULLDOWN; only an OUTPUT can be written", write.getMessage());
        gpio.configure(D17, PinMode.OUTPUT);
        HalException watch = assertThrows(HalException.class, () -> gpio.watch(D17));
        assertEquals("D17 is configured as OUTPUT; only an input has level changes", watch.getMessage());
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
    void aBusyInputLineNamesThePinItsLineTheChipAndWhoMayHoldIt() {
        chip.refuseWith = 16;
        HalException e = assertThrows(HalException.class, () -> gpio.configure(D17, PinMode.INPUT));
        assertTrue(e.getMessage().startsWith("D17 (line 17 of " + CHIP + "): configuring it as INPUT failed: "), e.getMessage());
        assertTrue(e.getMessage().contains("the kernel refused the input line request (GPIO_V2_GET_LINE_IOCTL): EBUSY, the line is busy"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; another program or a kernel driver holds the line: gpioinfo shows each line's consumer"),
                e.getMessage());
        assertThrows(HalException.class, () -> gpio.read(D17), "the refused line is not configured");
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
