package io.pirt.hal;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code i2c}, {@code spi} or {@code pwm} command of the runtime's shell, parsed: set the
 * temperature of a simulated TMP102, set an input voltage of a simulated MCP3008, or look at
 * the PWM channels. The one grammar for them: the runtime's shell parses a command line with
 * it, and an application's process parses the same line when the runtime forwards it there
 * (while an application runs, the board's devices are in its process); {@link BusRequests}
 * carries it out. Immutable.
 */
public sealed interface BusRequest {
    /** The grammar of each command, for a usage message. */
    String I2C_USAGE = "i2c temperature BUS ADDRESS CELSIUS";
    String SPI_USAGE = "spi voltage DEVICE CHANNEL VOLTS";
    String PWM_USAGE = "pwm [CHANNEL]";

    /**
     * {@code i2c temperature BUS ADDRESS CELSIUS}: the temperature around the simulated TMP102 at
     * {@code address} on {@code bus}.
     *
     * @param address a 7-bit address, 0x00 to 0x7f
     * @param celsius a finite temperature (the sensor checks its range)
     */
    record SetTemperature(String bus, int address, double celsius) implements BusRequest {
        public SetTemperature {
            Objects.requireNonNull(bus, "bus");
            if (address < 0 || address > 0x7F) throw new IllegalArgumentException("I2C address " + address + " is not 7-bit");
            if (!Double.isFinite(celsius)) throw new IllegalArgumentException("a temperature is a finite number, not " + celsius);
        }

        @Override
        public String commandLine() {
            return "i2c temperature " + bus + " " + I2cBus.formatAddress(address) + " " + celsius;
        }
    }

    /**
     * {@code spi voltage DEVICE CHANNEL VOLTS}: the voltage on input {@code channel} of the
     * simulated MCP3008 on SPI device {@code device}.
     *
     * @param channel 0 or more (the converter checks its inputs)
     * @param volts   a finite voltage (the converter checks it against its reference)
     */
    record SetVoltage(String device, int channel, double volts) implements BusRequest {
        public SetVoltage {
            Objects.requireNonNull(device, "device");
            if (channel < 0) throw new IllegalArgumentException("a channel is 0 or more, not " + channel);
            if (!Double.isFinite(volts)) throw new IllegalArgumentException("a voltage is a finite number, not " + volts);
        }

        @Override
        public String commandLine() {
            return "spi voltage " + device + " " + channel + " " + volts;
        }
    }

    /**
     * {@code pwm [CHANNEL]}: the PWM channels' state, or one channel's ({@code PWM0} or its pin).
     *
     * @param channel the channel or pin, or empty for all
     */
    record ReadPwm(Optional<String> channel) implements BusRequest {
        public ReadPwm {
            Objects.requireNonNull(channel, "channel");
        }

        @Override
        public String commandLine() {
            return "pwm" + channel.map(c -> " " + c).orElse("");
        }
    }

    /** The command line that {@link #parse} reads back as this request, e.g. {@code i2c temperature i2c-1 0x48 31.5}. */
    String commandLine();

    /** The usage of command {@code i2c}, {@code spi} or {@code pwm}. */
    static String usage(String command) {
        return switch (command) {
            case "i2c" -> I2C_USAGE;
            case "spi" -> SPI_USAGE;
            case "pwm" -> PWM_USAGE;
            default -> throw new IllegalArgumentException("'" + command + "' is not an i2c, spi or pwm command");
        };
    }

    /**
     * Parses a command line already split into words, {@code words[0]} being {@code i2c},
     * {@code spi} or {@code pwm}. An address is hex ({@code 0x48}) or decimal; numbers are
     * written with a point ({@code 31.5}).
     *
     * @return the request, or empty if the words do not follow the command's usage
     */
    static Optional<BusRequest> parse(String[] words) {
        if (words.length == 0) return Optional.empty();
        try {
            return switch (words[0]) {
                case "i2c" -> words.length == 5 && words[1].equals("temperature")
                        ? Optional.of(new SetTemperature(words[2], address(words[3]), Double.parseDouble(words[4])))
                        : Optional.empty();
                case "spi" -> words.length == 5 && words[1].equals("voltage")
                        ? Optional.of(new SetVoltage(words[2], Integer.parseInt(words[3]), Double.parseDouble(words[4])))
                        : Optional.empty();
                case "pwm" -> words.length <= 2 ? Optional.of(new ReadPwm(words.length == 2 ? Optional.of(words[1]) : Optional.empty()))
                        : Optional.empty();
                default -> Optional.empty();
            };
        } catch (IllegalArgumentException e) { // NumberFormatException among them: not the grammar's number
            return Optional.empty();
        }
    }

    private static int address(String word) {
        return word.startsWith("0x") || word.startsWith("0X") ? Integer.parseInt(word.substring(2), 16) : Integer.parseInt(word);
    }
}
