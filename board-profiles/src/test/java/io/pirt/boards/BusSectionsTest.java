package io.pirt.boards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code i2c}, {@code spi} and {@code pwm} sections: reading, inheritance, checks, and the built-in data. */
class BusSectionsTest {
    private static final BoardProfiles PROFILES = BoardProfiles.builtIn();

    /** A valid profile with one bus of each kind; tests break it one place at a time. */
    private static final String VALID = """
            version: 1
            id: board
            name: Test board
            soc: TEST1
            cpuCores: 2
            gpio: {chipLabel: test-chip, provider: gpiod}
            pins:
              - {name: D1, line: 1, header: 1, caps: [gpio]}
              - {name: D2, line: 2, header: 2, caps: [gpio, i2c]}
              - {name: D3, line: 3, header: 3, caps: [gpio, i2c]}
              - {name: D8, line: 8, header: 8, caps: [gpio, spi]}
              - {name: D9, line: 9, header: 9, caps: [gpio, spi]}
              - {name: D18, line: 18, header: 12, caps: [gpio, pwm]}
              - {name: D19, line: 19, header: 35, caps: [gpio, pwm]}
            aliases: {LED0: D1}
            i2c:
              i2c-1: {device: /dev/i2c-1, pins: [D2, D3], enable: dtparam=i2c_arm=on}
            spi:
              spi0.0: {device: /dev/spidev0.0, pins: [D8, D9], enable: dtparam=spi=on}
            pwm:
              PWM0: {chip: fe20c000.pwm, channel: 0, pin: D18, enable: dtoverlay=pwm-2chan}
              PWM1: {chip: fe20c000.pwm, channel: 1, pin: D19}
            chosen:
              console: /dev/ttyS0
            realtime:
              priorities: {PRIO_LOWEST: 10, PRIO_LOWER: 15, PRIO_LOW: 20, PRIO_NORMAL: 25,
                           PRIO_HIGH: 30, PRIO_HIGHER: 35, PRIO_HIGHEST: 40}
              cpus: [1]
            sources: ["the test's own invention"]
            """;

    @TempDir
    Path dir;

    private Path write(String id, String yaml) throws IOException {
        return Files.writeString(dir.resolve(id + ".yaml"), yaml);
    }

    /** {@code text} with {@code from} replaced; fails if {@code from} is absent so no test is a no-op. */
    private static String replace(String text, String from, String to) {
        assertTrue(text.contains(from), "test setup: '" + from + "' not in the profile");
        return text.replace(from, to);
    }

    @Test
    void sectionsAreReadInProfileOrder() throws IOException {
        BoardProfile p = PROFILES.loadFile(write("board", VALID));
        assertEquals(new I2cBusSpec("i2c-1", "/dev/i2c-1", List.of("D2", "D3"), Optional.of("dtparam=i2c_arm=on")),
                p.findI2cBus("i2c-1").orElseThrow());
        assertEquals(new SpiDeviceSpec("spi0.0", "/dev/spidev0.0", List.of("D8", "D9"), Optional.of("dtparam=spi=on")),
                p.findSpiDevice("spi0.0").orElseThrow());
        assertEquals(new PwmChannelSpec("PWM0", "fe20c000.pwm", 0, "D18", Optional.of("dtoverlay=pwm-2chan")),
                p.findPwmChannel("PWM0").orElseThrow());
        assertEquals(Optional.empty(), p.findPwmChannel("PWM1").orElseThrow().enable(), "enable is optional");
        assertEquals(List.of("PWM0", "PWM1"), List.copyOf(p.pwmChannels().keySet()));
        assertTrue(p.findI2cBus("i2c-0").isEmpty());
        assertTrue(p.findSpiDevice("i2c-1").isEmpty(), "each kind is looked up in its own section");
        assertTrue(p.findPwmChannel("D18").isEmpty(), "a PWM channel is found by its name, not its pin");
        assertThrows(UnsupportedOperationException.class, () -> p.pwmChannels().clear());
    }

