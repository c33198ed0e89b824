package io.pirt.boards;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything pirt knows about one board, resolved from its profile file and the profiles
 * it extends (docs/board-profiles.md). Immutable and safe to share between threads.
 *
 * <p>Instances come from {@link BoardProfiles} and {@link BoardDetector}, which have
 * already checked them: aliases point to pins or LEDs, pin, LED and alias names are unique,
 * lines are unique, the real-time table is complete and increasing, the status LED (if any)
 * is a pin or an LED, every pin a bus or PWM channel names exists with the bus's capability.
 */
public final class BoardProfile {
    private final String id;
    private final String name;
    /** Profile this one was resolved from, or null. */
    private final String extendsId;
    /** Where the profile was read from: a resource path or a file path. */
    private final String origin;
    private final List<String> matchPrefixes;
    private final String soc;
    private final int cpuCores;
    private final String gpioChipLabel;
    private final String gpioProvider;
    /** In profile order; names, lines and header numbers unique. */
    private final List<Pin> pins;
    /** Pin name to pin, for {@link #findPin}; same pins as {@link #pins}. */
    private final Map<String, Pin> pinsByName;
    /**
     * LED-class LEDs by name, in profile order; no name is a pin name, every LED's pin is a key
     * of pinsByName; empty on the simulated board.
     */
    private final Map<String, LedClassDevice> leds;
    /** Alias to pin or LED name; every target is a key of pinsByName or leds; no alias is a pin or LED name. */
    private final Map<String, String> aliases;
    private final Map<String, SerialPortSpec> serialPorts;
    /**
     * By name, in profile order. Bus and channel names are unique across the three maps and are
     * no pin, LED or alias name; every pin they list is a key of pinsByName with the matching
     * capability; no two PWM channels share a pin or a (chip, channel).
     */
    private final Map<String, I2cBusSpec> i2cBuses;
    private final Map<String, SpiDeviceSpec> spiDevices;
    private final Map<String, PwmChannelSpec> pwmChannels;
    private final String consoleDevice;
    /** Alias, pin or LED name of the status LED, or null when the board has none pirt can drive. */
    private final String statusLedRef;
    /** Why there is no status LED, or a remark about it; empty if the profile says nothing. */
    private final String statusLedNote;
    private final RealtimeTable realtime;
    private final AppJvmSettings appJvm;
    private final List<String> sources;

    BoardProfile(String id, String name, String extendsId, String origin, List<String> matchPrefixes,
                 String soc, int cpuCores, String gpioChipLabel, String gpioProvider, List<Pin> pins,
                 Map<String, LedClassDevice> leds, Map<String, String> aliases, Map<String, SerialPortSpec> serialPorts,
                 Map<String, I2cBusSpec> i2cBuses, Map<String, SpiDeviceSpec> spiDevices,
                 Map<String, PwmChannelSpec> pwmChannels, String consoleDevice, String statusLedRef, String statusLedNote,
                 RealtimeTable realtime, AppJvmSettings appJvm, List<String> sources) {
        this.id = id;
        this.name = name;
        this.extendsId = extendsId;
        this.origin = origin;
        this.matchPrefixes = List.copyOf(matchPrefixes);
        this.soc = soc;
        this.cpuCores = cpuCores;
        this.gpioChipLabel = gpioChipLabel;
        this.gpioProvider = gpioProvider;
        this.pins = List.copyOf(pins);
        Map<String, Pin> byName = new LinkedHashMap<>();
        for (Pin p : pins) {
            byName.put(p.name(), p);
        }
        this.pinsByName = Collections.unmodifiableMap(byName);
        this.leds = Collections.unmodifiableMap(new LinkedHashMap<>(leds));
        this.aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
        this.serialPorts = Collections.unmodifiableMap(new LinkedHashMap<>(serialPorts));
        this.i2cBuses = Collections.unmodifiableMap(new LinkedHashMap<>(i2cBuses));
        this.spiDevices = Collections.unmodifiableMap(new LinkedHashMap<>(spiDevices));
        this.pwmChannels = Collections.unmodifiableMap(new LinkedHashMap<>(pwmChannels));
        this.consoleDevice = consoleDevice;
        this.statusLedRef = statusLedRef;
        this.statusLedNote = statusLedNote;
        this.realtime = realtime;
        this.appJvm = appJvm;
        this.sources = List.copyOf(sources);
    }

    /** The profile's id, e.g. {@code rpi-4b}; equals its file name without {@code .yaml}. */
    public String id() {
        return id;
    }

    /** The display name, e.g. {@code Raspberry Pi 4 Model B}. */
    public String name() {
        return name;
    }

    /** The id of the profile this one extends, if any. */
    public Optional<String> extendsId() {
        return Optional.ofNullable(extendsId);
    }

    /** Where the profile was read from: a class-path resource or a file path. */
    public String origin() {
        return origin;
    }

    /** Device-tree model prefixes this profile is detected by; empty if only chosen by id. */
    public List<String> matchPrefixes() {
        return matchPrefixes;
    }

    /** The system on chip, e.g. {@code BCM2711}. */
    public String soc() {
        return soc;
    }

    /** The number of CPU cores. */
    public int cpuCores() {
        return cpuCores;
    }

    /** The label of the GPIO chip that carries the pins, e.g. {@code pinctrl-bcm2711}. */
    public String gpioChipLabel() {
        return gpioChipLabel;
    }

