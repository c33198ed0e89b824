package io.pirt.hal;

import io.pirt.boards.I2cBusSpec;
import io.pirt.boards.PwmChannelSpec;
import io.pirt.boards.SpiDeviceSpec;

/**
 * The I2C buses, SPI devices and PWM channels of one board, as a backend opens them: the
 * simulated board's devices ({@code io.pirt.hal.sim}), or the kernel's interfaces on a real
 * board ({@code /dev/i2c-N}, {@code /dev/spidevB.C}, {@code /sys/class/pwm}). Applications do
 * not use this: they use {@link I2cBus}, {@link SpiDevice} and {@link PwmChannel} from
 * {@link Board}, which check names, arguments and who holds a pin.
 *
 * <p>Implementations are thread-safe. Errors are {@link HalException}s that name the bus or
 * channel (and the device address), say what the kernel or the simulation said, and what to do.
 */
public interface Buses extends AutoCloseable {
    /** Opens I2C bus {@code bus}. @throws HalException if it cannot be opened (missing, no permission) */
    I2cTransfers openI2c(I2cBusSpec bus);

    /** Opens SPI device {@code device}, in mode 0, 8 bits per word, {@link SpiDevice#DEFAULT_SPEED_HZ}. */
    SpiTransfers openSpi(SpiDeviceSpec device);

    /** Takes PWM channel {@code channel}: disabled, duty 0, period {@link PwmChannel#DEFAULT_PERIOD_NS}. */
    PwmOutput openPwm(PwmChannelSpec channel);

    /** Frees whatever the backend itself holds (what it opened is closed by its owners first). */
    @Override
    void close();

    /** One opened I2C bus. Thread-safe: a transaction is atomic with respect to others on the same object. */
    interface I2cTransfers extends AutoCloseable {
        /**
         * One transaction with the device at 7-bit {@code address}: writes every byte of
         * {@code write} (none if empty), then, after a repeated start, reads
         * {@code read.length} bytes into {@code read} (none if empty). At least one is non-empty.
         *
         * @param timeoutMs how long the bus may take before the transaction fails; positive
         * @throws HalException naming the bus and address: no device answered (NACK), the bus
         *     timed out or is busy, the transfer failed; with what to check
         */
        void transfer(int address, byte[] write, byte[] read, long timeoutMs);

        @Override
        void close();
    }

    /** One opened SPI device (a chip select). Thread-safe. */
    interface SpiTransfers extends AutoCloseable {
        /**
         * Sets the clock mode (0 to 3: CPOL and CPHA), the word size and the clock speed for
         * the following transfers.
         *
         * @throws HalException if the kernel refuses a setting (the message names it)
         */
        void configure(int mode, int bitsPerWord, int speedHz);

        /** One full-duplex transfer under one chip select: sends {@code tx}, fills {@code rx} (same length). */
        void transfer(byte[] tx, byte[] rx);

        @Override
        void close();
    }

    /** One taken PWM channel. Thread-safe. */
    interface PwmOutput extends AutoCloseable {
        /**
         * Sets the output: a period, a duty (the active time in each period,
         * {@code 0 <= dutyNs <= periodNs}) and whether it runs; changes the kernel's values in
         * an order it accepts (a period below the current duty takes the duty down first).
         */
        void set(long periodNs, long dutyNs, boolean enabled);

        /** Stops the output and gives the channel back. */
        @Override
        void close();
    }
}
