package io.pirt.hal.sim;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.I2cBusSpec;
import io.pirt.boards.Pin;
import io.pirt.boards.PwmChannelSpec;
import io.pirt.boards.SpiDeviceSpec;
import io.pirt.hal.Buses;
import io.pirt.hal.HalException;
import io.pirt.hal.I2cBus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated board's I2C buses, SPI devices and PWM channels: the devices its
 * {@link Wiring} puts on them (a TMP102 temperature sensor, an MCP3008 ADC), each modelled
 * after its datasheet, and every PWM channel of the profile, each recording its changes in a
 * timeline of the last {@value #PWM_TIMELINE_CAPACITY}. {@link #setTemperature},
 * {@link #setVoltage} and {@link #pwm} let a shell or a test act on the devices from outside
 * (docs/hal.md, "The simulated board's I2C, SPI and PWM devices").
 *
 * <p>What a real board would do is done here too: a transaction to an address where nothing is
 * wired fails as the kernel's does (no device answered); an SPI transfer on a device where
 * nothing is wired reads 0 bytes (MISO floats, and a Raspberry Pi pulls GPIO 9 down); the
 * SPI word size is 8 bits, the only one the Pi's controllers take. Transfers take no time,
 * so the timeouts are never reached.
 *
 * <p>Thread-safe: one lock orders every transaction, change and look, so a transaction sees a
 * temperature or voltage set before it and none set during it. A PWM change allocates nothing.
 */
public final class SimulatedBuses implements Buses {
    /** How many changes each PWM channel's timeline keeps; older ones are counted, not kept. */
    public static final int PWM_TIMELINE_CAPACITY = 1000;
    /** The one word size a Raspberry Pi's SPI controllers (spi-bcm2835, spi-bcm2835aux) take. */
    private static final int SPI_BITS_PER_WORD = 8;

    private final BoardProfile profile;
    /** Bus name to (address to sensor), as wired; fixed at construction. The sensors' state is guarded by this. */
    private final Map<String, Map<Integer, Tmp102>> tmp102s = new LinkedHashMap<>();
    /** SPI device name to ADC, as wired; fixed at construction. The ADCs' state is guarded by this. */
    private final Map<String, Mcp3008> mcp3008s = new LinkedHashMap<>();
    /** One per PWM channel of the profile, by channel name; fixed at construction. Their state is guarded by this. */
    private final Map<String, PwmTimeline> pwm = new LinkedHashMap<>();

    /** The devices {@code wiring} puts on {@code profile}'s buses (Wiring has checked they exist there). */
    public SimulatedBuses(BoardProfile profile, Wiring wiring) {
        this.profile = profile;
        wiring.tmp102s.forEach((bus, addresses) -> {
            Map<Integer, Tmp102> sensors = new TreeMap<>();
            for (int address : addresses) sensors.put(address, new Tmp102());
            tmp102s.put(bus, sensors);
        });
        wiring.mcp3008s.forEach((device, vref) -> mcp3008s.put(device, new Mcp3008(vref)));
        for (PwmChannelSpec c : profile.pwmChannels().values()) pwm.put(c.name(), new PwmTimeline(c, PWM_TIMELINE_CAPACITY));
    }

    @Override
    public I2cTransfers openI2c(I2cBusSpec bus) {
        Map<Integer, Tmp102> sensors = tmp102s.getOrDefault(bus.name(), Map.of());
        return new I2cTransfers() {
            private volatile boolean closed;

            @Override
            public void transfer(int address, byte[] write, byte[] read, long timeoutMs) {
                if (closed) throw new HalException(bus.name() + " was closed");
                synchronized (SimulatedBuses.this) {
                    Tmp102 sensor = sensors.get(address);
                    if (sensor == null) {
                        throw new HalException(bus.name() + ": no device answered at address " + I2cBus.formatAddress(address)
                                + " (the simulated board's wiring puts " + (sensors.isEmpty() ? "nothing on this bus"
                                : "a TMP102 at " + String.join(", ", sensors.keySet().stream().map(I2cBus::formatAddress).toList()))
                                + "; a line 'tmp102 " + bus.name() + " ADDRESS' in the wiring file adds one)");
                    }
                    sensor.transfer(write, read);
                }
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    @Override
    public SpiTransfers openSpi(SpiDeviceSpec device) {
        Mcp3008 adc = mcp3008s.get(device.name());
        return new SpiTransfers() {
            /** The clock mode of the following transfers. Guarded by SimulatedBuses.this. */
            private int mode;
            private volatile boolean closed;

            @Override
            public void configure(int mode, int bitsPerWord, int speedHz) {
                if (bitsPerWord != SPI_BITS_PER_WORD) {
                    throw new HalException(device.name() + ": " + bitsPerWord + " bits per word: a Raspberry Pi's SPI controllers take "
                            + "8-bit words only (its kernel refuses others), and so does the simulated board; send 8-bit words");
                }
                synchronized (SimulatedBuses.this) {
                    this.mode = mode;
                }
            }

            @Override
            public void transfer(byte[] tx, byte[] rx) {
                if (closed) throw new HalException(device.name() + " was closed");
                synchronized (SimulatedBuses.this) {
                    if (adc == null) {
                        java.util.Arrays.fill(rx, (byte) 0); // nothing drives MISO: the Pi's pull-down on GPIO 9
                        return;
                    }
                    try {
                        adc.transfer(mode, tx, rx);
                    } catch (IllegalArgumentException e) {
                        throw new HalException(device.name() + ": " + e.getMessage(), e);
                    }
                }
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    @Override
    public PwmOutput openPwm(PwmChannelSpec channel) {
        PwmTimeline timeline = pwm.get(channel.name());
        if (timeline == null) throw new HalException("the simulated board has no PWM channel " + channel.name() + "; it has " + pwm.keySet());
        synchronized (this) {
            if (timeline.isOpen()) throw new HalException("PWM channel " + channel.name() + " is taken; close it before taking it again");
            timeline.open();
        }
        return new PwmOutput() {
            /** Guarded by SimulatedBuses.this. */
            private boolean closed;

            @Override
            public void set(long periodNs, long dutyNs, boolean enabled) {
                synchronized (SimulatedBuses.this) {
                    if (closed) throw new HalException("PWM channel " + channel.name() + " was closed");
                    timeline.set(periodNs, dutyNs, enabled);
                }
            }

            @Override
            public void close() {
                synchronized (SimulatedBuses.this) {
                    if (closed) return;
                    closed = true;
                    timeline.close();
                }
            }
        };
    }

    @Override
    public void close() {
        // Nothing of its own to free: its owners close what they opened.
    }

    /**
     * Sets the temperature around the TMP102 at {@code address} on {@code bus}; the sensor's
     * temperature register has it at its next conversion (at once, unless it is in shutdown).
     *
     * @throws HalException if no TMP102 is wired there (the message lists those that are)
     * @throws IllegalArgumentException if {@code celsius} is outside the sensor's range, -55 to 150 °C
     */
    public synchronized void setTemperature(String bus, int address, double celsius) {
        Tmp102 sensor = tmp102s.getOrDefault(bus, Map.of()).get(address);
        if (sensor == null) throw new HalException("no TMP102 is wired at " + I2cBus.formatAddress(address) + " on " + bus + "; " + wired());
        sensor.setTemperature(celsius);
    }

    /**
     * The temperature set around the TMP102 at {@code address} on {@code bus}.
     *
     * @throws HalException if no TMP102 is wired there
     */
    public synchronized double temperature(String bus, int address) {
        Tmp102 sensor = tmp102s.getOrDefault(bus, Map.of()).get(address);
        if (sensor == null) throw new HalException("no TMP102 is wired at " + I2cBus.formatAddress(address) + " on " + bus + "; " + wired());
        return sensor.temperatureCelsius();
    }

    /**
     * Sets the voltage on input {@code channel} of the MCP3008 on SPI device {@code device}; the
     * next conversion of that input reads it.
     *
     * @throws HalException if no MCP3008 is wired there (the message lists what is)
     * @throws IllegalArgumentException for a channel outside 0 to 7 or a voltage outside 0 to its reference
     */
    public synchronized void setVoltage(String device, int channel, double volts) {
        adc(device).setVoltage(channel, volts);
    }

    /**
     * The voltage set on input {@code channel} of the MCP3008 on {@code device}.
     *
     * @throws HalException if no MCP3008 is wired there
     * @throws IllegalArgumentException for a channel outside 0 to 7
     */
    public synchronized double voltage(String device, int channel) {
        Mcp3008 adc = adc(device);
        if (channel < 0 || channel >= Mcp3008.CHANNELS) throw new IllegalArgumentException("an MCP3008 has channels 0 to 7, not " + channel);
        return adc.voltage(channel);
    }

    private Mcp3008 adc(String device) {
        Mcp3008 adc = mcp3008s.get(device);
        if (adc == null) throw new HalException("no MCP3008 is wired on " + device + "; " + wired());
        return adc;
    }

    /**
     * PWM channel {@code nameOrPin} ({@code PWM0}, or the pin it drives: {@code D18} or an alias)
     * now, with its timeline.
     *
     * @throws HalException if the profile has no such channel (the message lists those it has)
     */
    public synchronized PwmState pwm(String nameOrPin) {
        PwmTimeline t = pwm.get(nameOrPin);
        if (t == null) {
            String pin = profile.findPin(nameOrPin).map(Pin::name).orElse(nameOrPin);
            for (PwmChannelSpec c : profile.pwmChannels().values()) if (c.pin().equals(pin)) t = pwm.get(c.name());
        }
        if (t == null) {
            throw new HalException("board " + profile.id() + " has no PWM channel '" + nameOrPin + "'; "
                    + (pwm.isEmpty() ? "its profile names none" : "it has " + String.join(", ", pwm.keySet())));
        }
        return t.state();
    }

    /** Every PWM channel of the profile now, in profile order. */
    public synchronized List<PwmState> pwmStates() {
        List<PwmState> states = new ArrayList<>(pwm.size());
        for (PwmTimeline t : pwm.values()) states.add(t.state());
        return states;
    }

    /** What the wiring puts on the buses, for a message about a device that is not there. Caller holds this. */
    private String wired() {
        List<String> devices = new ArrayList<>();
        tmp102s.forEach((bus, sensors) -> sensors.keySet().forEach(a -> devices.add("a TMP102 at " + I2cBus.formatAddress(a) + " on " + bus)));
        mcp3008s.forEach((device, adc) -> devices.add("an MCP3008 on " + device));
        return devices.isEmpty() ? "the wiring puts no device on the buses (docs/hal.md: tmp102 and mcp3008 lines)"
                : "the wiring has " + String.join(", ", devices);
    }
}
