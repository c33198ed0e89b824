package io.pirt.boards;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a {@link ProfileDocument} into a {@link BoardProfile}: follows its {@code extends}
 * chain, merges the documents from the root ancestor down, and checks the resolved
 * profile as a whole.
 *
 * <p>Implementation notes: merging keeps every value's {@link Located} origin, so a check
 * on the resolved profile (an alias pointing to a pin that no file defines, a line used
 * twice) reports the file and field where the offending value was written, even when that
 * is a parent file. Inheritance rules are those of docs/board-profiles.md: identity fields
 * and {@code match} are never inherited; scalars are replaced; pins merge by name;
 * aliases, serial ports, I2C buses, SPI devices, PWM channels and priorities merge by key;
 * sources append.
 */
final class ProfileResolver {

    /** Finds the document an {@code extends} names. */
    interface Lookup {
        /** The document with this id, as seen from {@code from}, or empty. */
        Optional<ProfileDocument> find(String id, ProfileDocument from);

        /** What was searched, for the message when {@link #find} came back empty. */
        String searched(String id, ProfileDocument from);
    }

    private ProfileResolver() {
    }

    /**
     * Resolves and checks {@code leaf}.
     *
     * @throws ProfileException naming the file and field of the first problem found
     */
    static BoardProfile resolve(ProfileDocument leaf, Lookup lookup) {
        List<ProfileDocument> chain = chain(leaf, lookup);
        Merged merged = new Merged();
        for (int i = chain.size() - 1; i >= 0; i--) {
            merged.add(chain.get(i));
        }
        return merged.check(leaf, chain);
    }

    /** {@code leaf} followed by its ancestors, nearest first. */
    private static List<ProfileDocument> chain(ProfileDocument leaf, Lookup lookup) {
        List<ProfileDocument> chain = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        ProfileDocument current = leaf;
        chain.add(current);
        ids.add(current.id());
        while (current.extendsId() != null) {
            String parentId = current.extendsId();
            if (ids.contains(parentId)) {
                throw new ProfileException(current.file() + ": extends: '" + parentId + "' makes a cycle: "
                        + String.join(" -> ", ids) + " -> " + parentId);
            }
            ProfileDocument from = current;
            current = lookup.find(parentId, from).orElseThrow(() -> new ProfileException(from.file()
                    + ": extends: unknown profile '" + parentId + "' (" + lookup.searched(parentId, from) + ")"));
            chain.add(current);
            ids.add(parentId);
        }
        return chain;
    }

    /** The profile being resolved: each field holds the value of the nearest file that set it. */
    private static final class Merged {
        Located<String> soc;
        Located<Integer> cpuCores;
        Located<String> chipLabel;
        Located<String> provider;
        /** By pin name; a child's pin replaces the parent's in place, new ones go last. */
        final Map<String, Located<Pin>> pins = new LinkedHashMap<>();
        /** By LED name; a child's LED replaces the parent's of the same name. */
        final Map<String, Located<LedClassDevice>> leds = new LinkedHashMap<>();
        final Map<String, Located<String>> aliases = new LinkedHashMap<>();
        final Map<String, Located<SerialPortSpec>> serial = new LinkedHashMap<>();
        /** By bus name; a child's entry replaces the parent's of the same name in place, new ones go last. */
        final Map<String, Located<I2cBusSpec>> i2c = new LinkedHashMap<>();
        /** As {@link #i2c}. */
        final Map<String, Located<SpiDeviceSpec>> spi = new LinkedHashMap<>();
        /** As {@link #i2c}. */
        final Map<String, Located<PwmChannelSpec>> pwm = new LinkedHashMap<>();
        Located<String> console;
        Located<ProfileDocument.StatusLedSpec> statusLed;
        final Map<String, Located<Integer>> priorities = new HashMap<>();
        Located<List<Integer>> cpus;
        Located<Integer> dmaLatency;
        Located<String> collector;
        Located<Integer> heapMb;
        final Set<String> sources = new LinkedHashSet<>();

        void add(ProfileDocument d) {
            soc = d.soc() != null ? d.soc() : soc;
            cpuCores = d.cpuCores() != null ? d.cpuCores() : cpuCores;
            chipLabel = d.chipLabel() != null ? d.chipLabel() : chipLabel;
            provider = d.provider() != null ? d.provider() : provider;
            for (Located<Pin> p : d.pins()) {
                pins.put(p.value().name(), p);
            }
            leds.putAll(d.leds());
            aliases.putAll(d.aliases());
            serial.putAll(d.serial());
            i2c.putAll(d.i2c());
            spi.putAll(d.spi());
            pwm.putAll(d.pwm());
            console = d.console() != null ? d.console() : console;
            statusLed = d.statusLed() != null ? d.statusLed() : statusLed;
            priorities.putAll(d.priorities());
            cpus = d.cpus() != null ? d.cpus() : cpus;
            dmaLatency = d.dmaLatency() != null ? d.dmaLatency() : dmaLatency;
            collector = d.collector() != null ? d.collector() : collector;
            heapMb = d.heapMb() != null ? d.heapMb() : heapMb;
            sources.addAll(d.sources());
        }

