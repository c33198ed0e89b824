package io.pirt.boards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BuiltInProfilesTest {
    private static final BoardProfiles PROFILES = BoardProfiles.builtIn();
    private static final List<String> REAL_BOARDS =
            List.of("rpi-3b", "rpi-3b-plus", "rpi-4b", "rpi-5", "rpi-zero-2w", "rpi-cm4");

    @Test
    void everyBuiltInProfileLoadsInIndexOrder() {
        assertEquals(List.of("rpi-3b", "rpi-3b-plus", "rpi-4b", "rpi-5", "rpi-zero-2w", "rpi-cm4", "virtual"),
                PROFILES.all().stream().map(BoardProfile::id).toList());
        for (BoardProfile p : PROFILES.all()) {
            assertFalse(p.sources().isEmpty(), p.id() + " cites its sources");
            assertEquals(4, p.cpuCores(), p.id());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rpi-3b", "rpi-3b-plus", "rpi-4b", "rpi-5", "rpi-zero-2w", "rpi-cm4", "virtual"})
    void pinD17IsLine17OnHeaderPin11(String id) {
        Pin d17 = PROFILES.get(id).pin("D17");
        assertEquals(17, d17.line());
        assertEquals(OptionalInt.of(11), d17.header());
        assertTrue(d17.has(Capability.GPIO));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rpi-3b", "rpi-3b-plus", "rpi-4b", "rpi-5", "rpi-zero-2w", "rpi-cm4"})
    void realBoardsHaveTheForty_pinHeaderMap(String id) {
        BoardProfile p = PROFILES.get(id);
        // BCM line -> physical pin, from the J8 map cited in each profile's sources.
        Map<Integer, Integer> header = Map.ofEntries(
                Map.entry(0, 27), Map.entry(1, 28), Map.entry(2, 3), Map.entry(3, 5), Map.entry(4, 7),
                Map.entry(5, 29), Map.entry(6, 31), Map.entry(7, 26), Map.entry(8, 24), Map.entry(9, 21),
                Map.entry(10, 19), Map.entry(11, 23), Map.entry(12, 32), Map.entry(13, 33), Map.entry(14, 8),
                Map.entry(15, 10), Map.entry(16, 36), Map.entry(17, 11), Map.entry(18, 12), Map.entry(19, 35),
                Map.entry(20, 38), Map.entry(21, 40), Map.entry(22, 15), Map.entry(23, 16), Map.entry(24, 18),
                Map.entry(25, 22), Map.entry(26, 37), Map.entry(27, 13));
        for (Map.Entry<Integer, Integer> e : header.entrySet()) {
            Pin pin = p.pin("D" + e.getKey());
            assertEquals(e.getKey(), pin.line(), id + " D" + e.getKey());
            assertEquals(OptionalInt.of(e.getValue()), pin.header(), id + " D" + e.getKey());
        }
        assertEquals(28, p.pins().stream().filter(pin -> pin.header().isPresent()).count(), id);
        assertTrue(p.pin("D14").has(Capability.UART) && p.pin("D15").has(Capability.UART), id + " UART on 14/15");
        assertTrue(p.pin("D2").has(Capability.I2C) && p.pin("D3").has(Capability.I2C), id + " I2C1 on 2/3");
        for (int spi = 7; spi <= 11; spi++) {
            assertTrue(p.pin("D" + spi).has(Capability.SPI), id + " SPI0 on D" + spi);
        }
        assertTrue(p.pin("D18").has(Capability.PWM), id + " PWM0 on D18");
        assertFalse(p.pin("D17").has(Capability.PWM), id + " no PWM on D17");
        assertEquals("gpiod", p.gpioProvider());
    }

    @ParameterizedTest
    @CsvSource({
            "rpi-3b,      pinctrl-bcm2835, /dev/serial0, /dev/serial0",
            "rpi-3b-plus, pinctrl-bcm2835, /dev/serial0, /dev/serial0",
            "rpi-4b,      pinctrl-bcm2711, /dev/serial0, /dev/ttyGS0",
            "rpi-5,       pinctrl-rp1,     /dev/ttyAMA0, /dev/ttyGS0",
            "rpi-zero-2w, pinctrl-bcm2835, /dev/serial0, /dev/ttyGS0",
            "rpi-cm4,     pinctrl-bcm2711, /dev/serial0, /dev/ttyGS0",
            "virtual,     pirt-sim,        pty:SERIAL0,  pty:console",
    })
    void chipLabelSerial0AndConsole(String id, String chipLabel, String serial0, String console) {
        BoardProfile p = PROFILES.get(id);
        assertEquals(chipLabel, p.gpioChipLabel());
        assertEquals(serial0, p.serialPorts().get("SERIAL0").device());
        assertEquals(console, p.consoleDevice());
    }

    @ParameterizedTest
    @CsvSource({
            "rpi-3b,      ACT led0",
            "rpi-3b-plus, ACT led0",
            "rpi-4b,      ACT led0",
            "rpi-5,       ACT",
            "rpi-zero-2w, ACT led0",
            "rpi-cm4,     ACT led0",
    })
    void activityLedIsLed0AndTheStatusLedThroughTheKernelsLedClass(String id, String sysfsNames) {
        BoardProfile p = PROFILES.get(id);
        LedClassDevice act = p.findLed("LED0").orElseThrow();
        assertEquals("ACT", act.name());
        assertEquals(List.of(sysfsNames.split(" ")), act.sysfsNames(), "ACT first (the device trees' label), then older kernels' name");
        assertEquals(act, p.statusLedDevice().orElseThrow());
        assertTrue(p.statusLed().isEmpty(), "the status LED is not a GPIO pin");
        assertTrue(p.findPin("LED0").isEmpty(), "LED0 is not a gpiod line: the kernel's leds-gpio driver or the firmware has it");
    }

    @ParameterizedTest
    @CsvSource({
            "rpi-3b-plus, 29, false",
            "rpi-4b,      42, false",
            "rpi-zero-2w, 29, true",
            "rpi-cm4,     42, false",
    })
    void activityLedOnTheProfilesChipNamesItsLineHeldByLedsGpio(String id, int line, boolean activeLow) {
        BoardProfile p = PROFILES.get(id);
        Pin line0 = p.pin(p.findLed("LED0").orElseThrow().pin().orElseThrow());
        assertEquals("ACT_LED", line0.name());
        assertEquals(line, line0.line());
        assertEquals(activeLow, line0.activeLow());
        assertEquals(OptionalInt.empty(), line0.header(), "the ACT LED is not on the header");
        assertEquals("leds-gpio", line0.kernelDriver().orElseThrow(), "the kernel holds the ACT LED at boot");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rpi-3b", "rpi-5"})
    void activityLedOffTheProfilesChipHasNoPin(String id) {
        BoardProfile p = PROFILES.get(id);
        assertTrue(p.findLed("ACT").orElseThrow().pin().isEmpty(), "the 3B's is behind the firmware, the 5's on gio_aon");
        assertTrue(p.findPin("ACT_LED").isEmpty());
    }

    @Test
    void raspberryPi5DebugUartIsSerial1() {
        SerialPortSpec debug = PROFILES.get("rpi-5").serialPorts().get("SERIAL1");
        assertEquals("/dev/ttyAMA10", debug.device());
        assertFalse(debug.isPseudoTerminal());
    }

    @Test
    void computeModule4InheritsFromPi4AndKeepsItsOwnIdentity() {
        BoardProfile pi4 = PROFILES.get("rpi-4b");
        BoardProfile cm4 = PROFILES.get("rpi-cm4");
        assertEquals("rpi-4b", cm4.extendsId().orElseThrow());
        assertEquals("Raspberry Pi Compute Module 4", cm4.name());
        assertEquals(List.of("Raspberry Pi Compute Module 4"), cm4.matchPrefixes());
        assertEquals(pi4.pins(), cm4.pins());
        assertEquals(pi4.soc(), cm4.soc());
        assertTrue(cm4.sources().containsAll(pi4.sources()), "sources are appended to the parent's");
        assertTrue(cm4.sources().size() > pi4.sources().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rpi-3b", "rpi-3b-plus", "rpi-4b", "rpi-5", "rpi-zero-2w", "rpi-cm4"})
    void realBoardsRunRealTimeThreadsOnCpu3BelowIrqThreads(String id) {
        RealtimeTable rt = PROFILES.get(id).realtime();
        int[] expected = {10, 15, 20, 25, 30, 35, 40};
        for (int level = 1; level <= RealtimeTable.LEVELS; level++) {
            assertEquals(expected[level - 1], rt.fifoPriority(level), RealtimeTable.levelName(level));
        }
        assertEquals(List.of(3), rt.cpus());
    }

    @ParameterizedTest
    @CsvSource({"rpi-3b, 256", "rpi-3b-plus, 256", "rpi-4b, 256", "rpi-5, 256", "rpi-zero-2w, 128", "rpi-cm4, 256", "virtual, 256"})
    void applicationsGetZgcAndAHeapThatFitsTheBoardsMemory(String id, int heapMb) {
        // The Zero 2 W has 512 MB for the GPU, Linux, the runtime's JVM and the application's.
        assertEquals(new AppJvmSettings("zgc", heapMb), PROFILES.get(id).appJvm());
    }

    @Test
    void anLedClassLedIsNoGpioPin() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PROFILES.get("rpi-4b").pin("LED0"));
        assertEquals("'LED0' of board rpi-4b is the kernel LED ACT (/sys/class/leds/ACT or led0), not a GPIO pin", e.getMessage());
    }

    @Test
    void virtualBoardIsSimulatedWithLedAndButton() {
        BoardProfile v = PROFILES.get("virtual");
        assertEquals("sim", v.gpioProvider());
        assertEquals("D17", v.pin("LED0").name());
        assertEquals("D17", v.statusLed().orElseThrow().name(), "the simulated LED is a pin");
        assertTrue(v.leds().isEmpty() && v.statusLedDevice().isEmpty());
        assertEquals("D27", v.pin("BTN0").name());
        assertTrue(v.serialPorts().get("SERIAL0").isPseudoTerminal());
        assertEquals(List.of(), v.realtime().cpus(), "no pinning on an arbitrary host");
        assertTrue(v.matchPrefixes().isEmpty(), "never detected from a model string");
    }

    @Test
    void noTwoRealBoardsShareAMatchPrefix() {
        Set<String> prefixes = new HashSet<>();
        for (String id : REAL_BOARDS) {
            for (String prefix : PROFILES.get(id).matchPrefixes()) {
                assertTrue(prefixes.add(prefix), prefix);
            }
        }
    }

    @Test
    void unknownPinNamesTheBoardAndItsPins() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PROFILES.get("rpi-3b").pin("LED9"));
        assertTrue(e.getMessage().contains("rpi-3b"), e.getMessage());
        assertTrue(e.getMessage().contains("'LED9'"), e.getMessage());
        assertTrue(e.getMessage().contains("D17"), e.getMessage());
    }

    @Test
    void unknownBoardIdListsTheBuiltInOnes() {
        ProfileException e = assertThrows(ProfileException.class, () -> PROFILES.get("rpi-2b"));
        assertTrue(e.getMessage().contains("'rpi-2b'"), e.getMessage());
        assertTrue(e.getMessage().contains("rpi-zero-2w"), e.getMessage());
        assertTrue(e.getMessage().contains("--board-file"), e.getMessage());
    }

    @Test
    void priorityLevelOutsideOneToSevenIsRejected() {
        RealtimeTable rt = PROFILES.get("rpi-4b").realtime();
        assertThrows(IllegalArgumentException.class, () -> rt.fifoPriority(0));
        assertThrows(IllegalArgumentException.class, () -> rt.fifoPriority(8));
        assertEquals("PRIO_NORMAL", RealtimeTable.levelName(4));
    }
}
