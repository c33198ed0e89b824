package io.pirt.hal.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import io.pirt.hal.PinMode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The uAPI v2 layouts against include/uapi/linux/gpio.h. The expected sizes, offsets and
 * ioctl numbers were printed by a C program compiled against this machine's
 * /usr/include/linux/gpio.h (sizeof, offsetof, the GPIO_V2_* macros); the header pads every
 * struct with __aligned_u64, so they are the same on 32- and 64-bit ARM.
 */
class GpioUapiTest {
    @Test
    void structLayoutsAreTheKernelHeaders() {
        // struct gpio_v2_line_attribute {u32 id; u32 padding; union {u64 flags, values; u32 debounce_period_us}} = 16,
        // struct gpio_v2_line_config_attribute {attribute; u64 mask} = 24, GPIO_V2_LINE_NUM_ATTRS_MAX = 10
        int attributeBytes = 16, configAttributeBytes = attributeBytes + 8, numAttrsMax = 10, configAttrs = 32;
        assertEquals(24, configAttributeBytes);
        assertEquals(272, GpioUapi.CONFIG_BYTES);
        assertEquals(GpioUapi.CONFIG_BYTES, configAttrs + numAttrsMax * configAttributeBytes, "config: flags, num_attrs, padding[5], attrs[10]");
        assertEquals(8, GpioUapi.CONFIG_NUM_ATTRS);

        assertEquals(592, GpioUapi.REQUEST_BYTES);
        assertEquals(64 * 4, GpioUapi.REQUEST_CONSUMER, "after offsets[GPIO_V2_LINES_MAX]");
        assertEquals(GpioUapi.REQUEST_CONSUMER + GpioUapi.CONSUMER_BYTES, GpioUapi.REQUEST_CONFIG);
        assertEquals(288, GpioUapi.REQUEST_CONFIG);
        assertEquals(GpioUapi.REQUEST_CONFIG + GpioUapi.CONFIG_BYTES, GpioUapi.REQUEST_NUM_LINES);
        assertEquals(560, GpioUapi.REQUEST_NUM_LINES);
        assertEquals(564, GpioUapi.REQUEST_EVENT_BUFFER_SIZE);
        assertEquals(564 + 4 + 5 * 4, GpioUapi.REQUEST_FD, "after event_buffer_size and padding[5]");
        assertEquals(GpioUapi.REQUEST_BYTES, GpioUapi.REQUEST_FD + 4);

        assertEquals(16, GpioUapi.VALUES_BYTES);
        assertEquals(8, GpioUapi.VALUES_MASK);

        assertEquals(48, GpioUapi.EVENT_BYTES);
        assertEquals(8, GpioUapi.EVENT_ID);
        assertEquals(12, GpioUapi.EVENT_OFFSET);
        assertEquals(16, GpioUapi.EVENT_SEQNO);
        assertEquals(20, GpioUapi.EVENT_LINE_SEQNO);
        assertEquals(GpioUapi.EVENT_BYTES, GpioUapi.EVENT_LINE_SEQNO + 4 + 6 * 4, "then padding[6]");
    }

    @Test
    void ioctlNumbersAreTheKernelHeaders() {
        assertEquals(0xC250B407L, GpioUapi.GET_LINE_IOCTL, "GPIO_V2_GET_LINE_IOCTL");
        assertEquals(0xC010B40EL, GpioUapi.GET_VALUES_IOCTL, "GPIO_V2_LINE_GET_VALUES_IOCTL");
    }