        BoardProfile check(ProfileDocument leaf, List<ProfileDocument> chain) {
            String soc = required(this.soc, leaf, chain, "soc").value();
            int cpuCores = required(this.cpuCores, leaf, chain, "cpuCores").value();
            String chipLabel = required(this.chipLabel, leaf, chain, "gpio.chipLabel").value();
            String provider = required(this.provider, leaf, chain, "gpio.provider").value();
            boolean simulated = provider.equals("sim");
            if (pins.isEmpty()) {
                throw missing(leaf, chain, "pins", "at least one pin");
            }
            List<Pin> pinList = checkPins();
            Map<String, LedClassDevice> ledMap = checkLeds(simulated);
            Map<String, String> aliasMap = checkAliases();

            Map<String, SerialPortSpec> ports = new LinkedHashMap<>();
            for (Located<SerialPortSpec> port : serial.values()) {
                checkPlaceholder(port.value().device(), port, simulated);
                ports.put(port.value().name(), port.value());
            }
            checkBusNames(aliasMap);
            Map<String, I2cBusSpec> i2cMap = checkBuses(i2c, I2cBusSpec::device, I2cBusSpec::pins, Capability.I2C,
                    "an I2C bus", simulated, pins);
            Map<String, SpiDeviceSpec> spiMap = checkBuses(spi, SpiDeviceSpec::device, SpiDeviceSpec::pins,
                    Capability.SPI, "an SPI device", simulated, pins);
            Map<String, PwmChannelSpec> pwmMap = checkPwm(simulated);
            Located<String> console = required(this.console, leaf, chain, "chosen.console");
            checkPlaceholder(console.value(), console, simulated);

            String statusLedRef = null;
            String statusLedNote = "";
            if (statusLed != null) {
                statusLedRef = statusLed.value().ref();
                statusLedNote = statusLed.value().note();
                if (statusLedRef != null && !aliasMap.containsKey(statusLedRef) && !pins.containsKey(statusLedRef)
                        && !leds.containsKey(statusLedRef)) {
                    throw new ProfileException(statusLed.at() + ".alias: '" + statusLedRef
                            + "' is neither an alias nor a pin nor an LED of this board (aliases: "
                            + (aliasMap.isEmpty() ? "none" : String.join(", ", aliasMap.keySet())) + "; LEDs: "
                            + (leds.isEmpty() ? "none" : String.join(", ", leds.keySet())) + ")");
                }
            }

            RealtimeTable realtime = checkRealtime(leaf, chain, cpuCores);
            if (sources.isEmpty()) {
                throw missing(leaf, chain, "sources", "at least one citation for the profile's facts");
            }
            return new BoardProfile(leaf.id(), leaf.name(), leaf.extendsId(), leaf.file(), leaf.match(), soc,
                    cpuCores, chipLabel, provider, pinList, ledMap, aliasMap, ports, i2cMap, spiMap, pwmMap, console.value(), statusLedRef,
                    statusLedNote, realtime, jvm(), List.copyOf(sources));
        }

        private AppJvmSettings jvm() {
            return new AppJvmSettings(collector != null ? collector.value() : AppJvmSettings.DEFAULT_COLLECTOR,
                    heapMb != null ? heapMb.value() : AppJvmSettings.DEFAULT_HEAP_MB);
        }

        private List<Pin> checkPins() {
            Map<Integer, Located<Pin>> byLine = new HashMap<>();
            Map<Integer, Located<Pin>> byHeader = new HashMap<>();
            List<Pin> list = new ArrayList<>();
            for (Located<Pin> p : pins.values()) {
                Located<Pin> other = byLine.putIfAbsent(p.value().line(), p);
                if (other != null) {
                    throw new ProfileException(p.at() + ".line: line " + p.value().line()
                            + " is already pin " + other.value().name() + " (" + other.at() + ")");
                }
                if (p.value().header().isPresent()) {
                    int header = p.value().header().getAsInt();
                    other = byHeader.putIfAbsent(header, p);
                    if (other != null) {
                        throw new ProfileException(p.at() + ".header: header pin " + header
                                + " is already pin " + other.value().name() + " (" + other.at() + ")");
                    }
                }
                list.add(p.value());
            }
            return list;
        }

