package io.pirt.hal;

import io.pirt.boards.BoardDetector;
import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.boards.Capability;
import io.pirt.boards.I2cBusSpec;
import io.pirt.boards.LedClassDevice;
import io.pirt.boards.Pin;
import io.pirt.boards.ProfileException;
import io.pirt.boards.PwmChannelSpec;
import io.pirt.boards.SpiDeviceSpec;
import io.pirt.hal.linux.KernelBuses;
import io.pirt.hal.pi4j.Pi4jGpio;
import io.pirt.hal.sim.SimulatedBuses;
import io.pirt.hal.sim.SimulatedGpio;
import io.pirt.hal.sim.Wiring;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The board an application runs on: its profile, and its GPIO pins by profile name (D17) or
 * alias (LED0, BTN0). The GPIO backend comes from the profile ({@code gpio.provider}): the
 * simulated board's, or Pi4J's gpiod provider on a Raspberry Pi. The profile's LED-class LEDs
 * ({@code leds}, the ACT LED of a Raspberry Pi) open as output pins driven through
 * {@code /sys/class/leds}; their kernel triggers come back when they close, when the board
 * closes, or when the JVM exits. Its I2C buses ({@code i2c-1}), SPI devices ({@code spi0.0}) and
 * PWM channels ({@code PWM0}) open by their profile names, on the same backend: the simulated
 * board's devices, or the kernel's ({@code /dev/i2c-N}, {@code /dev/spidevB.C},
 * {@code /sys/class/pwm}).
 *
 * <p>{@link #current()} is the process's board, chosen from system properties (set by the
 * runtime that starts the application): {@code pirt.board.file} (a profile file), else
 * {@code pirt.board} (a built-in profile id), else detection from the device tree under
 * {@code pirt.root} (default {@code /}, which also roots {@code sys/class/leds}); for the
 * simulated board, {@code pirt.sim.wiring} names a wiring file (docs/hal.md). Thread-safe.
 */
public final class Board implements AutoCloseable {
    private static Board current; // guarded by Board.class

    private final BoardProfile profile;
    private final GpioLines lines;
    private final Buses buses;
    private final SysfsLeds leds;
    /** Open pins by profile pin or LED name (names are unique across both). Guarded by this. */
    private final Map<String, GpioPin> open = new HashMap<>();
    /** Open PWM channels by the name of the pin they drive; no key is also a key of {@link #open}. Guarded by this. */
    private final Map<String, PwmChannel> pwmByPin = new HashMap<>();
    /** Open SPI devices by profile name. Guarded by this. */
    private final Map<String, SpiDevice> spiOpen = new HashMap<>();
    /** Open I2C bus handles (a bus may have several). Guarded by this. */
    private final Set<I2cBus> i2cOpen = new LinkedHashSet<>();

    private Board(BoardProfile profile, GpioLines lines, Buses buses, SysfsLeds leds) {
        this.profile = profile;
        this.lines = lines;
        this.buses = buses;
        this.leds = leds;
    }

    /**
     * A board with the given profile and GPIO backend (tests choose their own), its LEDs under
     * /sys/class/leds, its buses on the profile's backend (the simulated board's, unwired, or the kernel's).
     */
    public static Board open(BoardProfile profile, GpioLines lines) {
        return new Board(profile, lines, busesFor(profile, Wiring.none(), Path.of("/")), new SysfsLeds(SysfsLeds.SYSTEM_DIR));
    }

    /** As {@link #open(BoardProfile, GpioLines)}, with the LED class at {@code ledsDir} (a copy of /sys/class/leds in a test). */
    static Board open(BoardProfile profile, GpioLines lines, Path ledsDir) {
        return new Board(profile, lines, busesFor(profile, Wiring.none(), Path.of("/")), new SysfsLeds(ledsDir));
    }

    /** A board on backends a test chooses. */
    static Board open(BoardProfile profile, GpioLines lines, Buses buses) {
        return new Board(profile, lines, buses, new SysfsLeds(SysfsLeds.SYSTEM_DIR));
    }

    /**
     * The board with {@code profile}, on the GPIO backend the profile names
     * ({@code gpio.provider}): {@code sim}, the simulated board, wired by the wiring file
     * {@code wiring} if given (docs/hal.md); {@code gpiod}, Pi4J's gpiod provider on the GPIO
     * chip the profile names by label. The one place that choice is made: {@link #current()}
     * and the runtime's own board both come here.
     *
     * @throws HalException if the profile names a provider this pirt does not have, the wiring
     *                      file cannot be read or does not fit the board, or the backend cannot
     *                      start; the message says why
     */
    public static Board open(BoardProfile profile, Optional<Path> wiring) {
        return open(profile, wiring, Path.of("/"));
    }

