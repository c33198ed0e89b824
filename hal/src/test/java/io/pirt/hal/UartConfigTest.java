package io.pirt.hal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pirt.hal.UartConfig.FlowControl;
import io.pirt.hal.UartConfig.Parity;
import io.pirt.hal.UartConfig.StopBits;
import org.junit.jupiter.api.Test;

/** The UART framing value: defaults, copies with one field changed, and checks. */
class UartConfigTest {
    @Test
    void theDefaultIs115200EightNoneOneWithoutFlowControl() {
        UartConfig c = UartConfig.DEFAULT;
        assertEquals(115200, c.baud());
        assertEquals(8, c.dataBits());
        assertEquals(Parity.NONE, c.parity());
        assertEquals(StopBits.ONE, c.stopBits());
        assertEquals(FlowControl.NONE, c.flowControl());
        assertEquals("115200 8N1", c.toString());
    }

    @Test
    void eachWithChangesOneFieldOfACopy() {
        UartConfig c = UartConfig.DEFAULT.withBaud(9600).withDataBits(7).withParity(Parity.EVEN)
                .withStopBits(StopBits.TWO).withFlowControl(FlowControl.RTS_CTS);
        assertEquals(new UartConfig(9600, 7, Parity.EVEN, StopBits.TWO, FlowControl.RTS_CTS), c);
        assertEquals("9600 7E2 RTS/CTS", c.toString());
        assertEquals("115200 8N1", UartConfig.DEFAULT.toString(), "the original is unchanged");
    }

    @Test
    void impossibleValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> UartConfig.DEFAULT.withBaud(0));
        assertThrows(IllegalArgumentException.class, () -> UartConfig.DEFAULT.withDataBits(9));
        assertThrows(IllegalArgumentException.class, () -> UartConfig.DEFAULT.withDataBits(4));
        assertThrows(NullPointerException.class, () -> UartConfig.DEFAULT.withParity(null));
    }
}
