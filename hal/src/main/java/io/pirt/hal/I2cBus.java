package io.pirt.hal;

import io.pirt.boards.I2cBusSpec;

/**
 * One I2C bus of the board, by its profile name ({@code i2c-1}), opened with
 * {@link Board#i2c(String)}: writes, reads and write-then-read transactions with the devices
 * on it, by 7-bit address, and the register shorthands most sensors need. On a Raspberry Pi
 * it is the kernel's {@code /dev/i2c-N} ({@code I2C_RDWR}); on the simulated board, the
 * devices its wiring file puts on the bus (docs/hal.md).
 *
 * <p>Each call is one transaction: a write-then-read holds the bus between its two halves
 * (a repeated start), which is what register reads need. Every call has a timeout: the bus's
 * {@link #DEFAULT_TIMEOUT_MS} unless the call names one. Errors are {@link HalException}s
 * that name the bus, the address and what the kernel said (no device answered, the bus timed
 * out, no permission and the group to join). Several {@code I2cBus} objects may be open on one
 * bus (each driver its own). Thread-safe.
 */
public final class I2cBus implements AutoCloseable {
    /** The timeout of a call that names none: long enough for any transfer at 100 kHz. */
    public static final long DEFAULT_TIMEOUT_MS = 1000;
    private static final byte[] NONE = new byte[0];

    private final Board board;
    private final I2cBusSpec spec;
    private final Buses.I2cTransfers transfers;
    private volatile boolean closed;

    I2cBus(Board board, I2cBusSpec spec, Buses.I2cTransfers transfers) {
        this.board = board;
        this.spec = spec;
        this.transfers = transfers;
    }

    /** The bus's name in the board profile ({@code i2c-1}). */
    public String name() {
        return spec.name();
    }

    /** Writes {@code data} to the device at {@code address}. */
    public void write(int address, byte... data) {
        write(address, data, DEFAULT_TIMEOUT_MS);
    }

    /** {@link #write(int, byte...)} with a timeout of its own. */
    public void write(int address, byte[] data, long timeoutMs) {
        if (data.length == 0) throw new IllegalArgumentException("an I2C write needs at least one byte");
        transfer(address, data, NONE, timeoutMs);
    }

    /** Reads {@code lengthBytes} bytes from the device at {@code address}. */
    public byte[] read(int address, int lengthBytes) {
        return read(address, lengthBytes, DEFAULT_TIMEOUT_MS);
    }

    /** {@link #read(int, int)} with a timeout of its own. */
    public byte[] read(int address, int lengthBytes, long timeoutMs) {
        byte[] in = buffer(lengthBytes);
        transfer(address, NONE, in, timeoutMs);
        return in;
    }

    /**
     * Writes {@code data}, then reads {@code readLengthBytes} bytes, in one transaction (a
     * repeated start between them): the usual way to read a device's register.
     */
    public byte[] writeRead(int address, byte[] data, int readLengthBytes) {
        return writeRead(address, data, readLengthBytes, DEFAULT_TIMEOUT_MS);
    }

    /** {@link #writeRead(int, byte[], int)} with a timeout of its own. */
    public byte[] writeRead(int address, byte[] data, int readLengthBytes, long timeoutMs) {
        byte[] in = buffer(readLengthBytes);
        transfer(address, data, in, timeoutMs);
        return in;
    }

    /**
     * The transaction the other calls are made of, allocating nothing: writes all of
     * {@code write} (none if empty), then reads {@code read.length} bytes into {@code read}
     * (none if empty), in one transaction.
     *
     * @throws IllegalArgumentException if the address is not a 7-bit address, both arrays are
     *     empty or the timeout is not positive
     * @throws HalException if the transaction fails; the message names the bus and address
     */
    public void transfer(int address, byte[] write, byte[] read, long timeoutMs) {
        checkOpen();
        if (address < 0 || address > 0x7F) {
            throw new IllegalArgumentException("I2C address " + formatAddress(address) + " is not a 7-bit address (0x00 to 0x7f)");
        }
        if (write.length == 0 && read.length == 0) throw new IllegalArgumentException("an I2C transaction writes or reads at least one byte");
        if (timeoutMs <= 0) throw new IllegalArgumentException("timeoutMs must be positive, not " + timeoutMs);
        transfers.transfer(address, write, read, timeoutMs);
    }

    /** The byte in {@code register} of the device at {@code address}, 0 to 255. */
    public int readRegister(int address, int register) {
        return readRegisterBytes(address, register, 1)[0] & 0xFF;
    }

    /** Writes {@code value} (0 to 255) into {@code register}. */
    public void writeRegister(int address, int register, int value) {
        checkByte("value", value);
        write(address, (byte) checkByte("register", register), (byte) value);
    }

    /**
     * The 16-bit word in {@code register}, most significant byte first (as most sensors send
     * it, the TMP102 among them), 0 to 65535.
     */
    public int readRegisterWord(int address, int register) {
        byte[] b = readRegisterBytes(address, register, 2);
        return (b[0] & 0xFF) << 8 | (b[1] & 0xFF);
    }

    /** Writes the 16-bit {@code value} into {@code register}, most significant byte first. */
    public void writeRegisterWord(int address, int register, int value) {
        if (value < 0 || value > 0xFFFF) throw new IllegalArgumentException("a 16-bit register value is 0 to 65535, not " + value);
        write(address, (byte) checkByte("register", register), (byte) (value >> 8), (byte) value);
    }

    private byte[] readRegisterBytes(int address, int register, int lengthBytes) {
        return writeRead(address, new byte[] {(byte) checkByte("register", register)}, lengthBytes);
    }

    private static int checkByte(String what, int value) {
        if (value < 0 || value > 0xFF) throw new IllegalArgumentException("an I2C " + what + " is one byte (0 to 255), not " + value);
        return value;
    }

    private static byte[] buffer(int lengthBytes) {
        if (lengthBytes <= 0) throw new IllegalArgumentException("an I2C read takes at least one byte, not " + lengthBytes);
        return new byte[lengthBytes];
    }

    /** An I2C address as pirt writes it in every message and command: {@code 0x48}. */
    public static String formatAddress(int address) {
        return String.format("0x%02x", address);
    }

    private void checkOpen() {
        if (closed) throw new HalException("I2C bus " + spec.name() + " was closed; open it again with Board.i2c()");
    }

    /** Closes this handle on the bus; other handles on it stay open. */
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
        return "I2cBus[" + spec.name() + ", " + spec.device() + "]";
    }
}