    /** {@code root}: where /dev and /sys are ({@code /}, or a copy of them in a test). */
    private static Board open(BoardProfile profile, Optional<Path> wiring, Path root) {
        Wiring w = profile.gpioProvider().equals("sim") ? wiring.map(f -> Wiring.load(f, profile)).orElse(Wiring.none()) : Wiring.none();
        GpioLines lines = backendFor(profile, w);
        Buses buses;
        try {
            buses = busesFor(profile, w, root);
        } catch (RuntimeException e) {
            lines.close();
            throw e;
        }
        return new Board(profile, lines, buses, new SysfsLeds(root.resolve(SysfsLeds.SYSTEM_DIR.toString().substring(1))));
    }

    /**
     * Why GPIO cannot work for {@code profile} on this machine, found without starting the
     * backend: for a gpiod board, its GPIO chip is not among {@code /dev/gpiochip*} or cannot be
     * read. Empty when it can, or when the board is simulated.
     *
     * @throws HalException if {@code /dev} cannot be listed, or a chip exists and the C library cannot be loaded
     */
    public static Optional<String> gpioUnavailable(BoardProfile profile) {
        return Pi4jGpio.missingChip(profile);
    }

    /**
     * The process's board, opened on first call from the system properties (see the class
     * comment).
     *
     * @throws HalException if no profile fits or the GPIO backend cannot start; the message says why
     */
    public static synchronized Board current() {
        if (current == null) current = fromSystemProperties();
        return current;
    }

    private static Board fromSystemProperties() {
        BoardProfile profile;
        try {
            BoardProfiles builtIn = BoardProfiles.builtIn();
            String file = System.getProperty("pirt.board.file");
            String id = System.getProperty("pirt.board");
            if (file != null) {
                profile = builtIn.loadFile(Path.of(file));
            } else if (id != null) {
                profile = builtIn.get(id);
            } else {
                profile = new BoardDetector(builtIn).detect(Path.of(System.getProperty("pirt.root", "/"))).profile();
            }
        } catch (ProfileException e) {
            throw new HalException("cannot tell which board this is: " + e.getMessage(), e);
        }
        Path root = Path.of(System.getProperty("pirt.root", "/"));
        return open(profile, Optional.ofNullable(System.getProperty("pirt.sim.wiring")).map(Path::of), root);
    }

    private static GpioLines backendFor(BoardProfile profile, Wiring wiring) {
        return switch (profile.gpioProvider()) {
            case "sim" -> new SimulatedGpio(profile, wiring);
            case "gpiod" -> Pi4jGpio.open(profile);
            default -> throw new HalException("board profile " + profile.id() + " names GPIO provider '" + profile.gpioProvider()
                    + "', which this pirt does not have (it has: sim, gpiod)");
        };
    }

    /** The simulated board's devices, or the kernel's under {@code root}; opening nothing yet. */
    private static Buses busesFor(BoardProfile profile, Wiring wiring, Path root) {
        return profile.gpioProvider().equals("sim") ? new SimulatedBuses(profile, wiring) : KernelBuses.open(root);
    }

    public BoardProfile profile() {
        return profile;
    }

    /**
     * Opens pin {@code nameOrAlias} (D17, LED0) in {@code mode}; it is the caller's until closed.
     *
     * <p>An LED of the kernel's LED class (the profile's {@code leds}) opens only as
     * {@link PinMode#OUTPUT}: its trigger is set to {@code none} and it starts off.
     *
     * @throws HalException if the board has no such pin (the message lists the header pins it has
     *     and how to name one in a board file),
     *     the pin cannot do GPIO, it is already open, or, for an LED-class LED, the mode is an
     *     input or its sysfs attributes cannot be used (the message names the file and what to do)
     */
    public GpioPin pin(String nameOrAlias, PinMode mode) {
        Optional<LedClassDevice> led = profile.findLed(nameOrAlias);
        if (led.isPresent()) return ledPin(led.get(), nameOrAlias, mode);
        Pin pin = profile.findPin(nameOrAlias).orElseThrow(() -> new HalException(profile.noPinNamed(nameOrAlias)));
        if (!pin.has(Capability.GPIO)) {
            throw new HalException("pin " + pin.name() + " of board " + profile.id() + " cannot be used as GPIO (it can do "
                    + pin.capabilities() + ")");
        }
        GpioPin p;
        synchronized (this) {
            PwmChannel pwm = pwmByPin.get(pin.name());
            if (pwm != null) {
                throw new HalException("pin " + pin.name() + (nameOrAlias.equals(pin.name()) ? "" : " (" + nameOrAlias + ")")
                        + " is in use by PWM channel " + pwm.name() + "; close the channel before opening the pin as GPIO");
            }
            if (open.containsKey(pin.name())) {
                throw new HalException("pin " + pin.name() + (nameOrAlias.equals(pin.name()) ? "" : " (" + nameOrAlias + ")")
                        + " is already in use as " + open.get(pin.name()).mode() + "; close it before opening it again");
            }
            p = new GpioPin(this, pin, mode);
            open.put(pin.name(), p);
        }
        try {
            lines.configure(pin, mode);
        } catch (RuntimeException e) {
            synchronized (this) {
                open.remove(pin.name());
            }
            throw ledClassInstead(pin, e);
        }
        return p;
    }

