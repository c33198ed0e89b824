package io.pirt.hal.pi4j;

import com.sun.jna.Pointer;
import io.pirt.hal.PinMode;
import java.nio.charset.StandardCharsets;

/**
 * The part of the Linux GPIO character device's uAPI v2 ({@code include/uapi/linux/gpio.h},
 * kernel 5.10 and later) that pirt uses for its input lines: the line request, the values
 * and the edge event, as byte layouts in native byte order, and the ioctl numbers. The
 * structs use {@code __aligned_u64}, so the layout is the same on 32- and 64-bit ARM.
 */
final class GpioUapi {
    /** struct gpio_v2_line_request: offsets[64], consumer[32], config, num_lines, event_buffer_size, padding[5], fd. */
    static final int REQUEST_BYTES = 592;
    static final int REQUEST_OFFSETS = 0, REQUEST_CONSUMER = 256, REQUEST_CONFIG = 288, REQUEST_NUM_LINES = 560,
            REQUEST_EVENT_BUFFER_SIZE = 564, REQUEST_FD = 588;
    /** The consumer label: GPIO_MAX_NAME_SIZE bytes with the terminating NUL. */
    static final int CONSUMER_BYTES = 32;
    /**
     * struct gpio_v2_line_config at REQUEST_CONFIG: flags (u64) at 0, num_attrs at 8, padding[5],
     * attrs[GPIO_V2_LINE_NUM_ATTRS_MAX = 10] of struct gpio_v2_line_config_attribute (24 bytes) at 32.
     */
    static final int CONFIG_BYTES = 272, CONFIG_FLAGS = 0, CONFIG_NUM_ATTRS = 8;
    /** struct gpio_v2_line_values: bits, mask (u64 each). */
    static final int VALUES_BYTES = 16, VALUES_BITS = 0, VALUES_MASK = 8;
    /** struct gpio_v2_line_event: timestamp_ns (u64), id, offset, seqno, line_seqno, padding[6] (u32 each). */
    static final int EVENT_BYTES = 48, EVENT_TIMESTAMP_NS = 0, EVENT_ID = 8, EVENT_OFFSET = 12, EVENT_SEQNO = 16,
            EVENT_LINE_SEQNO = 20;
    /** enum gpio_v2_line_event_id. */
    static final int EVENT_RISING_EDGE = 1, EVENT_FALLING_EDGE = 2;

    /** enum gpio_v2_line_flag. */
    static final long FLAG_ACTIVE_LOW = 1L << 1, FLAG_INPUT = 1L << 2, FLAG_EDGE_RISING = 1L << 4,
            FLAG_EDGE_FALLING = 1L << 5, FLAG_BIAS_PULL_UP = 1L << 8, FLAG_BIAS_PULL_DOWN = 1L << 9,
            FLAG_BIAS_DISABLED = 1L << 10;

    static final long GET_LINE_IOCTL = iowr(0x07, REQUEST_BYTES);
    static final long GET_VALUES_IOCTL = iowr(0x0E, VALUES_BYTES);

    /**
     * The kernel queue asked for per input line: its cap (GPIO_V2_LINES_MAX * 16); the
     * default would be 16. 1024 edges of 48 bytes queue while the callback thread is late.
     */
    static final int EVENT_BUFFER_SIZE = 1024;

    private GpioUapi() {
    }

    /** _IOWR(0xB4, nr, size): read and write (3) << 30 | size << 16 | type << 8 | nr. */
    private static long iowr(int nr, int size) {
        return (3L << 30) | ((long) size << 16) | (0xB4 << 8) | nr;
    }

    /**
     * The flags of an input line in {@code mode}: input, both edges (pirt filters and
     * debounces them itself), the bias, and active-low so the kernel reports logical levels
     * and edges. No event clock flag: the default clock is CLOCK_MONOTONIC, System.nanoTime's.
     */
    static long inputFlags(PinMode mode, boolean activeLow) {
        long bias = switch (mode) {
            case INPUT -> FLAG_BIAS_DISABLED;
            case INPUT_PULLUP -> FLAG_BIAS_PULL_UP;
            case INPUT_PULLDOWN -> FLAG_BIAS_PULL_DOWN;
            case OUTPUT -> throw new IllegalArgumentException("an OUTPUT is not an input line");
        };
        return FLAG_INPUT | FLAG_EDGE_RISING | FLAG_EDGE_FALLING | bias | (activeLow ? FLAG_ACTIVE_LOW : 0);
    }

    /**
     * Writes into {@code request} (REQUEST_BYTES, zeroed here) a request for line
     * {@code offset} alone, with {@code flags}, no attributes, labelled {@code consumer}
     * (cut to 31 bytes).
     */
    static void encodeRequest(Pointer request, int offset, String consumer, long flags) {
        request.clear(REQUEST_BYTES);
        request.setInt(REQUEST_OFFSETS, offset);
        byte[] label = consumer.getBytes(StandardCharsets.UTF_8);
        request.write(REQUEST_CONSUMER, label, 0, Math.min(label.length, CONSUMER_BYTES - 1));
        request.setLong(REQUEST_CONFIG + CONFIG_FLAGS, flags);
        request.setInt(REQUEST_CONFIG + CONFIG_NUM_ATTRS, 0);
        request.setInt(REQUEST_NUM_LINES, 1);
        request.setInt(REQUEST_EVENT_BUFFER_SIZE, EVENT_BUFFER_SIZE);
    }

    /** The level after the event at {@code offset} of {@code events}: a rising edge is active (logical edges). */
    static boolean eventLevel(Pointer events, long offset) {
        return events.getInt(offset + EVENT_ID) == EVENT_RISING_EDGE;
    }

    static long eventNanos(Pointer events, long offset) {
        return events.getLong(offset + EVENT_TIMESTAMP_NS);
    }

    /** The event's line_seqno, an unsigned 32-bit count of the line's edges since the request (the first is 1). */
    static long eventLineSeqno(Pointer events, long offset) {
        return events.getInt(offset + EVENT_LINE_SEQNO) & 0xFFFF_FFFFL;
    }

    /**
     * How many events the kernel dropped between one with line_seqno {@code previous} and the
     * next one read, {@code next}: its queue keeps the newest events and drops the oldest when
     * full, leaving a gap in the numbers. Unsigned 32-bit arithmetic, so a wrap is no gap.
     */
    static long droppedBetween(long previous, long next) {
        return (next - previous - 1) & 0xFFFF_FFFFL;
    }
}