    /** How pins are driven: {@code gpiod} on a real board, {@code sim} on the simulated one. */
    public String gpioProvider() {
        return gpioProvider;
    }

    /** All pins, in the order of the profile. */
    public List<Pin> pins() {
        return pins;
    }

    /**
     * The LEDs the kernel drives through its LED class, by name ({@code ACT}), in the order of
     * the profile; empty when the profile has none (always on the simulated board).
     */
    public Map<String, LedClassDevice> leds() {
        return leds;
    }

    /** Aliases ({@code LED0}) to the names of the pins or LEDs they stand for. */
    public Map<String, String> aliases() {
        return aliases;
    }

    /** Serial ports by name ({@code SERIAL0}, ...), in the order of the profile. */
    public Map<String, SerialPortSpec> serialPorts() {
        return serialPorts;
    }

    /** I2C buses by name ({@code i2c-1}), in the order of the profile; empty when it has none. */
    public Map<String, I2cBusSpec> i2cBuses() {
        return i2cBuses;
    }

    /** SPI devices by name ({@code spi0.0}), in the order of the profile; empty when it has none. */
    public Map<String, SpiDeviceSpec> spiDevices() {
        return spiDevices;
    }

    /** Hardware PWM channels by name ({@code PWM0}), in the order of the profile; empty when it has none. */
    public Map<String, PwmChannelSpec> pwmChannels() {
        return pwmChannels;
    }

    /** The I2C bus with this name ({@code i2c-1}), or empty. */
    public Optional<I2cBusSpec> findI2cBus(String name) {
        return Optional.ofNullable(i2cBuses.get(name));
    }

    /** The SPI device with this name ({@code spi0.0}), or empty. */
    public Optional<SpiDeviceSpec> findSpiDevice(String name) {
        return Optional.ofNullable(spiDevices.get(name));
    }

    /** The PWM channel with this name ({@code PWM0}), or empty; aliases are not followed. */
    public Optional<PwmChannelSpec> findPwmChannel(String name) {
        return Optional.ofNullable(pwmChannels.get(name));
    }

    /** The device the pirt console runs on: a path, or a {@code pty:} placeholder. */
    public String consoleDevice() {
        return consoleDevice;
    }

    /**
     * The status LED when it is a GPIO pin; empty when the board has none pirt can drive, or
     * when it is an LED-class LED ({@link #statusLedDevice()}).
     */
    public Optional<Pin> statusLed() {
        return statusLedRef == null ? Optional.empty() : findPin(statusLedRef);
    }

    /**
     * The status LED when the kernel drives it through its LED class (the ACT LED of a
     * Raspberry Pi); empty when the board has none pirt can drive, or when it is a GPIO pin
     * ({@link #statusLed()}). At most one of the two is present.
     */
    public Optional<LedClassDevice> statusLedDevice() {
        return statusLedRef == null ? Optional.empty() : findLed(statusLedRef);
    }

    /** Why the board has no usable status LED, or a remark about the one it has; may be empty. */
    public String statusLedNote() {
        return statusLedNote;
    }

    /** The priority table and CPU set for real-time threads. */
    public RealtimeTable realtime() {
        return realtime;
    }

    /** What the profile asks of the application's JVM: collector and heap ({@code jvm}; defaults when it says nothing). */
    public AppJvmSettings appJvm() {
        return appJvm;
    }

    /** Where the profile's facts come from: URLs and document names. */
    public List<String> sources() {
        return sources;
    }

    /**
     * The pin with this name or alias, e.g. {@code "D17"} or {@code "LED0"}.
     *
     * @throws IllegalArgumentException with {@link #noPinNamed}'s message if the profile has no
     *                                  such pin or alias
     */
    public Pin pin(String nameOrAlias) {
        Optional<LedClassDevice> led = findLed(nameOrAlias);
        if (led.isPresent()) {
            throw new IllegalArgumentException("'" + nameOrAlias + "' of board " + id + " is the kernel LED "
                    + led.get().name() + " (/sys/class/leds/" + String.join(" or ", led.get().sysfsNames())
                    + "), not a GPIO pin");
        }
        return findPin(nameOrAlias).orElseThrow(() -> new IllegalArgumentException(noPinNamed(nameOrAlias)));
    }

    /**
     * What to tell a person whose code or file asked this board for {@code nameOrAlias}, which
     * it has as no pin, LED or alias: the header pins it has, and how to give one of them that
     * name (a board file that extends this profile with an alias, passed with
     * {@code --board-file}). One line; every part that looks pins up by name says it this way.
     */
    public String noPinNamed(String nameOrAlias) {
        return MissingPin.message(this, nameOrAlias);
    }

    /** The pin with this name or alias, or empty (also for the name or alias of an LED-class LED). */
    public Optional<Pin> findPin(String nameOrAlias) {
        String pinName = aliases.getOrDefault(nameOrAlias, nameOrAlias);
        return Optional.ofNullable(pinsByName.get(pinName));
    }

    /** The LED-class LED with this name or alias ({@code ACT}, {@code LED0}), or empty. */
    public Optional<LedClassDevice> findLed(String nameOrAlias) {
        return Optional.ofNullable(leds.get(aliases.getOrDefault(nameOrAlias, nameOrAlias)));
    }

    @Override
    public String toString() {
        return "BoardProfile[" + id + ", " + name + "]";
    }
}
