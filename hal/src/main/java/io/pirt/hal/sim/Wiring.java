package io.pirt.hal.sim;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.Pin;
import io.pirt.hal.HalException;
import io.pirt.hal.I2cBus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What is connected to the simulated board's pins: jumpers (an output drives an input),
 * push buttons a test or a person can press, LEDs one can look at; and the devices on its
 * buses. Read from a wiring file (format in docs/hal.md), one item per line:
 *
 * <pre>
 * jumper D17 D27          # D17 drives D27
 * button BTN0 D27 low     # pressing pulls D27 low (open it as INPUT_PULLUP); "high" pulls it high
 * led LED0 D17            # an LED lit while D17 is active
 * tmp102 i2c-1 0x48       # a TMP102 temperature sensor at 0x48 (0x48 to 0x4b) on I2C bus i2c-1
 * mcp3008 spi0.0 3.3      # an MCP3008 ADC on SPI device spi0.0, its reference at 3.3 V
 * </pre>
 *
 * Bus and device names are the profile's ({@code i2c:} and {@code spi:}); an address is
 * written in hex ({@code 0x48}) or decimal.
 *
 * Immutable.
 */
public final class Wiring {
    /** Source pin name to the pins it drives; no pin is driven by two. */
    final Map<String, List<String>> jumpers;
    /** Button name to (pin name, level while pressed). */
    final Map<String, Button> buttons;
    /** LED name to pin name. */
    final Map<String, String> leds;
    /** I2C bus name (a bus of the profile) to the addresses of the TMP102s on it, in file order; no address twice on a bus. */
    final Map<String, List<Integer>> tmp102s;
    /** SPI device name (a device of the profile) to the reference voltage of the MCP3008 on it. */
    final Map<String, Double> mcp3008s;

    record Button(String pin, boolean pressedLevel) {
    }

    private Wiring(Map<String, List<String>> jumpers, Map<String, Button> buttons, Map<String, String> leds,
                   Map<String, List<Integer>> tmp102s, Map<String, Double> mcp3008s) {
        this.jumpers = jumpers;
        this.buttons = buttons;
        this.leds = leds;
        this.tmp102s = tmp102s;
        this.mcp3008s = mcp3008s;
    }

