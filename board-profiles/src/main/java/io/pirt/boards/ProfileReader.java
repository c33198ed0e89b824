package io.pirt.boards;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one profile file (or the index) into a {@link ProfileDocument}, checking what can
 * be checked in one file alone: the format version, that every field is known and has the
 * right type and range, names and patterns, and that no pin name repeats. Checks that need
 * the resolved profile (aliases point to pins, lines unique, ...) are in
 * {@link ProfileResolver}.
 *
 * <p>Implementation notes: YAML is parsed by Jackson into a tree with duplicate-key
 * detection on, then walked by hand. Every error is thrown at once as a
 * {@link ProfileException} of the form {@code FILE: FIELD.PATH: problem}; the first
 * problem found is reported, which keeps messages short and exact.
 */
final class ProfileReader {
    /** The only format version this code reads. */
    static final int FORMAT_VERSION = 1;

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
    static final Pattern PIN_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    static final Pattern SERIAL_NAME = Pattern.compile("SERIAL[0-9]+");
    /**
     * A directory name under /sys/class/leds ("ACT", "led0", "mmc0::") or a device name in sysfs
     * ("fe20c000.pwm"): no '/', not "." or "..".
     */
    static final Pattern SYSFS_NAME = Pattern.compile("[A-Za-z0-9_:+-][A-Za-z0-9_:.+-]*");
    /** The name of an I2C bus, SPI device or PWM channel: "i2c-1", "spi0.0", "PWM0". */
    static final Pattern BUS_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    /** The device (or PWM chip) of a bus on the simulated board, which has no device node. */
    static final String SIM_DEVICE = "sim";
    static final Set<String> PROVIDERS = Set.of("gpiod", "sim");
    static final int MAX_LINE = 1023;
    static final int MAX_CPU_CORES = 64;

    private static final List<String> TOP_FIELDS = List.of("version", "id", "name", "extends", "match",
            "soc", "cpuCores", "gpio", "pins", "leds", "aliases", "serial", "i2c", "spi", "pwm", "chosen", "realtime", "jvm", "sources");
    private static final List<String> GPIO_FIELDS = List.of("chipLabel", "provider");
    private static final List<String> PIN_FIELDS = List.of("name", "line", "header", "caps", "activeLow", "kernelDriver");
    private static final List<String> LED_FIELDS = List.of("sysfs", "pin");
    private static final List<String> SERIAL_FIELDS = List.of("device", "description", "enable");
    private static final List<String> BUS_FIELDS = List.of("device", "pins", "enable");
    private static final List<String> PWM_FIELDS = List.of("chip", "channel", "pin", "enable");
    private static final List<String> CHOSEN_FIELDS = List.of("console", "statusLed");
    private static final List<String> STATUS_LED_FIELDS = List.of("alias", "note");
    private static final List<String> REALTIME_FIELDS = List.of("priorities", "cpus", "dmaLatency");
    private static final List<String> JVM_FIELDS = List.of("collector", "heapMb");
    private static final List<String> INDEX_FIELDS = List.of("version", "profiles");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The file label every message of this reader starts with. */
    private final String file;

    private ProfileReader(String file) {
        this.file = file;
    }