    @Test
    void absentSectionsAreEmpty() throws IOException {
        String none = VALID.substring(0, VALID.indexOf("i2c:\n")) + VALID.substring(VALID.indexOf("chosen:\n"));
        BoardProfile p = PROFILES.loadFile(write("board", none));
        assertTrue(p.i2cBuses().isEmpty());
        assertTrue(p.spiDevices().isEmpty());
        assertTrue(p.pwmChannels().isEmpty());
    }

    @Test
    void aChildReplacesEntriesByNameAndInheritsTheRest() throws IOException {
        write("base", replace(VALID, "id: board\n", "id: base\n"));
        Path child = write("board", """
                version: 1
                id: board
                name: Carrier
                extends: base
                pins:
                  - {name: D10, line: 10, header: 10, caps: [gpio, spi]}
                spi:
                  spi0.1: {device: /dev/spidev0.1, pins: [D10, D9]}
                pwm:
                  PWM0: {chip: fe20c000.pwm, channel: 0, pin: D18, enable: "dtoverlay=pwm-2chan,pin=18,func=2"}
                """);
        BoardProfile p = PROFILES.loadFile(child);
        assertEquals("/dev/i2c-1", p.findI2cBus("i2c-1").orElseThrow().device(), "inherited");
        assertEquals(List.of("spi0.0", "spi0.1"), List.copyOf(p.spiDevices().keySet()), "parent's first, the child's added");
        assertEquals(Optional.of("dtoverlay=pwm-2chan,pin=18,func=2"), p.findPwmChannel("PWM0").orElseThrow().enable(),
                "replaced by the child");
        assertEquals(List.of("PWM0", "PWM1"), List.copyOf(p.pwmChannels().keySet()), "replaced in place");
    }