        /** LEDs share the name space of pins; an LED's pin is a pin; only a real board has LEDs. */
        private Map<String, LedClassDevice> checkLeds(boolean simulated) {
            Map<String, LedClassDevice> map = new LinkedHashMap<>();
            for (Located<LedClassDevice> led : leds.values()) {
                String name = led.value().name();
                if (simulated) {
                    throw led.problem("the simulated board (gpio.provider: sim) has no kernel LEDs; it simulates an LED on"
                            + " a pin (aliases: {LED0: D17})");
                }
                if (pins.containsKey(name)) {
                    throw led.problem("'" + name + "' is a pin name; an LED needs a name of its own");
                }
                Optional<String> pin = led.value().pin();
                if (pin.isPresent() && !pins.containsKey(pin.get())) {
                    throw new ProfileException(led.at() + ".pin: unknown pin '" + pin.get() + "' (pins: "
                            + String.join(", ", pins.keySet()) + ")");
                }
                map.put(name, led.value());
            }
            return map;
        }

        private Map<String, String> checkAliases() {
            Map<String, String> map = new LinkedHashMap<>();
            for (Map.Entry<String, Located<String>> e : aliases.entrySet()) {
                Located<String> target = e.getValue();
                if (pins.containsKey(e.getKey())) {
                    throw target.problem("'" + e.getKey() + "' is a pin name; an alias needs a name of its own");
                }
                if (leds.containsKey(e.getKey())) {
                    throw target.problem("'" + e.getKey() + "' is an LED name; an alias needs a name of its own");
                }
                if (!pins.containsKey(target.value()) && !leds.containsKey(target.value())) {
                    throw target.problem("points to unknown pin '" + target.value() + "' (pins: "
                            + String.join(", ", pins.keySet())
                            + (leds.isEmpty() ? "" : "; LEDs: " + String.join(", ", leds.keySet())) + ")");
                }
                map.put(e.getKey(), target.value());
            }
            return map;
        }

        /** Bus and channel names share one name space with each other and with pins, LEDs and aliases. */
        private void checkBusNames(Map<String, String> aliasMap) {
            Map<String, Located<?>> seen = new HashMap<>();
            for (Map<String, ? extends Located<?>> section : List.of(i2c, spi, pwm)) {
                for (Map.Entry<String, ? extends Located<?>> e : section.entrySet()) {
                    String name = e.getKey();
                    Located<?> entry = e.getValue();
                    String clash = pins.containsKey(name) ? "a pin name"
                            : leds.containsKey(name) ? "an LED name"
                            : aliasMap.containsKey(name) ? "an alias"
                            : null;
                    if (clash != null) {
                        throw entry.problem("'" + name + "' is " + clash + "; a bus or PWM channel needs a name of its own");
                    }
                    Located<?> other = seen.putIfAbsent(name, entry);
                    if (other != null) {
                        throw entry.problem("'" + name + "' is already the name of " + other.path()
                                + "; buses and PWM channels need names of their own");
                    }
                }
            }
        }

        /** Checks each {@code i2c} or {@code spi} entry: its device, and that its pins exist with {@code cap}. */
        private static <T> Map<String, T> checkBuses(Map<String, Located<T>> section, Function<T, String> device,
                                                     Function<T, List<String>> busPins, Capability cap, String what,
                                                     boolean simulated, Map<String, Located<Pin>> pins) {
            Map<String, T> map = new LinkedHashMap<>();
            for (Map.Entry<String, Located<T>> e : section.entrySet()) {
                Located<T> entry = e.getValue();
                checkSim(device.apply(entry.value()), entry, ".device", simulated);
                List<String> names = busPins.apply(entry.value());
                for (int i = 0; i < names.size(); i++) {
                    checkPin(names.get(i), entry, ".pins[" + i + "]", cap, what, pins);
                }
                map.put(e.getKey(), entry.value());
            }
            return map;
        }

        /** {@code pinName} is a pin of the resolved profile and has {@code cap}. */
        private static void checkPin(String pinName, Located<?> entry, String field, Capability cap, String what,
                                     Map<String, Located<Pin>> pins) {
            Located<Pin> pin = pins.get(pinName);
            if (pin == null) {
                throw new ProfileException(entry.at() + field + ": unknown pin '" + pinName + "' (pins: "
                        + String.join(", ", pins.keySet()) + ")");
            }
            if (!pin.value().has(cap)) {
                List<String> caps = new ArrayList<>();
                for (Capability c : pin.value().capabilities()) {
                    caps.add(c.fileName());
                }
                throw new ProfileException(entry.at() + field + ": pin " + pinName + " has no capability "
                        + cap.fileName() + " (its caps: " + String.join(", ", caps) + ", at " + pin.at()
                        + "); " + what + " uses only pins with caps including " + cap.fileName()
                        + ": add it there if the pin can do it, or name another pin");
            }
        }