    /**
     * Parses YAML into a tree.
     *
     * @throws ProfileException naming {@code file} if it is not YAML, is empty or cannot be read
     */
    static JsonNode parse(String file, InputStream in) {
        try (in) {
            JsonNode root = YAML.readTree(in);
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw new ProfileException(file + ": the file is empty; a profile starts with 'version: "
                        + FORMAT_VERSION + "'");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            String at = where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
            throw new ProfileException(file + ": not valid YAML" + at + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ProfileException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads the index of built-in profiles: the ids, in listing order, unique. */
    static List<String> readIndex(String file, JsonNode root) {
        ProfileReader r = new ProfileReader(file);
        r.object(root, "");
        r.onlyFields(root, "", INDEX_FIELDS);
        r.version(root);
        JsonNode list = r.required(root, "", "profiles");
        r.list(list, "profiles");
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "profiles[" + i + "]";
            String id = r.matching(list.get(i), at, ID, "a profile id (lower case letters, digits and '-')");
            if (!ids.add(id)) {
                throw r.problem(at, "'" + id + "' is listed twice");
            }
        }
        return List.copyOf(ids);
    }

    /**
     * Reads one profile file.
     *
     * @param file       label for messages
     * @param path       the file on disk, or null for a class-path profile
     * @param expectedId the id the file name implies; the file's {@code id} must equal it
     */
    static ProfileDocument read(String file, Path path, String expectedId, JsonNode root) {
        return new ProfileReader(file).document(path, expectedId, root);
    }

    private ProfileDocument document(Path path, String expectedId, JsonNode root) {
        object(root, "");
        // Version first: a newer format may have fields this code does not know.
        version(root);
        onlyFields(root, "", TOP_FIELDS);

        String id = matching(required(root, "", "id"), "id", ID, "a profile id (lower case letters, digits and '-')");
        if (!id.equals(expectedId)) {
            throw problem("id", "'" + id + "' does not match the file name '" + expectedId
                    + ".yaml': a profile's id is its file name without .yaml");
        }
        String name = text(required(root, "", "name"), "name");
        String extendsId = root.has("extends")
                ? matching(root.get("extends"), "extends", ID, "a profile id")
                : null;
        List<String> match = root.has("match") ? textList(root.get("match"), "match") : List.of();

        Located<String> soc = optionalText(root, "", "soc");
        Located<Integer> cpuCores = root.has("cpuCores")
                ? located(integer(root.get("cpuCores"), "cpuCores", 1, MAX_CPU_CORES), "cpuCores")
                : null;

        Located<String> chipLabel = null;
        Located<String> provider = null;
        if (root.has("gpio")) {
            JsonNode gpio = root.get("gpio");
            object(gpio, "gpio");
            onlyFields(gpio, "gpio", GPIO_FIELDS);
            chipLabel = optionalText(gpio, "gpio", "chipLabel");
            provider = optionalText(gpio, "gpio", "provider");
            if (provider != null && !PROVIDERS.contains(provider.value())) {
                throw problem("gpio.provider", "unknown provider '" + provider.value()
                        + "'; known: gpiod (a real board, through the GPIO character device), sim (the simulated board)");
            }
        }

        List<Located<Pin>> pins = root.has("pins") ? pins(root.get("pins")) : List.of();
        Map<String, Located<LedClassDevice>> leds = root.has("leds") ? leds(root.get("leds")) : Map.of();
        Map<String, Located<String>> aliases = root.has("aliases") ? aliases(root.get("aliases")) : Map.of();
        Map<String, Located<SerialPortSpec>> serial = root.has("serial") ? serial(root.get("serial")) : Map.of();
        Map<String, Located<I2cBusSpec>> i2c = root.has("i2c")
                ? buses(root.get("i2c"), "i2c", I2cBusSpec::new)
                : Map.of();
        Map<String, Located<SpiDeviceSpec>> spi = root.has("spi")
                ? buses(root.get("spi"), "spi", SpiDeviceSpec::new)
                : Map.of();
        Map<String, Located<PwmChannelSpec>> pwm = root.has("pwm") ? pwm(root.get("pwm")) : Map.of();

        Located<String> console = null;
        Located<ProfileDocument.StatusLedSpec> statusLed = null;
        if (root.has("chosen")) {
            JsonNode chosen = root.get("chosen");
            object(chosen, "chosen");
            onlyFields(chosen, "chosen", CHOSEN_FIELDS);
            if (chosen.has("console")) {
                console = located(device(chosen.get("console"), "chosen.console"), "chosen.console");
            }
            if (chosen.has("statusLed")) {
                statusLed = located(statusLed(chosen.get("statusLed")), "chosen.statusLed");
            }
        }

        Map<String, Located<Integer>> priorities = Map.of();
        Located<List<Integer>> cpus = null;
        Located<Integer> dmaLatency = null;
        if (root.has("realtime")) {
            JsonNode realtime = root.get("realtime");
            object(realtime, "realtime");
            onlyFields(realtime, "realtime", REALTIME_FIELDS);
            if (realtime.has("priorities")) {
                priorities = priorities(realtime.get("priorities"));
            }
            if (realtime.has("cpus")) {
                cpus = located(cpus(realtime.get("cpus")), "realtime.cpus");
            }
            if (realtime.has("dmaLatency")) {
                dmaLatency = located(dmaLatency(realtime.get("dmaLatency")), "realtime.dmaLatency");
            }
        }

        Located<String> collector = null;
        Located<Integer> heapMb = null;
        if (root.has("jvm")) {
            JsonNode jvm = root.get("jvm");
            object(jvm, "jvm");
            onlyFields(jvm, "jvm", JVM_FIELDS);
            if (jvm.has("collector")) {
                String c = text(jvm.get("collector"), "jvm.collector");
                if (!AppJvmSettings.COLLECTORS.contains(c)) {
                    throw problem("jvm.collector", "unknown collector '" + c + "'; known: " + String.join(", ", AppJvmSettings.COLLECTORS));
                }
                collector = located(c, "jvm.collector");
            }
            if (jvm.has("heapMb")) {
                heapMb = located(integer(jvm.get("heapMb"), "jvm.heapMb", AppJvmSettings.MIN_HEAP_MB, AppJvmSettings.MAX_HEAP_MB), "jvm.heapMb");
            }
        }

        List<String> sources = root.has("sources") ? textList(root.get("sources"), "sources") : List.of();

        return new ProfileDocument(file, path, id, name, extendsId, match, soc, cpuCores, chipLabel, provider,
                pins, leds, aliases, serial, i2c, spi, pwm, console, statusLed, priorities, cpus, dmaLatency, collector, heapMb, sources);
    }

    private void version(JsonNode root) {
        if (!root.has("version")) {
            throw problem("version", "missing (required; this pirt reads format version " + FORMAT_VERSION + ")");
        }
        int version = integer(root.get("version"), "version", Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (version != FORMAT_VERSION) {
            throw problem("version", "unsupported format version " + version + "; this pirt reads version "
                    + FORMAT_VERSION + " (docs/board-profiles.md)");
        }
    }

    private List<Located<Pin>> pins(JsonNode node) {
        list(node, "pins");
        List<Located<Pin>> pins = new ArrayList<>();
        Map<String, String> pathByName = new LinkedHashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "pins[" + i + "]";
            JsonNode p = node.get(i);
            object(p, at);
            onlyFields(p, at, PIN_FIELDS);
            String name = matching(required(p, at, "name"), at + ".name", PIN_NAME,
                    "a pin name (upper case letters, digits and '_', starting with a letter)");
            String earlier = pathByName.putIfAbsent(name, at);
            if (earlier != null) {
                throw problem(at + ".name", "pin '" + name + "' is already defined at " + earlier);
            }
            int line = integer(required(p, at, "line"), at + ".line", 0, MAX_LINE);
            JsonNode headerNode = required(p, at, "header");
            OptionalInt header = headerNode.isNull()
                    ? OptionalInt.empty()
                    : OptionalInt.of(integer(headerNode, at + ".header", 1, Integer.MAX_VALUE));
            Set<Capability> caps = capabilities(required(p, at, "caps"), at + ".caps");
            boolean activeLow = p.has("activeLow") && bool(p.get("activeLow"), at + ".activeLow");
            Optional<String> kernelDriver = p.has("kernelDriver")
                    ? Optional.of(text(p.get("kernelDriver"), at + ".kernelDriver"))
                    : Optional.empty();
            pins.add(new Located<>(new Pin(name, line, header, caps, activeLow, kernelDriver), file, at));
        }
        return List.copyOf(pins);
    }

    private Set<Capability> capabilities(JsonNode node, String at) {
        list(node, at);
        if (node.isEmpty()) {
            throw problem(at, "empty; list what the pin can do: gpio, pwm, uart, i2c, spi");
        }
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        for (int i = 0; i < node.size(); i++) {
            String capAt = at + "[" + i + "]";
            String name = text(node.get(i), capAt);
            Capability cap = Capability.fromFileName(name).orElseThrow(() -> problem(capAt,
                    "unknown capability '" + name + "'; known: gpio, pwm, uart, i2c, spi"));
            if (!caps.add(cap)) {
                throw problem(capAt, "'" + name + "' is listed twice");
            }
        }
        return caps;
    }

    private Map<String, Located<LedClassDevice>> leds(JsonNode node) {
        object(node, "leds");
        Map<String, Located<LedClassDevice>> leds = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String at = "leds." + e.getKey();
            if (!PIN_NAME.matcher(e.getKey()).matches()) {
                throw problem(at, "'" + e.getKey() + "' is not an LED name (upper case letters, digits and '_', "
                        + "starting with a letter, e.g. ACT)");
            }
            JsonNode led = e.getValue();
            object(led, at);
            onlyFields(led, at, LED_FIELDS);
            JsonNode sysfs = required(led, at, "sysfs");
            list(sysfs, at + ".sysfs");
            if (sysfs.isEmpty()) {
                throw problem(at + ".sysfs", "empty; list the LED's names under /sys/class/leds, e.g. [ACT, led0]");
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < sysfs.size(); i++) {
                String nameAt = at + ".sysfs[" + i + "]";
                String name = matching(sysfs.get(i), nameAt, SYSFS_NAME,
                        "a directory name under /sys/class/leds (no '/', not '.' or '..')");
                if (names.contains(name)) {
                    throw problem(nameAt, "'" + name + "' is listed twice");
                }
                names.add(name);
            }
            Optional<String> pin = led.has("pin")
                    ? Optional.of(matching(led.get("pin"), at + ".pin", PIN_NAME, "the name of a pin"))
                    : Optional.empty();
            leds.put(e.getKey(), new Located<>(new LedClassDevice(e.getKey(), names, pin), file, at));
        }
        return leds;
    }

    private Map<String, Located<String>> aliases(JsonNode node) {
        object(node, "aliases");
        Map<String, Located<String>> aliases = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String at = "aliases." + e.getKey();
            if (!PIN_NAME.matcher(e.getKey()).matches()) {
                throw problem(at, "'" + e.getKey() + "' is not an alias name (upper case letters, digits and '_', "
                        + "starting with a letter, e.g. LED0)");
            }
            String target = matching(e.getValue(), at, PIN_NAME, "the name of a pin or LED");
            aliases.put(e.getKey(), new Located<>(target, file, at));
        }
        return aliases;
    }

