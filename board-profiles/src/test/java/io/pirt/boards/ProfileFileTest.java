package io.pirt.boards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** User profile files: a valid one, and broken ones whose errors name the file and the field. */
class ProfileFileTest {
    private static final BoardProfiles PROFILES = BoardProfiles.builtIn();

    /** A complete, valid profile of a small board; tests break it one place at a time. */
    private static final String VALID = """
            version: 1
            id: board
            name: Test board
            soc: TEST1
            cpuCores: 2
            gpio: {chipLabel: test-chip, provider: gpiod}
            pins:
              - {name: D1, line: 1, header: 1, caps: [gpio]}
              - {name: D2, line: 2, header: 2, caps: [gpio, pwm]}
            aliases: {LED0: D1}
            serial:
              SERIAL0: {device: /dev/ttyS0, description: test UART}
            chosen:
              console: /dev/ttyS0
              statusLed: {alias: LED0, note: test LED}
            realtime:
              priorities: {PRIO_LOWEST: 10, PRIO_LOWER: 15, PRIO_LOW: 20, PRIO_NORMAL: 25,
                           PRIO_HIGH: 30, PRIO_HIGHER: 35, PRIO_HIGHEST: 40}
              cpus: [1]
            sources: ["the test's own invention"]
            """;

    /** VALID with an LED-class LED ACT, on line D2, as LED0 and the status LED. */
    private static final String WITH_LED = replace(VALID, "aliases: {LED0: D1}", """
            leds:
              ACT: {sysfs: [ACT, led0], pin: D2}
            aliases: {LED0: ACT, USER: D1}""");

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