    @Test
    void anErrorAboutAnInheritedEntryNamesTheParentFile() throws IOException {
        Path base = write("base", replace(VALID, "id: board\n", "id: base\n"));
        // The child takes the i2c capability away from D3, which the parent's bus uses.
        Path child = write("board", """
                version: 1
                id: board
                name: Carrier
                extends: base
                pins:
                  - {name: D3, line: 3, header: 3, caps: [gpio]}
                """);
        ProfileException e = assertThrows(ProfileException.class, () -> PROFILES.loadFile(child));
        assertTrue(e.getMessage().startsWith(base + ": i2c.i2c-1.pins[1]: pin D3 has no capability i2c (its caps: gpio, at "
                + child + ": pins[0])"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            // what is broken         | replace this                        | with this                                 | field                   | problem
            "i2c not a mapping        | '  i2c-1: {device: /dev/i2c-1, pins: [D2, D3], enable: dtparam=i2c_arm=on}' | '  - i2c-1' | i2c | must be a mapping",
            "bad bus name             | '  i2c-1:'                           | '  i2c/1:'                                | i2c.i2c/1               | is not a bus or channel name",
            "device missing           | '{device: /dev/i2c-1, pins'          | '{pins'                                   | i2c.i2c-1.device        | missing (required)",
            "device empty             | 'device: /dev/i2c-1,'                | 'device: \"\",'                           | i2c.i2c-1.device        | must not be empty",
            "device relative          | 'device: /dev/i2c-1,'                | 'device: i2c-1,'                          | i2c.i2c-1.device        | is not a device path: give an absolute path such as /dev/i2c-1",
            "sim on a real board      | 'device: /dev/spidev0.0,'            | 'device: sim,'                            | spi.spi0.0.device       | 'sim' is the simulated board's placeholder",
            "pins missing             | ', pins: [D8, D9]'                   | ''                                        | spi.spi0.0.pins         | missing (required)",
            "pins empty               | 'pins: [D8, D9]'                     | 'pins: []'                                | spi.spi0.0.pins         | empty; list the pins the bus uses",
            "pin listed twice         | 'pins: [D8, D9]'                     | 'pins: [D8, D8]'                          | spi.spi0.0.pins[1]      | 'D8' is listed twice",
            "unknown bus pin          | 'pins: [D2, D3]'                     | 'pins: [D2, D4]'                          | i2c.i2c-1.pins[1]       | unknown pin 'D4' (pins: D1, D2, D3, D8, D9, D18, D19)",
            "i2c pin without i2c      | 'pins: [D2, D3]'                     | 'pins: [D2, D1]'                          | i2c.i2c-1.pins[1]       | pin D1 has no capability i2c (its caps: gpio",
            "spi pin without spi      | 'pins: [D8, D9]'                     | 'pins: [D8, D2]'                          | spi.spi0.0.pins[1]      | pin D2 has no capability spi (its caps: gpio, i2c",
            "unknown bus field        | 'enable: dtparam=spi=on}'            | 'speedHz: 1000000}'                       | spi.spi0.0.speedHz      | unknown field; allowed here: device, pins, enable",
            "empty enable             | 'enable: dtparam=spi=on}'            | 'enable: \"\"}'                           | spi.spi0.0.enable       | must not be empty",
            "chip missing             | '{chip: fe20c000.pwm, channel: 1,'   | '{channel: 1,'                            | pwm.PWM1.chip           | missing (required)",
            "chip is a path           | '{chip: fe20c000.pwm, channel: 1,'   | '{chip: /sys/class/pwm/pwmchip0, channel: 1,' | pwm.PWM1.chip       | is not a device name",
            "sim chip on a real board | '{chip: fe20c000.pwm, channel: 1,'   | '{chip: sim, channel: 1,'                 | pwm.PWM1.chip           | 'sim' is the simulated board's placeholder",
            "channel negative         | 'channel: 1,'                        | 'channel: -1,'                            | pwm.PWM1.channel        | out of range: -1 (must be 0 or more)",
            "channel not a number     | 'channel: 1,'                        | 'channel: one,'                           | pwm.PWM1.channel        | must be an integer 0 or more",
            "unknown PWM pin          | 'pin: D19}'                          | 'pin: D20}'                               | pwm.PWM1.pin            | unknown pin 'D20'",
            "PWM pin without pwm      | 'pin: D19}'                          | 'pin: D1}'                                | pwm.PWM1.pin            | pin D1 has no capability pwm",
            "same chip and channel    | 'channel: 1,'                        | 'channel: 0,'                             | pwm.PWM1.channel        | channel 0 of chip fe20c000.pwm is already PWM channel PWM0",
            "same pin                 | 'pin: D19}'                          | 'pin: D18}'                               | pwm.PWM1.pin            | pin D18 is already driven by PWM channel PWM0",
            "unknown PWM field        | 'pin: D19}'                          | 'pin: D19, polarity: inversed}'           | pwm.PWM1.polarity       | unknown field; allowed here: chip, channel, pin, enable",
            "bus name is a pin        | '  i2c-1:'                           | '  D1:'                                   | i2c.D1                  | 'D1' is a pin name; a bus or PWM channel needs a name of its own",
            "bus name is an alias     | '  PWM1:'                            | '  LED0:'                                 | pwm.LED0                | 'LED0' is an alias; a bus or PWM channel needs a name of its own",
            "name in two sections     | '  spi0.0:'                          | '  i2c-1:'                                | spi.i2c-1               | 'i2c-1' is already the name of i2c.i2c-1",
    })
    void brokenSectionIsRejectedNamingFileAndField(String broken, String from, String to, String field, String problem)
            throws IOException {
        Path file = write("board", replace(VALID, from, to));
        ProfileException e = assertThrows(ProfileException.class, () -> PROFILES.loadFile(file));
        assertTrue(e.getMessage().startsWith(file + ": " + field + ": "),
                "message names file and field '" + field + "': " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), "message says '" + problem + "': " + e.getMessage());
    }

    @Test
    void busNameThatIsAnLedNameIsRejected() throws IOException {
        Path file = write("board", replace(VALID, "aliases: {LED0: D1}", "leds:\n  ACT: {sysfs: [ACT]}\naliases: {LED0: ACT}")
                .replace("  PWM1:", "  ACT:"));
        ProfileException e = assertThrows(ProfileException.class, () -> PROFILES.loadFile(file));
        assertTrue(e.getMessage().startsWith(file + ": pwm.ACT: 'ACT' is an LED name"), e.getMessage());
    }

