package io.pirt.hal.linux;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.lang.management.ManagementFactory;

/**
 * Test support: a kernel that allocates nothing, for measuring what the backend allocates. An
 * I2C_RDWR answers with the message count it was given, an SPI_IOC_MESSAGE with the length,
 * a setting with 0.
 * What it is handed escapes, as into a native call, so the JIT cannot scalar-replace an
 * argument the backend would allocate per call.
 */
final class QuietKernel implements Syscalls {
    private static volatile Object escaped;

    /** The bytes the current thread allocated while {@code calls} runs of {@code work} ran, after as many to warm up. */
    static long allocatedBytes(int calls, Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 2 * calls; i++) work.run();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Override
    public int open(String path, int flags) {
        return 3;
    }

    @Override
    public int ioctl(int fd, NativeLong request, Pointer arg) {
        escaped = request;
        escaped = arg;
        long number = request.longValue();
        if (number == I2cDev.I2C_RDWR.longValue()) return arg.getInt(I2cDev.RDWR_NMSGS);
        if (number == Spidev.SPI_IOC_MESSAGE_1.longValue()) return arg.getInt(Spidev.LEN);
        return 0; // a setting
    }

    @Override
    public int ioctl(int fd, NativeLong request, NativeLong value) {
        escaped = value;
        return 0;
    }

    @Override
    public int write(int fd, byte[] bytes) {
        return bytes.length;
    }

    @Override
    public void close(int fd) {
    }
}