    private Map<String, Located<SerialPortSpec>> serial(JsonNode node) {
        object(node, "serial");
        Map<String, Located<SerialPortSpec>> ports = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String at = "serial." + e.getKey();
            if (!SERIAL_NAME.matcher(e.getKey()).matches()) {
                throw problem(at, "'" + e.getKey() + "' is not a serial port name: use SERIAL0, SERIAL1, ...");
            }
            JsonNode port = e.getValue();
            object(port, at);
            onlyFields(port, at, SERIAL_FIELDS);
            String device = device(required(port, at, "device"), at + ".device");
            String description = text(required(port, at, "description"), at + ".description");
            String enable = port.has("enable") ? text(port.get("enable"), at + ".enable") : "";
            ports.put(e.getKey(), new Located<>(new SerialPortSpec(e.getKey(), device, description, enable), file, at + ".device"));
        }
        return ports;
    }

    /** Builds the spec of one {@code i2c} or {@code spi} entry from its checked fields. */
    private interface BusFactory<T> {
        T create(String name, String device, List<String> pins, Optional<String> enable);
    }

    /** The {@code i2c} or {@code spi} section: entries with a device, pins and an optional enable line. */
    private <T> Map<String, Located<T>> buses(JsonNode node, String section, BusFactory<T> factory) {
        object(node, section);
        Map<String, Located<T>> buses = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String at = section + "." + e.getKey();
            busName(e.getKey(), at, section.equals("i2c") ? "i2c-1" : "spi0.0");
            JsonNode bus = e.getValue();
            object(bus, at);
            onlyFields(bus, at, BUS_FIELDS);
            String device = busDevice(required(bus, at, "device"), at + ".device",
                    section.equals("i2c") ? "/dev/i2c-1" : "/dev/spidev0.0");
            JsonNode pinsNode = required(bus, at, "pins");
            list(pinsNode, at + ".pins");
            if (pinsNode.isEmpty()) {
                throw problem(at + ".pins", "empty; list the pins the bus uses, e.g. "
                        + (section.equals("i2c") ? "[D2, D3]" : "[D8, D9, D10, D11]"));
            }
            List<String> pins = new ArrayList<>();
            for (int i = 0; i < pinsNode.size(); i++) {
                String pinAt = at + ".pins[" + i + "]";
                String pin = matching(pinsNode.get(i), pinAt, PIN_NAME, "the name of a pin");
                if (pins.contains(pin)) {
                    throw problem(pinAt, "'" + pin + "' is listed twice");
                }
                pins.add(pin);
            }
            Optional<String> enable = bus.has("enable")
                    ? Optional.of(text(bus.get("enable"), at + ".enable"))
                    : Optional.empty();
            buses.put(e.getKey(), located(factory.create(e.getKey(), device, pins, enable), at));
        }
        return buses;
    }

    private Map<String, Located<PwmChannelSpec>> pwm(JsonNode node) {
        object(node, "pwm");
        Map<String, Located<PwmChannelSpec>> channels = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String at = "pwm." + e.getKey();
            busName(e.getKey(), at, "PWM0");
            JsonNode pwm = e.getValue();
            object(pwm, at);
            onlyFields(pwm, at, PWM_FIELDS);
            String chip = matching(required(pwm, at, "chip"), at + ".chip", SYSFS_NAME,
                    "a device name (the last element of the link /sys/class/pwm/pwmchipN/device, e.g. fe20c000.pwm),"
                            + " or sim on the simulated board");
            int channel = integer(required(pwm, at, "channel"), at + ".channel", 0, Integer.MAX_VALUE);
            String pin = matching(required(pwm, at, "pin"), at + ".pin", PIN_NAME, "the name of a pin");
            Optional<String> enable = pwm.has("enable")
                    ? Optional.of(text(pwm.get("enable"), at + ".enable"))
                    : Optional.empty();
            channels.put(e.getKey(), located(new PwmChannelSpec(e.getKey(), chip, channel, pin, enable), at));
        }
        return channels;
    }

    private void busName(String name, String at, String example) {
        if (!BUS_NAME.matcher(name).matches()) {
            throw problem(at, "'" + name + "' is not a bus or channel name (letters, digits, '_', '.' and '-', "
                    + "starting with a letter or digit, e.g. " + example + ")");
        }
    }

    /** A bus's device: an absolute path, or {@value #SIM_DEVICE} (only the simulated board; checked on the resolved profile). */
    private String busDevice(JsonNode node, String at, String example) {
        String device = text(node, at);
        if (!device.startsWith("/") && !device.equals(SIM_DEVICE)) {
            throw problem(at, "'" + device + "' is not a device path: give an absolute path such as " + example
                    + ", or sim on the simulated board");
        }
        return device;
    }

    private ProfileDocument.StatusLedSpec statusLed(JsonNode node) {
        String at = "chosen.statusLed";
        object(node, at);
        onlyFields(node, at, STATUS_LED_FIELDS);
        JsonNode alias = required(node, at, "alias");
        String ref = alias.isNull() ? null : matching(alias, at + ".alias", PIN_NAME, "an alias or pin name, or null");
        String note = node.has("note") ? text(node.get("note"), at + ".note") : "";
        if (ref == null && note.isEmpty()) {
            throw problem(at + ".note", "missing: with alias null, say why the board has no status LED pirt can drive");
        }
        return new ProfileDocument.StatusLedSpec(ref, note);
    }

    private Map<String, Located<Integer>> priorities(JsonNode node) {
        String at = "realtime.priorities";
        object(node, at);
        onlyFields(node, at, RealtimeTable.LEVEL_NAMES);
        Map<String, Located<Integer>> priorities = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String levelAt = at + "." + e.getKey();
            int priority = integer(e.getValue(), levelAt, 1, RealtimeTable.MAX_FIFO_PRIORITY);
            priorities.put(e.getKey(), new Located<>(priority, file, levelAt));
        }
        return priorities;
    }

    /** Microseconds 0..{@value #MAX_DMA_LATENCY_US}, or {@code off} as {@link RealtimeTable#DMA_LATENCY_OFF}. */
    private int dmaLatency(JsonNode node) {
        // YAML 1.1 reads a bare off as the boolean false; "off" quoted stays a string: both mean off.
        if (node.isTextual() && node.textValue().equals("off") || node.isBoolean() && !node.booleanValue()) {
            return RealtimeTable.DMA_LATENCY_OFF;
        }
        if (!node.isIntegralNumber()) {
            throw problem("realtime.dmaLatency", "must be microseconds (0.." + MAX_DMA_LATENCY_US + ") or off, got " + describe(node));
        }
        return integer(node, "realtime.dmaLatency", 0, MAX_DMA_LATENCY_US);
    }

    /** The longest CPU latency worth asking for: a second. */
    private static final int MAX_DMA_LATENCY_US = 1_000_000;

    private List<Integer> cpus(JsonNode node) {
        String at = "realtime.cpus";
        list(node, at);
        List<Integer> cpus = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            int cpu = integer(node.get(i), at + "[" + i + "]", 0, MAX_CPU_CORES - 1);
            if (cpus.contains(cpu)) {
                throw problem(at + "[" + i + "]", "CPU " + cpu + " is listed twice");
            }
            cpus.add(cpu);
        }
        return List.copyOf(cpus);
    }

    /** A device path: absolute, or a {@code pty:NAME} placeholder. */
    private String device(JsonNode node, String at) {
        String device = text(node, at);
        boolean placeholder = device.startsWith(SerialPortSpec.PTY_PREFIX)
                && device.length() > SerialPortSpec.PTY_PREFIX.length();
        if (!device.startsWith("/") && !placeholder) {
            throw problem(at, "'" + device + "' is not a device path: give an absolute path such as /dev/serial0, "
                    + "or pty:NAME for a pseudo-terminal on the simulated board");
        }
        return device;
    }

    // ---- generic checks ------------------------------------------------------------

    private void onlyFields(JsonNode node, String at, List<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                String hint = allowed.stream()
                        .filter(a -> a.toLowerCase(Locale.ROOT).equals(field.toLowerCase(Locale.ROOT)))
                        .findFirst()
                        .map(a -> "did you mean '" + a + "'? ")
                        .orElse("");
                throw problem(join(at, field), "unknown field; " + hint + "allowed here: " + String.join(", ", allowed));
            }
        }
    }

    private JsonNode required(JsonNode node, String at, String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw problem(join(at, field), "missing (required)");
        }
        return value;
    }

    private Located<String> optionalText(JsonNode node, String at, String field) {
        return node.has(field) ? located(text(node.get(field), join(at, field)), join(at, field)) : null;
    }

    private <T> Located<T> located(T value, String at) {
        return new Located<>(value, file, at);
    }

    private void object(JsonNode node, String at) {
        if (!node.isObject()) {
            throw problem(at.isEmpty() ? "(top level)" : at, "must be a mapping of fields, got " + describe(node));
        }
    }

    private void list(JsonNode node, String at) {
        if (!node.isArray()) {
            throw problem(at, "must be a list, got " + describe(node));
        }
    }

    private String text(JsonNode node, String at) {
        if (!node.isTextual()) {
            throw problem(at, "must be a string, got " + describe(node));
        }
        String text = node.textValue().strip();
        if (text.isEmpty()) {
            throw problem(at, "must not be empty");
        }
        return text;
    }

    private List<String> textList(JsonNode node, String at) {
        list(node, at);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            texts.add(text(node.get(i), at + "[" + i + "]"));
        }
        return List.copyOf(texts);
    }

    private String matching(JsonNode node, String at, Pattern pattern, String what) {
        String text = text(node, at);
        if (!pattern.matcher(text).matches()) {
            throw problem(at, "'" + text + "' is not " + what);
        }
        return text;
    }

    private int integer(JsonNode node, String at, int min, int max) {
        String range = max == Integer.MAX_VALUE ? min + " or more" : min + ".." + max;
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw problem(at, "must be an integer " + range + ", got " + describe(node));
        }
        int value = node.intValue();
        if (value < min || value > max) {
            throw problem(at, "out of range: " + value + " (must be " + range + ")");
        }
        return value;
    }

    private boolean bool(JsonNode node, String at) {
        if (!node.isBoolean()) {
            throw problem(at, "must be true or false, got " + describe(node));
        }
        return node.booleanValue();
    }

    private ProfileException problem(String at, String problem) {
        return new ProfileException(file + ": " + at + ": " + problem);
    }

    private static String join(String at, String field) {
        return at.isEmpty() ? field : at + "." + field;
    }

    private static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "\"" + node.textValue() + "\" (a string)";
        }
        if (node.isNumber()) {
            return node.asText() + " (a number)";
        }
        if (node.isBoolean()) {
            return node.asText() + " (a boolean)";
        }
        if (node.isNull()) {
            return "null";
        }
        return node.isArray() ? "a list" : "a mapping";
    }
}
