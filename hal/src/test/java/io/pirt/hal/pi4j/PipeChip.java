package io.pirt.hal.pi4j;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.pirt.hal.internal.LibC;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test support: a GPIO chip whose line requests are pipes. The backend gets the read end as
 * the line's file descriptor and polls and reads it for real; the test writes 48-byte
 * struct gpio_v2_line_event records into the write end, as the kernel would queue them.
 * Only the two ioctls a pipe cannot answer are played: the request (recorded) and the values.
 */
final class PipeChip implements ChipDevice {
    private final LibC libc = LibC.get();
    /** Each request as the backend encoded it. Guarded by this. */
    final List<byte[]> requests = new ArrayList<>();
    /** Write end of each requested line's pipe, by line offset. Guarded by this. */
    private final Map<Integer, Integer> writeEnds = new HashMap<>();
    /** What GET_VALUES answers for every line. */
    volatile boolean level;
    /** When not 0, the errno the next request fails with. */
    volatile int refuseWith;
    /** Set by close(), which the backend calls; the pipes' write ends stay open until {@link #closeWriteEnds()}. */
    volatile boolean closed;

    @Override
    public synchronized int requestLine(Pointer request) {
        if (refuseWith != 0) throw new LastErrorException("[" + refuseWith + "] as the kernel refused it"); // JNA's form
        requests.add(request.getByteArray(0, GpioUapi.REQUEST_BYTES));
        int[] pipe = new int[2];
        libc.pipe2(pipe, LibC.O_CLOEXEC);
        Integer old = writeEnds.put(request.getInt(GpioUapi.REQUEST_OFFSETS), pipe[1]);
        if (old != null) libc.close(old);
        request.setInt(GpioUapi.REQUEST_FD, pipe[0]);
        return pipe[0];
    }

    @Override
    public void getValues(int lineFd, Pointer values) {
        values.setLong(GpioUapi.VALUES_BITS, level ? values.getLong(GpioUapi.VALUES_MASK) : 0);
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Closes what the test holds: the pipes' write ends. */
    synchronized void closeWriteEnds() {
        for (int fd : writeEnds.values()) libc.close(fd);
        writeEnds.clear();
    }

    /** Queues events on {@code line} in one write, as the kernel does: (rising, nanos, lineSeqno) each. */
    void send(int line, Object... rising_nanos_seqno) {
        byte[] records = records(line, rising_nanos_seqno);
        int fd;
        synchronized (this) {
            fd = writeEnds.get(line);
        }
        long n = libc.write(fd, records, new NativeLong(records.length)).longValue();
        if (n != records.length) throw new AssertionError("wrote " + n + " of " + records.length + " bytes");
    }

    /** Writes raw bytes into {@code line}'s pipe; returns the errno, 0 on success. */
    int writeRaw(int line, byte[] bytes) {
        int fd;
        synchronized (this) {
            fd = writeEnds.get(line);
        }
        try {
            libc.write(fd, bytes, new NativeLong(bytes.length));
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    /** struct gpio_v2_line_event records, in native byte order, as the kernel fills them for a request of one line. */
    static byte[] records(int line, Object... rising_nanos_seqno) {
        int n = rising_nanos_seqno.length / 3;
        try (Memory m = new Memory((long) n * GpioUapi.EVENT_BYTES)) {
            m.clear();
            for (int i = 0; i < n; i++) {
                long at = (long) i * GpioUapi.EVENT_BYTES;
                boolean rising = (Boolean) rising_nanos_seqno[3 * i];
                long seqno = ((Number) rising_nanos_seqno[3 * i + 2]).longValue();
                m.setLong(at + GpioUapi.EVENT_TIMESTAMP_NS, ((Number) rising_nanos_seqno[3 * i + 1]).longValue());
                m.setInt(at + GpioUapi.EVENT_ID, rising ? GpioUapi.EVENT_RISING_EDGE : GpioUapi.EVENT_FALLING_EDGE);
                m.setInt(at + GpioUapi.EVENT_OFFSET, line);
                m.setInt(at + GpioUapi.EVENT_SEQNO, (int) seqno);
                m.setInt(at + GpioUapi.EVENT_LINE_SEQNO, (int) seqno);
            }
            return m.getByteArray(0, n * GpioUapi.EVENT_BYTES);
        }
    }
}