    private GpioPin ledPin(LedClassDevice device, String nameOrAlias, PinMode mode) {
        String named = nameOrAlias.equals(device.name()) ? device.name() : nameOrAlias + " (" + device.name() + ")";
        if (mode != PinMode.OUTPUT) {
            throw new HalException(named + " of board " + profile.id() + " is an LED the kernel drives through its LED class"
                    + " (/sys/class/leds/" + String.join(" or ", device.sysfsNames()) + "): it opens only as OUTPUT, not as "
                    + mode + " (an LED has no input level, pull resistor or edges)");
        }
        SysfsLed led = leds.find(device, nameOrAlias);
        GpioPin p;
        synchronized (this) {
            if (open.containsKey(device.name())) {
                throw new HalException("LED " + named + " is already in use as " + open.get(device.name()).mode()
                        + "; close it before opening it again");
            }
            p = new GpioPin(this, device.name(), led);
            open.put(device.name(), p);
        }
        try {
            leds.claim(led);
        } catch (RuntimeException e) {
            synchronized (this) {
                open.remove(device.name());
            }
            throw e;
        }
        return p;
    }

    /**
     * {@code e}, with the advice to open the LED-class LED instead when {@code pin} is the line of
     * one (held by its kernel driver, so a request fails as busy).
     */
    private RuntimeException ledClassInstead(Pin pin, RuntimeException e) {
        if (!(e instanceof HalException)) return e;
        for (LedClassDevice led : profile.leds().values()) {
            if (led.pin().equals(Optional.of(pin.name()))) {
                List<String> names = new ArrayList<>();
                profile.aliases().forEach((alias, target) -> {
                    if (target.equals(led.name())) names.add(alias);
                });
                names.add(led.name());
                return new HalException(e.getMessage() + "; this line is the LED " + led.name() + ", which pirt drives through"
                        + " the kernel's LED class (/sys/class/leds/" + String.join(" or ", led.sysfsNames())
                        + ") without taking the line from its driver: open " + String.join(" or ", names)
                        + " as OUTPUT instead", e);
            }
        }
        return e;
    }

    /** True if pin or LED {@code nameOrAlias} is open by this process. */
    public synchronized boolean isOpen(String nameOrAlias) {
        Optional<String> name = profile.findLed(nameOrAlias).map(LedClassDevice::name)
                .or(() -> profile.findPin(nameOrAlias).map(Pin::name));
        return name.map(open::containsKey).orElse(false);
    }

    /**
     * Opens I2C bus {@code name} ({@code i2c-1}). Several handles may be open on one bus.
     *
     * @throws HalException if the profile has no such bus (the message lists those it has),
     *     or it cannot be opened (missing device, no permission: the message says what to do)
     */
    public I2cBus i2c(String name) {
        I2cBusSpec spec = profile.findI2cBus(name).orElseThrow(() -> noSuch("I2C bus", name, profile.i2cBuses().keySet()));
        I2cBus bus = new I2cBus(this, spec, buses.openI2c(spec));
        synchronized (this) {
            i2cOpen.add(bus);
        }
        return bus;
    }

    /**
     * Opens SPI device {@code name} ({@code spi0.0}); it is the caller's until closed.
     *
     * @throws HalException if the profile has no such device, it is open already, or it cannot be opened
     */
    public SpiDevice spi(String name) {
        SpiDeviceSpec spec = profile.findSpiDevice(name).orElseThrow(() -> noSuch("SPI device", name, profile.spiDevices().keySet()));
        synchronized (this) {
            if (spiOpen.containsKey(spec.name())) {
                throw new HalException("SPI device " + spec.name() + " is already open; close it before opening it again");
            }
            SpiDevice device = new SpiDevice(this, spec, buses.openSpi(spec));
            spiOpen.put(spec.name(), device);
            return device;
        }
    }