    /** Loads {@code yaml} as board.yaml, expects an error, and checks it names the file and the field. */
    private ProfileException rejects(String yaml, String field, String problem) throws IOException {
        Path file = write("board", yaml);
        ProfileException e = assertThrows(ProfileException.class, () -> PROFILES.loadFile(file));
        assertTrue(e.getMessage().startsWith(file + ": " + field + ": "),
                "message names file and field '" + field + "': " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), "message says '" + problem + "': " + e.getMessage());
        return e;
    }

    @Test
    void validFileLoads() throws IOException {
        BoardProfile p = PROFILES.loadFile(write("board", VALID));
        assertEquals("board", p.id());
        assertEquals(2, p.pins().size());
        assertEquals(OptionalInt.of(2), p.pin("D2").header());
        assertEquals("D1", p.statusLed().orElseThrow().name());
        assertEquals(List.of(1), p.realtime().cpus());
        assertEquals(dir.resolve("board.yaml").toString(), p.origin());
    }

    @Test
    void dmaLatencyDefaultsToZeroAndTakesMicrosecondsOrOff() throws IOException {
        assertEquals(0, PROFILES.loadFile(write("board", VALID)).realtime().dmaLatencyUs());
        assertEquals(50, PROFILES.loadFile(write("board", replace(VALID, "cpus: [1]", "cpus: [1]\n  dmaLatency: 50"))).realtime().dmaLatencyUs());
        assertEquals(RealtimeTable.DMA_LATENCY_OFF,
                PROFILES.loadFile(write("board", replace(VALID, "cpus: [1]", "cpus: [1]\n  dmaLatency: off"))).realtime().dmaLatencyUs());
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            // what is broken      | replace this                  | with this                          | field                       | problem
            "missing field         | 'name: Test board\\n'          | ''                                 | name                        | missing (required)",
            "wrong type            | 'line: 1,'                    | 'line: \"1\",'                     | pins[0].line                | must be an integer 0..1023, got \"1\" (a string)",
            "line out of range     | 'line: 2,'                    | 'line: 2000,'                      | pins[1].line                | out of range: 2000",
            "header out of range   | 'header: 1,'                  | 'header: 0,'                       | pins[0].header              | out of range: 0",
            "unknown capability    | 'caps: [gpio, pwm]'           | 'caps: [gpio, adc]'                | pins[1].caps[1]             | unknown capability 'adc'",
            "duplicate pin name    | '{name: D2,'                  | '{name: D1,'                       | pins[1].name                | already defined at pins[0]",
            "duplicate line        | 'line: 2,'                    | 'line: 1,'                         | pins[1].line                | line 1 is already pin D1",
            "duplicate header      | 'header: 2,'                  | 'header: 1,'                       | pins[1].header              | header pin 1 is already pin D1",
            "alias to unknown pin  | 'LED0: D1'                    | 'LED0: D9'                         | aliases.LED0                | points to unknown pin 'D9'",
            "alias is a pin name   | 'LED0: D1'                    | 'D2: D1'                           | aliases.D2                  | is a pin name",
            "unknown extends       | 'name: Test board\\n'          | 'name: Test board\\nextends: nope\\n' | extends                     | unknown profile 'nope'",
            "unsupported version   | 'version: 1'                  | 'version: 2'                       | version                     | unsupported format version 2",
            "unknown field (typo)  | 'chipLabel: test-chip'        | 'chiplabel: test-chip'             | gpio.chiplabel              | did you mean 'chipLabel'?",
            "unknown top field     | 'soc: TEST1'                  | 'soc: TEST1\\ncolour: red'          | colour                      | unknown field",
            "unknown provider      | 'provider: gpiod'             | 'provider: wiringpi'               | gpio.provider               | unknown provider 'wiringpi'",
            "id is not file name   | 'id: board'                   | 'id: other'                        | id                          | does not match the file name 'board.yaml'",
            "priorities decrease   | 'PRIO_LOW: 20'                | 'PRIO_LOW: 12'                     | realtime.priorities.PRIO_LOW | must be greater than PRIO_LOWER (15)",
            "priority too high     | 'PRIO_HIGHEST: 40'            | 'PRIO_HIGHEST: 60'                 | realtime.priorities.PRIO_HIGHEST | out of range: 60 (must be 1..49)",
            "priority level absent | 'PRIO_HIGHER: 35, '          | ''                                 | realtime.priorities         | missing PRIO_HIGHER",
            "cpu beyond cpuCores   | 'cpus: [1]'                   | 'cpus: [2]'                        | realtime.cpus[0]            | CPU 2 does not exist on a board with 2 cores",
            "dma latency negative  | 'cpus: [1]'                   | 'cpus: [1]\n  dmaLatency: -5'     | realtime.dmaLatency         | out of range: -5",
            "dma latency a word    | 'cpus: [1]'                   | 'cpus: [1]\n  dmaLatency: low'    | realtime.dmaLatency         | must be microseconds (0..1000000) or off",
            "unknown collector     | 'soc: TEST1'                  | 'soc: TEST1\njvm: {collector: shenandoah}' | jvm.collector        | unknown collector 'shenandoah'; known: zgc, g1, serial",
            "heap too small        | 'soc: TEST1'                  | 'soc: TEST1\njvm: {heapMb: 8}'     | jvm.heapMb                  | out of range: 8 (must be 16..65536)",
            "jvm field typo        | 'soc: TEST1'                  | 'soc: TEST1\njvm: {heap: 128}'     | jvm.heap                    | unknown field",
            "pty on a real board   | 'device: /dev/ttyS0'          | 'device: pty:SERIAL0'              | serial.SERIAL0.device       | only the simulated board",
            "relative device path  | 'console: /dev/ttyS0'         | 'console: ttyS0'                   | chosen.console              | is not a device path",
            "bad serial name       | 'SERIAL0:'                    | 'UART0:'                           | serial.UART0                | use SERIAL0, SERIAL1",
            "LED alias unknown     | 'alias: LED0'                 | 'alias: LED7'                      | chosen.statusLed.alias      | neither an alias nor a pin nor an LED",
            "no LED and no reason  | '{alias: LED0, note: test LED}' | '{alias: null}'                  | chosen.statusLed.note       | say why",
            "no sources            | 'sources: [\"the test''s own invention\"]' | 'sources: []'          | sources                     | missing (required",
            "pins not a list       | 'pins:\\n  - {name: D1, line: 1, header: 1, caps: [gpio]}\\n  - {name: D2, line: 2, header: 2, caps: [gpio, pwm]}\\n' | 'pins: D1\\n' | pins | must be a list, got \"D1\" (a string)",
    })
    void brokenProfileIsRejectedNamingFileAndField(String broken, String from, String to, String field, String problem)
            throws IOException {
        rejects(replace(VALID, unescape(from), unescape(to)), field, problem);
    }

    @Test
    void ledClassLedLoadsAsLed0AndTheStatusLed() throws IOException {
        BoardProfile p = PROFILES.loadFile(write("board", WITH_LED));
        LedClassDevice act = p.findLed("LED0").orElseThrow();
        assertEquals(new LedClassDevice("ACT", List.of("ACT", "led0"), Optional.of("D2")), act);
        assertEquals(act, p.findLed("ACT").orElseThrow());
        assertEquals(act, p.statusLedDevice().orElseThrow());
        assertTrue(p.statusLed().isEmpty());
        assertTrue(p.findPin("LED0").isEmpty());
        assertEquals("D1", p.pin("USER").name(), "aliases still name pins");
        assertEquals(List.of("ACT"), List.copyOf(p.leds().keySet()));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            // what is broken      | replace this                  | with this                          | field               | problem
            "leds not a mapping    | '  ACT: {sysfs: [ACT, led0], pin: D2}' | '  - ACT'                 | leds                | must be a mapping",
            "LED name lower case   | 'ACT: {sysfs'                 | 'act: {sysfs'                      | leds.act            | is not an LED name",
            "sysfs missing         | '{sysfs: [ACT, led0], pin: D2}' | '{pin: D2}'                      | leds.ACT.sysfs      | missing (required)",
            "sysfs empty           | '[ACT, led0]'                 | '[]'                               | leds.ACT.sysfs      | empty; list the LED",
            "sysfs not a list      | '[ACT, led0]'                 | 'ACT'                              | leds.ACT.sysfs      | must be a list",
            "sysfs name with /     | '[ACT, led0]'                 | '[ACT, ../led0]'                   | leds.ACT.sysfs[1]   | is not a directory name under /sys/class/leds",
            "sysfs name is ..      | '[ACT, led0]'                 | '[\"..\"]'                       | leds.ACT.sysfs[0]   | is not a directory name under /sys/class/leds",
            "sysfs name twice      | '[ACT, led0]'                 | '[ACT, ACT]'                       | leds.ACT.sysfs[1]   | is listed twice",
            "unknown LED field     | 'pin: D2}'                    | 'pin: D2, trigger: none}'          | leds.ACT.trigger    | unknown field; allowed here: sysfs, pin",
            "LED pin unknown       | 'pin: D2}'                    | 'pin: D9}'                         | leds.ACT.pin        | unknown pin 'D9'",
            "LED name is a pin     | '  ACT: {sysfs'               | '  D1: {sysfs'                     | leds.D1             | is a pin name; an LED needs a name of its own",
            "alias is an LED name  | 'USER: D1'                    | 'ACT: D1'                          | aliases.ACT         | is an LED name; an alias needs a name of its own",
            "alias to unknown LED  | 'LED0: ACT'                   | 'LED0: PWR'                        | aliases.LED0        | points to unknown pin 'PWR' (pins: D1, D2; LEDs: ACT)",
            "LED on a sim board    | 'provider: gpiod'             | 'provider: sim'                    | leds.ACT            | the simulated board (gpio.provider: sim) has no kernel LEDs",
    })
    void brokenLedIsRejectedNamingFileAndField(String broken, String from, String to, String field, String problem)
            throws IOException {
        rejects(replace(WITH_LED, unescape(from), unescape(to)), field, problem);
    }

    /** CSV cells write a newline as \n. */
    private static String unescape(String cell) {
        return cell.replace("\\n", "\n");
    }

    @Test
    void jvmDefaultsWhenTheProfileIsSilentAndAChildOverridesItsParent() throws IOException {
        BoardProfile silent = PROFILES.loadFile(write("board", VALID));
        assertEquals(new AppJvmSettings("zgc", 256), silent.appJvm());
        write("base", replace(VALID, "id: board\n", "id: base\n").replace("soc: TEST1", "soc: TEST1\njvm: {collector: g1, heapMb: 512}"));
        Path child = write("board", """
                version: 1
                id: board
                name: Small carrier
                extends: base
                jvm: {heapMb: 96}
                """);
        BoardProfile p = PROFILES.loadFile(child);
        assertEquals(new AppJvmSettings("g1", 96), p.appJvm(), "collector from the parent, heap from the child");
    }

    @Test
    void duplicateYamlKeyIsRejected() throws IOException {
        Path file = write("board", replace(VALID, "soc: TEST1", "soc: TEST1\nsoc: TEST2"));
        ProfileException e = assertThrows(ProfileException.class, () -> PROFILES.loadFile(file));
        assertTrue(e.getMessage().startsWith(file + ": not valid YAML (line "), e.getMessage());
        assertTrue(e.getMessage().contains("soc"), e.getMessage());
    }

    @Test
    void fileThatIsNotYamlIsRejectedWithItsLocation() throws IOException {
        Path file = write("board", "version: 1\npins: [unclosed\n");
        ProfileException e = assertThrows(ProfileException.class, () -> PROFILES.loadFile(file));
        assertTrue(e.getMessage().startsWith(file + ": not valid YAML"), e.getMessage());
    }

    @Test
    void builtInIdCannotBeReused() throws IOException {
        Path file = write("rpi-4b", replace(VALID, "id: board", "id: rpi-4b"));
        ProfileException e = assertThrows(ProfileException.class, () -> PROFILES.loadFile(file));
        assertTrue(e.getMessage().startsWith(file + ": id: 'rpi-4b' is the id of a built-in profile"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("absent.yaml");
        ProfileException e = assertThrows(ProfileException.class, () -> PROFILES.loadFile(file));
        assertEquals(file + ": no such file", e.getMessage());
    }

    @Test
    void carrierBoardExtendsComputeModule4AndOverridesWhatItChanges() throws IOException {
        Path file = write("my-carrier", """
                version: 1
                id: my-carrier
                name: ACME CM4 controller
                extends: rpi-cm4
                pins:
                  - {name: D22, line: 22, header: 15, caps: [gpio], activeLow: true}
                aliases: {LED0: D22, BTN0: D27}
                chosen:
                  statusLed: {alias: LED0, note: red LED on the carrier}
                sources: ["ACME schematic, sheet 4"]
                """);
        BoardProfile p = PROFILES.loadFile(file);
        BoardProfile cm4 = PROFILES.get("rpi-cm4");
        assertEquals("pinctrl-bcm2711", p.gpioChipLabel(), "inherited through rpi-cm4 from rpi-4b");
        assertEquals(cm4.pins().size(), p.pins().size(), "D22 replaced, not added");
        assertTrue(p.pin("LED0").activeLow());
        assertEquals(22, p.statusLed().orElseThrow().line());
        assertTrue(p.statusLedDevice().isEmpty(), "LED0 is the carrier's pin now");
        assertEquals("ACT", p.findLed("ACT").orElseThrow().name(), "the module's ACT LED is inherited");
        assertEquals("D27", p.pin("BTN0").name());
        assertEquals("/dev/ttyGS0", p.consoleDevice(), "inherited");
        assertEquals(cm4.sources().size() + 1, p.sources().size(), "sources appended");
        assertTrue(p.matchPrefixes().isEmpty(), "match is never inherited");
    }

    @Test
    void extendsCycleIsRejectedNamingTheChain() throws IOException {
        write("base-a", replace(VALID, "id: board\n", "id: base-a\nextends: base-b\n"));
        write("base-b", replace(VALID, "id: board\n", "id: base-b\nextends: base-a\n"));
        Path file = write("board", replace(VALID, "name: Test board\n", "name: Test board\nextends: base-a\n"));
        ProfileException e = assertThrows(ProfileException.class, () -> PROFILES.loadFile(file));
        assertTrue(e.getMessage().endsWith("cycle: board -> base-a -> base-b -> base-a"), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve("base-b.yaml") + ": extends: "), e.getMessage());
    }

    @Test
    void errorInAParentFileNamesTheParentFile() throws IOException {
        Path base = write("base", replace(VALID, "id: board\n", "id: base\n").replace("LED0: D1", "LED0: D5"));
        Path file = write("board", """
                version: 1
                id: board
                name: Child board
                extends: base
                """);
        ProfileException e = assertThrows(ProfileException.class, () -> PROFILES.loadFile(file));
        assertTrue(e.getMessage().startsWith(base + ": aliases.LED0: points to unknown pin 'D5'"), e.getMessage());
    }

    @Test
    void fieldMissingAlongTheWholeChainNamesTheChain() throws IOException {
        write("base", replace(VALID, "id: board\n", "id: base\n").replace("  console: /dev/ttyS0\n", ""));
        Path file = write("board", """
                version: 1
                id: board
                name: Child board
                extends: base
                """);
        ProfileException e = assertThrows(ProfileException.class, () -> PROFILES.loadFile(file));
        assertEquals(file + ": chosen.console: missing (required; not set here nor in base)", e.getMessage());
    }
}