        private Map<String, PwmChannelSpec> checkPwm(boolean simulated) {
            Map<String, Located<PwmChannelSpec>> byChipChannel = new HashMap<>();
            Map<String, Located<PwmChannelSpec>> byPin = new HashMap<>();
            Map<String, PwmChannelSpec> map = new LinkedHashMap<>();
            for (Located<PwmChannelSpec> entry : pwm.values()) {
                PwmChannelSpec c = entry.value();
                checkSim(c.chip(), entry, ".chip", simulated);
                checkPin(c.pin(), entry, ".pin", Capability.PWM, "a PWM channel", pins);
                Located<PwmChannelSpec> other = byChipChannel.putIfAbsent(c.chip() + "/" + c.channel(), entry);
                if (other != null) {
                    throw new ProfileException(entry.at() + ".channel: channel " + c.channel() + " of chip " + c.chip()
                            + " is already PWM channel " + other.value().name() + " (" + other.at() + ")");
                }
                other = byPin.putIfAbsent(c.pin(), entry);
                if (other != null) {
                    throw new ProfileException(entry.at() + ".pin: pin " + c.pin() + " is already driven by PWM channel "
                            + other.value().name() + " (" + other.at() + ")");
                }
                map.put(c.name(), c);
            }
            return map;
        }

        /** {@code sim} as a device or chip belongs to the simulated board only. */
        private static void checkSim(String value, Located<?> entry, String field, boolean simulated) {
            if (value.equals(ProfileReader.SIM_DEVICE) && !simulated) {
                throw new ProfileException(entry.at() + field + ": 'sim' is the simulated board's placeholder"
                        + " (gpio.provider: sim); on a real board give the "
                        + (field.equals(".chip") ? "PWM chip's device name, e.g. fe20c000.pwm" : "device path, e.g. /dev/i2c-1"));
            }
        }

        private RealtimeTable checkRealtime(ProfileDocument leaf, List<ProfileDocument> chain, int cpuCores) {
            List<String> absent = new ArrayList<>();
            for (String level : RealtimeTable.LEVEL_NAMES) {
                if (!priorities.containsKey(level)) {
                    absent.add(level);
                }
            }
            if (!absent.isEmpty()) {
                throw missing(leaf, chain, "realtime.priorities", "all 7 levels; missing " + String.join(", ", absent));
            }
            int[] fifo = new int[RealtimeTable.LEVELS];
            for (int i = 0; i < RealtimeTable.LEVELS; i++) {
                Located<Integer> p = priorities.get(RealtimeTable.LEVEL_NAMES.get(i));
                fifo[i] = p.value();
                if (i > 0 && fifo[i] <= fifo[i - 1]) {
                    throw p.problem(fifo[i] + " must be greater than " + RealtimeTable.LEVEL_NAMES.get(i - 1)
                            + " (" + fifo[i - 1] + "): priorities increase from PRIO_LOWEST to PRIO_HIGHEST");
                }
            }
            Located<List<Integer>> cpuList = required(cpus, leaf, chain, "realtime.cpus");
            for (int i = 0; i < cpuList.value().size(); i++) {
                int cpu = cpuList.value().get(i);
                if (cpu >= cpuCores) {
                    throw new ProfileException(cpuList.at() + "[" + i + "]: CPU " + cpu + " does not exist on a board with "
                            + cpuCores + " cores (cpuCores: " + cpuCores + "; CPUs are 0.." + (cpuCores - 1) + ")");
                }
            }
            return new RealtimeTable(fifo, cpuList.value(), dmaLatency != null ? dmaLatency.value() : RealtimeTable.DEFAULT_DMA_LATENCY_US);
        }

        private static void checkPlaceholder(String device, Located<?> where, boolean simulated) {
            if (device.startsWith(SerialPortSpec.PTY_PREFIX) && !simulated) {
                throw where.problem("'" + device + "' is a pseudo-terminal placeholder, which only the simulated "
                        + "board (gpio.provider: sim) has; give the device path, e.g. /dev/serial0");
            }
        }

        private static <T> Located<T> required(Located<T> value, ProfileDocument leaf, List<ProfileDocument> chain,
                                               String path) {
            if (value == null) {
                throw missing(leaf, chain, path, null);
            }
            return value;
        }

        private static ProfileException missing(ProfileDocument leaf, List<ProfileDocument> chain, String path,
                                                String what) {
            StringBuilder sb = new StringBuilder(leaf.file()).append(": ").append(path).append(": missing (required");
            if (what != null) {
                sb.append(": ").append(what);
            }
            if (chain.size() > 1) {
                List<String> ancestors = new ArrayList<>();
                for (ProfileDocument d : chain.subList(1, chain.size())) {
                    ancestors.add(d.id());
                }
                sb.append("; not set here nor in ").append(String.join(", ", ancestors));
            }
            return new ProfileException(sb.append(')').toString());
        }
    }
}
