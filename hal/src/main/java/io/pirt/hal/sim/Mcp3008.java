package io.pirt.hal.sim;

/**
 * An MCP3008 analog-to-digital converter on a simulated SPI chip select, modelled after its
 * datasheet (Microchip DS21295): eight inputs, 10 bits, a reference voltage. Not thread-safe:
 * the {@link SimulatedBuses} that holds it calls it with its lock held.
 *
 * <p>Implementation notes. One {@link #transfer} is one conversion under one chip select, read
 * as a stream of bits, most significant bit of each byte first (the datasheet's section 5 and
 * figures 5-1, 5-2): the first 1 on DIN is the start bit; the next four are SGL/DIFF, D2, D1,
 * D0; one clock samples; then DOUT sends a null bit (0), the result's 10 bits MSB first, the
 * same bits again LSB first (B1 to B9: B0 is shared), and zeros after that. Before the null
 * bit DOUT is high-impedance, and so is all of it when the transfer ends before D0: those bits
 * read 0, as a Raspberry Pi reads its MISO line (GPIO 9) that nothing drives, through its
 * default pull-down. So the usual exchange {@code 0x01, 0x80 | channel << 4, 0x00} gets the
 * result in {@code (rx[1] & 3) << 8 | rx[2]}.
 *
 * <p>The result is the datasheet's {@code 1024 * VIN / VREF}, rounded down, at most 1023
 * (3FFh from {@code VREF - 1 LSB} up). Single-ended, VIN is the channel's voltage; pseudo-
 * differential (SGL/DIFF 0), D2 D1 pick the pair (CH0/CH1 ... CH6/CH7) and D0 which of the two
 * is IN-, VIN is IN+ minus IN- and a negative one reads 0. The chip answers in SPI modes 0
 * and 3 only (its "modes 0,0 and 1,1"); a transfer in mode 1 or 2 fails, where a real chip
 * would return garbage. The clock speed is not modelled.
 */
final class Mcp3008 {
    static final int CHANNELS = 8;
    /** The reference voltages it is specified for (VREF 0.25 V to VDD, VDD at most 5.5 V). */
    static final double MIN_VREF_VOLTS = 0.25;
    static final double MAX_VREF_VOLTS = 5.5;
    /** Bits of the stream after the start bit: SGL/DIFF, D2, D1, D0, sample, null, 10 MSB first, 9 LSB first. */
    private static final int CONTROL_BITS = 4;
    private static final int FIRST_DATA_BIT = CONTROL_BITS + 3;
    private static final int LAST_DATA_BIT = FIRST_DATA_BIT + 10 + 9 - 1;
    /** Absorbs a conversion's floating-point error just below a code boundary (1.65 / 3.3 * 1024 is 512). */
    private static final double CODE_EPSILON = 1e-9;

    private final double vrefVolts;
    /** Each input's voltage, 0 to vrefVolts. */
    private final double[] volts = new double[CHANNELS];

    /** @throws IllegalArgumentException if {@code vrefVolts} is outside {@value #MIN_VREF_VOLTS} to {@value #MAX_VREF_VOLTS} V */
    Mcp3008(double vrefVolts) {
        if (!(vrefVolts >= MIN_VREF_VOLTS && vrefVolts <= MAX_VREF_VOLTS)) {
            throw new IllegalArgumentException("an MCP3008's reference is " + MIN_VREF_VOLTS + " to " + MAX_VREF_VOLTS + " V, not " + vrefVolts);
        }
        this.vrefVolts = vrefVolts;
    }

    double vrefVolts() {
        return vrefVolts;
    }

    /**
     * Sets input {@code channel}'s voltage.
     *
     * @throws IllegalArgumentException for a channel outside 0 to 7 or a voltage outside 0 to the reference
     */
    void setVoltage(int channel, double v) {
        if (channel < 0 || channel >= CHANNELS) throw new IllegalArgumentException("an MCP3008 has channels 0 to 7, not " + channel);
        if (!(v >= 0 && v <= vrefVolts)) {
            throw new IllegalArgumentException("an MCP3008 with a " + vrefVolts + " V reference converts 0 to " + vrefVolts + " V, not " + v + " V");
        }
        volts[channel] = v;
    }

    double voltage(int channel) {
        return volts[channel];
    }

    /**
     * One conversion: reads the command from {@code tx} and puts what DOUT sends meanwhile into
     * {@code rx} (same length).
     *
     * @param mode the SPI mode the transfer is made in
     * @throws IllegalArgumentException in SPI mode 1 or 2, which the chip does not speak
     */
    void transfer(int mode, byte[] tx, byte[] rx) {
        if (mode == 1 || mode == 2) {
            throw new IllegalArgumentException("an MCP3008 speaks SPI modes 0 and 3 only (its datasheet's 0,0 and 1,1), not mode " + mode
                    + "; a real one would return garbage: configure the device in mode 0");
        }
        java.util.Arrays.fill(rx, (byte) 0);
        int bitCount = tx.length * 8;
        int start = -1;
        int command = 0;
        int result = 0;
        for (int i = 0; i < bitCount; i++) {
            if (start < 0) {
                if (bit(tx, i)) start = i;
                continue;
            }
            int after = i - start; // 1 is SGL/DIFF
            if (after <= CONTROL_BITS) {
                command = command << 1 | (bit(tx, i) ? 1 : 0);
                if (after == CONTROL_BITS) result = convert(command);
            } else if (after >= FIRST_DATA_BIT && after <= LAST_DATA_BIT) {
                int n = after - FIRST_DATA_BIT; // 0..9: B9..B0; 10..18: B1..B9
                int b = n < 10 ? 9 - n : n - 9;
                if ((result >> b & 1) != 0) rx[i / 8] |= (byte) (0x80 >> (i % 8));
            }
        }
    }

    /** The result for {@code command}: SGL/DIFF, D2, D1, D0 as bits 3..0. */
    private int convert(int command) {
        int select = command & 7;
        double vin;
        if ((command & 8) != 0) {
            vin = volts[select];
        } else {
            int pair = select & 6; // CH0/CH1, CH2/CH3, ...
            boolean firstIsMinus = (select & 1) != 0;
            vin = firstIsMinus ? volts[pair + 1] - volts[pair] : volts[pair] - volts[pair + 1];
        }
        if (vin <= 0) return 0;
        return (int) Math.min(1023, Math.floor(1024 * vin / vrefVolts + CODE_EPSILON));
    }

    private static boolean bit(byte[] bytes, int i) {
        return (bytes[i / 8] & (0x80 >> (i % 8))) != 0;
    }
}