    /** Nothing connected. */
    public static Wiring none() {
        return new Wiring(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
    }

    /**
     * Reads a wiring file; pin names and aliases are resolved with {@code profile}.
     *
     * @throws HalException naming the file and line of the first mistake
     */
    public static Wiring load(Path file, BoardProfile profile) {
        try {
            return parse(file.toString(), Files.readAllLines(file), profile);
        } catch (IOException e) {
            throw new HalException("cannot read wiring file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses wiring text (see the class comment); {@code origin} names it in errors. */
    public static Wiring parse(String origin, List<String> lines, BoardProfile profile) {
        Map<String, List<String>> jumpers = new LinkedHashMap<>();
        Map<String, Button> buttons = new LinkedHashMap<>();
        Map<String, String> leds = new LinkedHashMap<>();
        Map<String, List<Integer>> tmp102s = new LinkedHashMap<>();
        // "bus address" and SPI device to the line that put a device there, for the error about a second one
        Map<String, Integer> i2cLines = new HashMap<>();
        Map<String, Double> mcp3008s = new LinkedHashMap<>();
        Map<String, Integer> spiLines = new HashMap<>();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            int hash = line.indexOf('#');
            String[] w = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (w.length == 1 && w[0].isEmpty()) continue;
            String where = origin + ":" + n + ": ";
            switch (w[0]) {
                case "jumper" -> {
                    expect(w, 3, where, "jumper FROM TO");
                    String from = pin(w[1], profile, where);
                    String to = pin(w[2], profile, where);
                    if (from.equals(to)) throw new HalException(where + "a jumper from " + from + " to itself");
                    for (Map.Entry<String, List<String>> j : jumpers.entrySet()) {
                        if (j.getValue().contains(to)) {
                            throw new HalException(where + "pin " + to + " would be driven by both " + j.getKey() + " and " + from);
                        }
                    }
                    jumpers.computeIfAbsent(from, k -> new ArrayList<>()).add(to);
                }
                case "button" -> {
                    expect(w, 4, where, "button NAME PIN low|high");
                    if (!w[3].equals("low") && !w[3].equals("high")) {
                        throw new HalException(where + "a button pulls its pin 'low' or 'high' while pressed, not '" + w[3] + "'");
                    }
                    if (buttons.put(w[1], new Button(pin(w[2], profile, where), w[3].equals("high"))) != null) {
                        throw new HalException(where + "button " + w[1] + " is wired twice");
                    }
                }
                case "led" -> {
                    expect(w, 3, where, "led NAME PIN");
                    if (leds.put(w[1], pin(w[2], profile, where)) != null) throw new HalException(where + "LED " + w[1] + " is wired twice");
                }
                case "tmp102" -> {
                    expect(w, 3, where, "tmp102 BUS ADDRESS");
                    String bus = profile.findI2cBus(w[1]).orElseThrow(() -> new HalException(where + noSuch(profile, "I2C bus", w[1],
                            profile.i2cBuses().keySet()))).name();
                    int address = address(w[2], where);
                    if (address < Tmp102.FIRST_ADDRESS || address > Tmp102.LAST_ADDRESS) {
                        throw new HalException(where + "a TMP102 answers at 0x48 to 0x4b only (its ADD0 pin to GND, V+, SDA or SCL), not at "
                                + I2cBus.formatAddress(address));
                    }
                    Integer first = i2cLines.putIfAbsent(bus + " " + address, n);
                    if (first != null) {
                        throw new HalException(where + "a second device at " + I2cBus.formatAddress(address) + " on " + bus + " (line " + first
                                + " puts one there); each device on a bus needs an address of its own");
                    }
                    tmp102s.computeIfAbsent(bus, k -> new ArrayList<>()).add(address);
                }
                case "mcp3008" -> {
                    expect(w, 3, where, "mcp3008 DEVICE VREF");
                    String device = profile.findSpiDevice(w[1]).orElseThrow(() -> new HalException(where + noSuch(profile, "SPI device",
                            w[1], profile.spiDevices().keySet()))).name();
                    double vref = volts(w[2], where);
                    if (!(vref >= Mcp3008.MIN_VREF_VOLTS && vref <= Mcp3008.MAX_VREF_VOLTS)) {
                        throw new HalException(where + "an MCP3008's reference is " + Mcp3008.MIN_VREF_VOLTS + " to " + Mcp3008.MAX_VREF_VOLTS
                                + " V (at most its supply), not " + w[2]);
                    }
                    Integer first = spiLines.putIfAbsent(device, n);
                    if (first != null) {
                        throw new HalException(where + "a second device on " + device + " (line " + first
                                + " puts one there); a chip select selects one chip");
                    }
                    mcp3008s.put(device, vref);
                }
                default -> throw new HalException(where + "unknown item '" + w[0] + "': expected jumper, button, led, tmp102 or mcp3008");
            }
        }
        Map<String, List<Integer>> i2c = new LinkedHashMap<>();
        tmp102s.forEach((bus, addresses) -> i2c.put(bus, List.copyOf(addresses)));
        return new Wiring(Map.copyOf(jumpers), Map.copyOf(buttons), Map.copyOf(leds), Collections.unmodifiableMap(i2c),
                Collections.unmodifiableMap(mcp3008s));
    }

    private static String noSuch(BoardProfile profile, String kind, String name, Set<String> names) {
        return "board " + profile.id() + " has no " + kind + " '" + name + "'; "
                + (names.isEmpty() ? "its profile names none" : "it has " + String.join(", ", names));
    }

    /** A 7-bit address: {@code 0x48} or {@code 72}. */
    private static int address(String word, String where) {
        int address;
        try {
            address = word.startsWith("0x") || word.startsWith("0X") ? Integer.parseInt(word.substring(2), 16) : Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw new HalException(where + "'" + word + "' is not an I2C address: write it in hex (0x48) or decimal (72)");
        }
        if (address < 0 || address > 0x7F) throw new HalException(where + "'" + word + "' is not a 7-bit I2C address (0x00 to 0x7f)");
        return address;
    }

    private static double volts(String word, String where) {
        try {
            return Double.parseDouble(word);
        } catch (NumberFormatException e) {
            throw new HalException(where + "'" + word + "' is not a voltage: write volts as a number (3.3)");
        }
    }

    private static void expect(String[] words, int count, String where, String form) {
        if (words.length != count) throw new HalException(where + "expected '" + form + "'");
    }

    private static String pin(String nameOrAlias, BoardProfile profile, String where) {
        return profile.findPin(nameOrAlias).map(Pin::name).orElseThrow(() -> new HalException(where + profile.noPinNamed(nameOrAlias)));
    }
}
