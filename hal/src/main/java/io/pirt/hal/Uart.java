package io.pirt.hal;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortTimeoutException;
import io.pirt.boards.BoardProfile;
import io.pirt.serial.SerialDevice;
import io.pirt.serial.SerialDeviceException;
import io.pirt.threading.ThreadInterruptedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A serial port (UART) for applications, on a {@link SerialDevice}: a board's port by its profile name
 * ({@code SERIAL0}), or any serial device by path.
 *
 * <p>{@link #read(byte[], int, int, long)} waits up to a timeout for bytes and returns what
 * has arrived; {@link #write} returns once the bytes have been transmitted (the driver's
 * output queue has drained), so {@link #close()} never discards what a write reported as
 * written. A receiver thread (named {@code pirt-uart-rx <port>}) moves incoming bytes into a
 * buffer of 16 KiB; while that is full it stops reading, so the
 * kernel's buffer fills next and, with flow control, the sender is held: nothing is dropped
 * here.
 *
 * <p>Timeouts are in milliseconds: negative waits without bound, 0 does not wait. A thread
 * interrupted while it waits gets {@link ThreadInterruptedException} (from the stream views,
 * {@link InterruptedIOException}). Thread-safe: reads are atomic with respect to each other,
 * and so are writes; {@link #close()} wakes blocked readers, which return -1. Errors are
 * {@link HalException}s naming the port and device and saying what to do: a missing device,
 * a permission problem, a device in use.
 */
public final class Uart implements AutoCloseable {
    /*
     * Implementation notes.
     *
     * jSerialComm's own read timeouts are termios VTIME on Linux: tenths of a second, at most
     * 25.5 s, rounded, and changing them reconfigures the port. So the port is a SerialDevice,
     * open in semi-blocking mode without timeout (VMIN=1: a read returns as soon as one byte
     * is there); the receiver thread reads its input in that mode, and readers wait on a
     * Condition with exact nanosecond deadlines. close() marks the Uart closed and closes the
     * SerialDevice, which wakes the receiver's blocked read, waits until it has left
     * jSerialComm and only then closes the port (never under a read: see serial's
     * SerialPortInput); the port's close flushes the queues, which releases a writer blocked
     * in tcdrain. Then close() waits for the receiver thread to end.
     */

    /** Size of the receive buffer between the receiver thread and readers. */
    private static final int RECEIVE_BUFFER_BYTES = 16 * 1024;
    private static final int CHUNK_BYTES = 1024;
    private static final long RECEIVER_STOP_MS = 2000;

    /** Real paths of the devices open in this process. Guarded by itself. */
    private static final Set<Path> OPEN_DEVICES = new HashSet<>();

    private final UartDevice device;
    /** The device's real path (symlinks resolved), the key in OPEN_DEVICES. */
    private final Path realPath;
    private final UartConfig config;
    private final SerialDevice serial;
    private final Thread receiver;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    /** Ring buffer of received bytes; the filled part starts at head and has count bytes. Guarded by lock. */
    private final byte[] ring = new byte[RECEIVE_BUFFER_BYTES];
    private int head;
    /** 0 <= count <= ring.length. */
    private int count;
    /** Set once by close(); written under lock, volatile for writers' unlocked check. */
    private volatile boolean closed;
    /** Why the receiver stopped (the device failed or hung up), or null. Guarded by lock. */
    private String receiveFailure;

    /** Serialises writers; guards writeSingle. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final byte[] writeSingle = new byte[1];
    /** Guards readSingle (taken inside lock's critical section, never the other way round). */
    private final byte[] readSingle = new byte[1];

    private final InputStream inputStream = new UartInput();
    private final OutputStream outputStream = new UartOutput();

    private Uart(UartDevice device, Path realPath, UartConfig config, SerialDevice serial) {
        this.device = device;
        this.realPath = realPath;
        this.config = config;
        this.serial = serial;
        this.receiver = new Thread(this::receive, "pirt-uart-rx " + device.name());
        this.receiver.setDaemon(true);
    }

    /**
     * Opens serial port {@code portName} of {@code board} at 115200 8N1.
     *
     * @see #open(BoardProfile, String, UartConfig)
     */
    public static Uart open(BoardProfile board, String portName) {
        return open(board, portName, UartConfig.DEFAULT);
    }

    /**
     * Opens serial port {@code portName} ({@code SERIAL0}, ...) of {@code board}. Its device
     * is the path in system property {@code pirt.serial.<portName>} when that is set (the
     * runtime sets it for the simulated board's pseudo-terminals, whose profile device is a
     * {@code pty:} placeholder), else the profile's device.
     *
     * @throws HalException if the board has no such port, the device is missing, this user
     *                      may not use it, it is in use, jSerialComm's native library cannot
     *                      be loaded, or the device refuses the configuration
     */
    public static Uart open(BoardProfile board, String portName, UartConfig config) {
        return open(UartDevice.resolve(board, portName, System::getProperty), config);
    }

    /**
     * Opens the serial device at {@code device} (e.g. {@code /dev/ttyUSB0}).
     *
     * @throws HalException as {@link #open(BoardProfile, String, UartConfig)}
     */
    public static Uart open(Path device, UartConfig config) {
        return open(UartDevice.ofPath(device), config);
    }

    static Uart open(UartDevice device, UartConfig config) {
        Objects.requireNonNull(config, "config");
        device.checkAccessible();
        UartNativeLibrary.ensureLoaded();
        Path realPath;
        try {
            realPath = device.path().toRealPath();
        } catch (IOException e) {
            throw device.noSuchDevice();
        }
        synchronized (OPEN_DEVICES) {
            if (!OPEN_DEVICES.add(realPath)) throw device.inUseHere();
        }
        Uart uart = null;
        try {
            uart = new Uart(device, realPath, config, openPort(device, realPath, config));
            uart.receiver.start();
            return uart;
        } finally {
            if (uart == null) {
                synchronized (OPEN_DEVICES) {
                    OPEN_DEVICES.remove(realPath);
                }
            }
        }
    }

    private static SerialDevice openPort(UartDevice device, Path realPath, UartConfig config) {
        try {
            return SerialDevice.open(realPath.toString(), config.baud(), config.dataBits(), stopBits(config.stopBits()),
                    parity(config.parity()), flowControl(config.flowControl()));
        } catch (SerialDeviceException e) {
            throw switch (e.reason()) {
                case NO_SUCH_DEVICE -> device.noSuchDevice();
                case NO_PERMISSION -> device.permissionDenied();
                case CANNOT_OPEN -> cannotOpen(device, config, e);
            };
        }
    }

    private static HalException cannotOpen(UartDevice device, UartConfig config, SerialDeviceException e) {
        int errno = e.errno();
        return switch (errno) {
            case 1, 13 -> device.permissionDenied(); // EPERM, EACCES
            case 11, 16 -> device.inUse(errno); // EWOULDBLOCK from flock (another process holds it), EBUSY
            case 2, 6, 19 -> Files.exists(device.path())
                    // jSerialComm reports 2 also when the same device is open through another SerialPort in this process
                    ? new HalException(device.describe() + ": " + device.path() + " is already open in this process (not"
                            + " through Uart) or cannot be opened: " + UartDevice.errno(errno))
                    : device.noSuchDevice(); // ENOENT, ENXIO, ENODEV
            default -> new HalException(device.describe() + ": cannot open " + device.path() + " as " + config + ": "
                    + UartDevice.errno(errno) + " (" + e.getMessage() + ")", e);
        };
    }

    /** The port's name: {@code SERIAL0}, or the device path when opened by path. */
    public String name() {
        return device.name();
    }

    /** The device path this Uart was opened with, e.g. {@code /dev/serial0} (not resolved). */
    public Path device() {
        return device.path();
    }

    /** The framing this Uart was opened with. */
    public UartConfig config() {
        return config;
    }

    /**
     * Reads up to {@code len} received bytes into {@code buf}, waiting up to
     * {@code timeoutMs} for the first one.
     *
     * @return the number of bytes read (at least 1, or 0 if {@code len} is 0), 0 if the
     *         timeout passed first (never before), -1 once this Uart is closed
     * @throws HalException               once the received bytes are used up, if the device
     *                                    failed or hung up (a USB adapter unplugged)
     * @throws ThreadInterruptedException if interrupted while waiting
     */
    public int read(byte[] buf, int off, int len, long timeoutMs) {
        Objects.checkFromIndexSize(off, len, buf.length);
        lock.lock();
        try {
            int ready = awaitData(len, timeoutMs);
            if (ready <= 0) return ready;
            int n = Math.min(len, count);
            int first = Math.min(n, ring.length - head);
            System.arraycopy(ring, head, buf, off, first);
            System.arraycopy(ring, 0, buf, off + first, n - first);
            head = (head + n) % ring.length;
            count -= n;
            notFull.signal();
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, with lock held, until there are bytes. Returns 1 then, 0 on timeout (or when
     * {@code len} is 0), -1 if closed.
     */
    private int awaitData(int len, long timeoutMs) {
        long leftNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(timeoutMs, 0));
        while (true) {
            if (closed) return -1;
            if (count > 0) return len == 0 ? 0 : 1;
            if (receiveFailure != null) throw new HalException(receiveFailure);
            if (len == 0 || timeoutMs == 0) return 0;
            try {
                if (timeoutMs < 0) {
                    notEmpty.await();
                } else {
                    if (leftNanos <= 0) return 0;
                    leftNanos = notEmpty.awaitNanos(leftNanos);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ThreadInterruptedException();
            }
        }
    }

    /** The number of received bytes a read can take now without waiting. */
    public int available() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Transmits {@code len} bytes of {@code buf}, returning when they have left the UART
     * (with flow control, this waits while the receiver holds the line).
     *
     * @throws HalException if this Uart is closed (before or during the write) or the device fails
     */
    public void write(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        writeLock.lock();
        try {
            if (closed) throw closedError();
            serial.out().write(buf, off, len);
        } catch (IOException e) {
            if (closed) throw closedError();
            throw new HalException(device.describe() + ": write to " + device.path() + " failed: "
                    + UartDevice.errno(serial.lastErrorCode()) + " (" + e.getMessage() + ")", e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * This Uart as an InputStream: {@code read} blocks until at least one byte arrives and
     * returns -1 once the Uart is closed; {@code available} is {@link #available()}. Closing
     * the stream closes the Uart.
     */
    public InputStream inputStream() {
        return inputStream;
    }

    /**
     * This Uart as an OutputStream; writes behave as {@link #write}. Closing the stream
     * closes the Uart.
     */
    public OutputStream outputStream() {
        return outputStream;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the port: blocked readers return -1, a blocked writer throws, bytes received but
     * not read are discarded, and the device is free for others. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            serial.close(); // wakes the receiver and closes the port once the receiver has left it
            joinReceiver();
        } finally {
            synchronized (OPEN_DEVICES) {
                OPEN_DEVICES.remove(realPath);
            }
        }
    }

    private void joinReceiver() {
        if (Thread.currentThread() == receiver) return;
        try {
            receiver.join(RECEIVER_STOP_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed all the same; the receiver ends by itself
            return;
        }
        if (receiver.isAlive()) {
            throw new HalException(device.describe() + ": the receiver thread did not stop within " + RECEIVER_STOP_MS
                    + " ms of closing " + device.path() + "; if it was still inside a read, the port was left open rather than"
                    + " closed under it (the descriptor stays until the process ends), and the thread is left to end");
        }
    }

    @Override
    public String toString() {
        return "Uart[" + device.describe() + ", " + config + (closed ? ", closed]" : "]");
    }

    /** The receiver thread: moves bytes from the port into the ring until closed or the device fails. */
    private void receive() {
        byte[] chunk = new byte[CHUNK_BYTES];
        while (true) {
            int room;
            lock.lock();
            try {
                while (count == ring.length && !closed) notFull.awaitUninterruptibly();
                if (closed) return;
                room = ring.length - count;
            } finally {
                lock.unlock();
            }
            int n;
            String failure = null;
            try {
                n = serial.in().read(chunk, 0, Math.min(chunk.length, room));
            } catch (SerialPortTimeoutException e) {
                n = 0; // jSerialComm's word for a read that returned nothing, which in VMIN=1 mode is end of file
            } catch (IOException e) {
                n = -1;
                failure = e.getMessage();
            }
            lock.lock();
            try {
                if (closed) return;
                if (n > 0) {
                    int tail = (head + count) % ring.length;
                    int first = Math.min(n, ring.length - tail);
                    System.arraycopy(chunk, 0, ring, tail, first);
                    System.arraycopy(chunk, first, ring, 0, n - first);
                    count += n;
                    notEmpty.signalAll();
                } else {
                    // In VMIN=1 mode a read returns 0 or -1 only when the device hung up or failed.
                    receiveFailure = device.describe() + ": reading " + device.path() + " failed ("
                            + (n == 0 ? "end of file: the device hung up" : UartDevice.errno(serial.lastErrorCode()))
                            + (failure == null ? "" : ": " + failure)
                            + "); close this Uart and open it again once the device is back";
                    notEmpty.signalAll();
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private HalException closedError() {
        return new HalException(device.describe() + " is closed");
    }

    private static int stopBits(UartConfig.StopBits s) {
        return switch (s) {
            case ONE -> SerialPort.ONE_STOP_BIT;
            case TWO -> SerialPort.TWO_STOP_BITS;
        };
    }

    private static int parity(UartConfig.Parity p) {
        return switch (p) {
            case NONE -> SerialPort.NO_PARITY;
            case ODD -> SerialPort.ODD_PARITY;
            case EVEN -> SerialPort.EVEN_PARITY;
            case MARK -> SerialPort.MARK_PARITY;
            case SPACE -> SerialPort.SPACE_PARITY;
        };
    }

    private static int flowControl(UartConfig.FlowControl f) {
        return switch (f) {
            case NONE -> SerialPort.FLOW_CONTROL_DISABLED;
            case RTS_CTS -> SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED;
            case XON_XOFF -> SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED;
        };
    }

    private final class UartInput extends InputStream {
        @Override
        public int read() throws IOException {
            lock.lock();
            try {
                int n = read(readSingle, 0, 1);
                return n < 0 ? -1 : readSingle[0] & 0xff;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return Uart.this.read(b, off, len, -1);
            } catch (ThreadInterruptedException e) {
                throw new InterruptedIOException(device.describe() + ": interrupted while waiting for bytes");
            } catch (HalException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public int available() {
            return Uart.this.available();
        }

        @Override
        public void close() {
            Uart.this.close();
        }
    }

    private final class UartOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            writeLock.lock();
            try {
                writeSingle[0] = (byte) b;
                write(writeSingle, 0, 1);
            } finally {
                writeLock.unlock();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                Uart.this.write(b, off, len);
            } catch (HalException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            Uart.this.close();
        }
    }
}