    @Test
    void theSimulatedBoardTakesSimAsDeviceAndChip() throws IOException {
        String sim = replace(VALID, "provider: gpiod", "provider: sim")
                .replace("device: /dev/i2c-1", "device: sim")
                .replace("chip: fe20c000.pwm, channel: 1", "chip: sim, channel: 1");
        BoardProfile p = PROFILES.loadFile(write("board", sim));
        assertEquals("sim", p.findI2cBus("i2c-1").orElseThrow().device());
        assertEquals("sim", p.findPwmChannel("PWM1").orElseThrow().chip());
    }

    // ---- the built-in profiles' data ------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "rpi-3b,      3f20c000.pwm,   0, 1",
            "rpi-3b-plus, 3f20c000.pwm,   0, 1",
            "rpi-zero-2w, 3f20c000.pwm,   0, 1",
            "rpi-4b,      fe20c000.pwm,   0, 1",
            "rpi-cm4,     fe20c000.pwm,   0, 1",
            "rpi-5,       1f00098000.pwm, 2, 3",
    })
    void realBoardsDescribeI2c1Spi0AndTheTwoPwmChannelsOfPwm2chan(String id, String chip, int channel0, int channel1) {
        BoardProfile p = PROFILES.get(id);
        assertEquals(new I2cBusSpec("i2c-1", "/dev/i2c-1", List.of("D2", "D3"), Optional.of("dtparam=i2c_arm=on")),
                p.findI2cBus("i2c-1").orElseThrow());
        assertEquals(new SpiDeviceSpec("spi0.0", "/dev/spidev0.0", List.of("D8", "D9", "D10", "D11"), Optional.of("dtparam=spi=on")),
                p.findSpiDevice("spi0.0").orElseThrow());
        assertEquals(new SpiDeviceSpec("spi0.1", "/dev/spidev0.1", List.of("D7", "D9", "D10", "D11"), Optional.of("dtparam=spi=on")),
                p.findSpiDevice("spi0.1").orElseThrow());
        assertEquals(new PwmChannelSpec("PWM0", chip, channel0, "D18", Optional.of("dtoverlay=pwm-2chan")),
                p.findPwmChannel("PWM0").orElseThrow());
        assertEquals(new PwmChannelSpec("PWM1", chip, channel1, "D19", Optional.of("dtoverlay=pwm-2chan")),
                p.findPwmChannel("PWM1").orElseThrow());
        assertTrue(p.sources().stream().anyMatch(s -> s.contains("pwm-2chan-overlay.dts")), id + " cites the overlay");
    }

    @Test
    void theVirtualBoardSimulatesTheSameNamesOnTheSamePins() {
        BoardProfile v = PROFILES.get("virtual");
        assertEquals(List.of(new I2cBusSpec("i2c-1", "sim", List.of("D2", "D3"), Optional.empty())),
                List.copyOf(v.i2cBuses().values()));
        assertEquals(List.of(new SpiDeviceSpec("spi0.0", "sim", List.of("D8", "D9", "D10", "D11"), Optional.empty())),
                List.copyOf(v.spiDevices().values()));
        assertEquals(List.of(new PwmChannelSpec("PWM0", "sim", 0, "D18", Optional.empty()),
                        new PwmChannelSpec("PWM1", "sim", 1, "D19", Optional.empty())),
                List.copyOf(v.pwmChannels().values()));
        BoardProfile pi = PROFILES.get("rpi-4b");
        for (String pin : List.of("D2", "D3", "D7", "D8", "D9", "D10", "D11", "D19")) {
            assertEquals(pi.pin(pin).header(), v.pin(pin).header(), pin + " on the Pi's header pin");
            assertEquals(pi.pin(pin).capabilities(), v.pin(pin).capabilities(), pin + "'s caps as on the Pi");
        }
    }
}
