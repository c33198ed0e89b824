package io.pirt.boardtest;

import io.pirt.boards.BoardProfile;
import io.pirt.hal.Board;
import io.pirt.hal.BusRequest;
import io.pirt.hal.Supervisor;
import io.pirt.hal.sim.PwmState;
import io.pirt.hal.sim.SimulatedBuses;
import org.opentest4j.TestAbortedException;

/**
 * What a test running on the board may use besides its own code: the board it runs on, its
 * profile, and the host side of the rig, which can act on the board from outside (press a
 * simulated button, set a simulated sensor); and the simulated board's PWM outputs, which it
 * reads itself. The same test runs on the host against the simulated board
 * ({@code Board.current()} outside a runtime), where there is no host to ask: such steps are
 * then skipped (the test is aborted with the reason), as they are on a rig that cannot do
 * them. Thread-safe.
 */
public final class TestRig {
    /** How long {@link #askHost(String)} waits for the host by default. */
    public static final long DEFAULT_HOST_TIMEOUT_MS = 10_000;

    private TestRig() {
    }

    /** The board the test runs on ({@link Board#current()}). */
    public static Board board() {
        return Board.current();
    }

    /** The board's profile: pins, UARTs, LEDs, real-time settings. */
    public static BoardProfile profile() {
        return Board.current().profile();
    }

    /**
     * Asks the host to act on the board, e.g. {@code "press BTN0"}, {@code "release BTN0"},
     * {@code "set D22 1"}, {@code "i2c temperature i2c-1 0x48 31.5"} (the shell's {@code i2c},
     * {@code spi} and {@code pwm} commands), and waits until it has.
     *
     * @return the host's answer
     * @throws TestAbortedException if there is no host to ask, or the rig cannot do it (the
     *     test is reported skipped, with the reason)
     * @throws io.pirt.hal.HalException if the host tried and failed or did not answer in time
     */
    public static String askHost(String action) {
        return askHost(action, DEFAULT_HOST_TIMEOUT_MS);
    }

    /** {@link #askHost(String)} with a timeout of its own. */
    public static String askHost(String action, long timeoutMs) {
        try {
            return Supervisor.askHost(action, timeoutMs);
        } catch (UnsupportedOperationException e) {
            throw new TestAbortedException("this rig cannot '" + action + "': " + e.getMessage(), e);
        }
    }

    /**
     * Asks the host to set the temperature around the TMP102 at {@code address} on I2C bus
     * {@code bus} of the simulated board ({@code i2c temperature BUS ADDRESS CELSIUS}, as the
     * shell takes it), and waits until it has; the sensor's temperature register has it from then.
     *
     * @param address  the sensor's 7-bit address, {@code 0x48} to {@code 0x4b}
     * @param celsius  -55 to 150 °C, the sensor's range
     * @return the host's answer
     * @throws TestAbortedException if there is no host to ask, or the board is not simulated (a
     *     real sensor measures the real temperature): the test is skipped with the reason
     * @throws io.pirt.hal.HalException if the board refused (no TMP102 wired there, a
     *     temperature out of range: the message says which) or the host did not answer in time
     * @throws IllegalArgumentException if {@code address} is not a 7-bit address or {@code celsius} is not finite
     */
    public static String setTemperature(String bus, int address, double celsius) {
        return askHost(new BusRequest.SetTemperature(bus, address, celsius).commandLine());
    }

    /**
     * Asks the host to set the voltage on input {@code channel} of the MCP3008 on SPI device
     * {@code device} of the simulated board ({@code spi voltage DEVICE CHANNEL VOLTS}), and waits
     * until it has; the converter's next conversion of that input reads it.
     *
     * @param channel 0 to 7
     * @param volts   0 to the converter's reference (the wiring file's, 3.3 V by default)
     * @return the host's answer
     * @throws TestAbortedException if there is no host to ask, or the board is not simulated
     * @throws io.pirt.hal.HalException if the board refused (no MCP3008 wired there, a channel
     *     or voltage out of range) or the host did not answer in time
     * @throws IllegalArgumentException if {@code channel} is negative or {@code volts} is not finite
     */
    public static String setVoltage(String device, int channel, double volts) {
        return askHost(new BusRequest.SetVoltage(device, channel, volts).commandLine());
    }

    /**
     * PWM channel {@code nameOrPin} ({@code PWM0}, or its pin {@code D18}) of the simulated
     * board as it is now: period, duty, on or off, and its last changes with their
     * {@code System.nanoTime()} (this process's clock: the test runs where the board's devices
     * are, so it reads them directly, without the host).
     *
     * @throws TestAbortedException on a board that is not simulated, which records no timeline
     * @throws io.pirt.hal.HalException if the profile has no such channel (the message lists those it has)
     */
    public static PwmState pwm(String nameOrPin) {
        SimulatedBuses sim = Board.current().simulatedBuses().orElseThrow(() -> new TestAbortedException(
                "this rig cannot look at PWM channel " + nameOrPin + ": only the simulated board records its PWM outputs"));
        return sim.pwm(nameOrPin);
    }
}
