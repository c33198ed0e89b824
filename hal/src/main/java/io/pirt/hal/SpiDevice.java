package io.pirt.hal;

import io.pirt.boards.SpiDeviceSpec;

/**
 * One SPI device of the board (a chip select on a bus), by its profile name
 * ({@code spi0.0}), opened with {@link Board#spi(String)}: full-duplex transfers in a clock
 * mode, word size and speed. On a Raspberry Pi it is the kernel's {@code /dev/spidevB.C}
 * ({@code SPI_IOC_MESSAGE}); on the simulated board, the device its wiring file puts there
 * (docs/hal.md). It opens in mode 0, 8 bits per word, at {@link #DEFAULT_SPEED_HZ}.
 *
 * <p>One process holds a device at a time: it is the caller's until closed. Thread-safe: a
 * transfer and a {@link #configure} do not interleave.
 */
public final class SpiDevice implements AutoCloseable {
    /** The clock speed a device opens with: slow enough for any SPI chip on a breadboard. */
    public static final int DEFAULT_SPEED_HZ = 1_000_000;

    private final Board board;
    private final SpiDeviceSpec spec;
    private final Buses.SpiTransfers transfers;
    /** The settings the device has now. Guarded by this. */
    private int mode;
    private int bitsPerWord = 8;
    private int speedHz = DEFAULT_SPEED_HZ;
    private volatile boolean closed;

    SpiDevice(Board board, SpiDeviceSpec spec, Buses.SpiTransfers transfers) {
        this.board = board;
        this.spec = spec;
        this.transfers = transfers;
    }

    /** The device's name in the board profile ({@code spi0.0}). */
    public String name() {
        return spec.name();
    }

    /**
     * Sets the clock mode, word size and clock speed of the following transfers.
     *
     * @param mode        0 to 3: CPOL (clock idles high) times 2, plus CPHA (data on the second edge)
     * @param bitsPerWord 1 to 32; 8 for almost every chip
     * @param speedHz     the clock's maximum speed, positive; the controller rounds it down to one it can make
     * @throws IllegalArgumentException if a value is out of range
     * @throws HalException if the kernel refuses it
     */
    public synchronized void configure(int mode, int bitsPerWord, int speedHz) {
        checkOpen();
        if (mode < 0 || mode > 3) throw new IllegalArgumentException("SPI mode is 0 to 3 (CPOL*2 + CPHA), not " + mode);
        if (bitsPerWord < 1 || bitsPerWord > 32) throw new IllegalArgumentException("SPI bits per word are 1 to 32, not " + bitsPerWord);
        if (speedHz <= 0) throw new IllegalArgumentException("SPI speed must be positive, not " + speedHz + " Hz");
        transfers.configure(mode, bitsPerWord, speedHz);
        this.mode = mode;
        this.bitsPerWord = bitsPerWord;
        this.speedHz = speedHz;
    }

    /** The clock mode, 0 to 3. */
    public synchronized int mode() {
        return mode;
    }

    public synchronized int bitsPerWord() {
        return bitsPerWord;
    }

    public synchronized int speedHz() {
        return speedHz;
    }

    /** Sends {@code tx} and returns the bytes received meanwhile (as many), under one chip select. */
    public byte[] transfer(byte... tx) {
        byte[] rx = new byte[tx.length];
        transfer(tx, rx);
        return rx;
    }

    /**
     * {@link #transfer(byte...)} into a buffer of the caller's, allocating nothing.
     *
     * @throws IllegalArgumentException if the lengths differ or are 0
     * @throws HalException if the transfer fails; the message names the device
     */
    public synchronized void transfer(byte[] tx, byte[] rx) {
        checkOpen();
        if (tx.length == 0) throw new IllegalArgumentException("an SPI transfer sends at least one byte");
        if (rx.length != tx.length) {
            throw new IllegalArgumentException("an SPI transfer receives as many bytes as it sends: " + tx.length + " sent, room for " + rx.length);
        }
        transfers.transfer(tx, rx);
    }

    /** Sends {@code tx}, ignoring what comes back. */
    public void write(byte... tx) {
        transfer(tx);
    }

    private void checkOpen() {
        if (closed) throw new HalException("SPI device " + spec.name() + " was closed; open it again with Board.spi()");
    }

    /** Gives the device back; it can then be opened again. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        try {
            transfers.close();
        } finally {
            board.released(this);
        }
    }

    @Override
    public String toString() {
        return "SpiDevice[" + spec.name() + ", " + spec.device() + "]";
    }
}