    /**
     * Opens PWM channel {@code nameOrPin} ({@code PWM0}, or the pin it drives, {@code D18}):
     * off, duty 0, 1 kHz; it and its pin are the caller's until closed.
     *
     * @throws HalException if the profile has no such channel, the channel or its pin is open
     *     already, or it cannot be taken (the message says what to do)
     */
    public PwmChannel pwm(String nameOrPin) {
        String pinName = profile.findPin(nameOrPin).map(Pin::name).orElse(nameOrPin);
        PwmChannelSpec spec = profile.findPwmChannel(nameOrPin)
                .or(() -> profile.pwmChannels().values().stream().filter(c -> c.pin().equals(pinName)).findFirst())
                .orElseThrow(() -> noSuch("PWM channel", nameOrPin, profile.pwmChannels().keySet()));
        synchronized (this) {
            PwmChannel held = pwmByPin.get(spec.pin());
            if (held != null) throw new HalException("PWM channel " + spec.name() + " is already open; close it before opening it again");
            if (open.containsKey(spec.pin())) {
                throw new HalException("pin " + spec.pin() + " of PWM channel " + spec.name() + " is open as GPIO ("
                        + open.get(spec.pin()).mode() + "); close the pin before opening the channel");
            }
            PwmChannel channel = new PwmChannel(this, spec, buses.openPwm(spec));
            pwmByPin.put(spec.pin(), channel);
            return channel;
        }
    }

    private HalException noSuch(String kind, String name, Set<String> names) {
        return new HalException("board " + profile.id() + " has no " + kind + " named '" + name + "'; "
                + (names.isEmpty() ? "its profile names none (name one in a board file: docs/board-profiles.md)"
                        : "it has " + String.join(", ", names)));
    }

    /** The PWM channels open now, for the shell's {@code pwm} on a real board (BusRequests). */
    synchronized List<PwmChannel> openPwmChannels() {
        return List.copyOf(pwmByPin.values());
    }

    synchronized void released(I2cBus bus) {
        i2cOpen.remove(bus);
    }

    synchronized void released(SpiDevice device) {
        spiOpen.remove(device.name(), device);
    }

    synchronized void released(PwmChannel channel) {
        pwmByPin.remove(channel.pin(), channel);
    }

    GpioLines lines() {
        return lines;
    }

    /** The simulated board's I2C, SPI and PWM devices, to set a temperature or read a PWM timeline; empty on a real board. */
    public Optional<SimulatedBuses> simulatedBuses() {
        return buses instanceof SimulatedBuses sim ? Optional.of(sim) : Optional.empty();
    }

    /** The simulated board's GPIO, to press its buttons and look at its LEDs; empty on a real board. */
    public java.util.Optional<SimulatedGpio> simulation() {
        return lines instanceof SimulatedGpio sim ? java.util.Optional.of(sim) : java.util.Optional.empty();
    }

    void release(GpioPin p, Pin pin) {
        synchronized (this) {
            if (open.get(pin.name()) != p) return;
            open.remove(pin.name());
        }
        lines.release(pin);
    }

    /** The LED goes back to its trigger before its name is free again, so a new claim saves that trigger, not none. */
    void release(GpioPin p, SysfsLed led) {
        try {
            leds.release(led);
        } finally {
            synchronized (this) {
                if (open.get(p.name()) == p) open.remove(p.name());
            }
        }
    }

    /**
     * Closes every open pin, bus and channel, the backends and the LED class (every LED gets its trigger
     * back).
     *
     * @throws HalException the first failure, after trying everything; the others are suppressed
     */
    @Override
    public void close() {
        List<AutoCloseable> held = new ArrayList<>();
        synchronized (this) {
            held.addAll(open.values());
            held.addAll(pwmByPin.values());
            held.addAll(spiOpen.values());
            held.addAll(i2cOpen);
        }
        HalException first = null;
        for (AutoCloseable c : held) {
            try {
                c.close();
            } catch (HalException e) {
                first = firstOf(first, e);
            } catch (Exception e) {
                first = firstOf(first, new HalException("closing " + c + " failed: " + e, e));
            }
        }
        try {
            lines.close();
        } catch (HalException e) {
            first = firstOf(first, e);
        }
        try {
            buses.close();
        } catch (HalException e) {
            first = firstOf(first, e);
        }
        try {
            leds.close();
        } catch (HalException e) {
            first = firstOf(first, e);
        }
        synchronized (Board.class) {
            if (current == this) current = null;
        }
        if (first != null) throw first;
    }

    private static HalException firstOf(HalException first, HalException next) {
        if (first == null) return next;
        first.addSuppressed(next);
        return first;
    }
}