    @Test
    void aRequestIsOneInputLineWithBothEdgesItsBiasAndItsConsumer() {
        try (Memory m = new Memory(GpioUapi.REQUEST_BYTES)) {
            m.setInt(GpioUapi.REQUEST_FD, 99); // left over: the encoding clears everything
            GpioUapi.encodeRequest(m, 17, "pirt-D17", GpioUapi.inputFlags(PinMode.INPUT_PULLUP, false));
            assertEquals(17, m.getInt(0));
            assertEquals(0, m.getInt(4), "offsets[1..] unused");
            assertEquals("pirt-D17", m.getString(GpioUapi.REQUEST_CONSUMER));
            long flags = m.getLong(GpioUapi.REQUEST_CONFIG);
            assertEquals((1L << 2) | (1L << 4) | (1L << 5) | (1L << 8), flags, "INPUT | EDGE_RISING | EDGE_FALLING | BIAS_PULL_UP");
            assertEquals(0, m.getInt(GpioUapi.REQUEST_CONFIG + GpioUapi.CONFIG_NUM_ATTRS), "no attributes: no kernel debounce");
            assertEquals(1, m.getInt(GpioUapi.REQUEST_NUM_LINES));
            assertEquals(1024, m.getInt(GpioUapi.REQUEST_EVENT_BUFFER_SIZE));
            assertEquals(0, m.getInt(GpioUapi.REQUEST_FD));
        }
    }

    @Test
    void aLongConsumerIsCutToTheKernelsThirtyOneBytes() {
        try (Memory m = new Memory(GpioUapi.REQUEST_BYTES)) {
            GpioUapi.encodeRequest(m, 4, "pirt-" + "X".repeat(40), GpioUapi.inputFlags(PinMode.INPUT, false));
            byte[] consumer = m.getByteArray(GpioUapi.REQUEST_CONSUMER, GpioUapi.CONSUMER_BYTES);
            assertEquals(0, consumer[31], "NUL-terminated");
            assertEquals("pirt-" + "X".repeat(26), new String(consumer, 0, 31, StandardCharsets.UTF_8));
        }
    }

    @Test
    void flagsCarryTheBiasOfEachModeAndActiveLow() {
        long edges = GpioUapi.FLAG_INPUT | GpioUapi.FLAG_EDGE_RISING | GpioUapi.FLAG_EDGE_FALLING;
        assertEquals(edges | GpioUapi.FLAG_BIAS_DISABLED, GpioUapi.inputFlags(PinMode.INPUT, false));
        assertEquals(edges | GpioUapi.FLAG_BIAS_PULL_DOWN, GpioUapi.inputFlags(PinMode.INPUT_PULLDOWN, false));
        assertEquals(edges | GpioUapi.FLAG_BIAS_PULL_UP | GpioUapi.FLAG_ACTIVE_LOW, GpioUapi.inputFlags(PinMode.INPUT_PULLUP, true));
        assertEquals(1L << 1, GpioUapi.FLAG_ACTIVE_LOW);
        assertEquals(1L << 10, GpioUapi.FLAG_BIAS_DISABLED);
    }

    @Test
    void anEventDecodesToItsLevelKernelTimeAndSequenceNumber() {
        byte[] two = PipeChip.records(17, true, 123_456_789_012L, 7, false, 123_456_790_000L, 0xFFFF_FFFFL);
        try (Memory m = new Memory(two.length)) {
            m.write(0, two, 0, two.length);
            assertTrue(GpioUapi.eventLevel(m, 0), "a rising edge is active");
            assertEquals(123_456_789_012L, GpioUapi.eventNanos(m, 0));
            assertEquals(7, GpioUapi.eventLineSeqno(m, 0));
            assertFalse(GpioUapi.eventLevel(m, 48));
            assertEquals(0xFFFF_FFFFL, GpioUapi.eventLineSeqno(m, 48), "unsigned");
        }
    }

    @Test
    void gapsInSequenceNumbersAreDroppedEventsAndAWrapIsNone() {
        assertEquals(0, GpioUapi.droppedBetween(0, 1), "the first event of a request is 1");
        assertEquals(0, GpioUapi.droppedBetween(41, 42));
        assertEquals(3, GpioUapi.droppedBetween(41, 45));
        assertEquals(0, GpioUapi.droppedBetween(0xFFFF_FFFFL, 0), "u32 wraps");
        assertEquals(2, GpioUapi.droppedBetween(0xFFFF_FFFEL, 1));
    }
}
