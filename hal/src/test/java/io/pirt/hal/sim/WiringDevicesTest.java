package io.pirt.hal.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.boards.BoardProfile;
import io.pirt.boards.BoardProfiles;
import io.pirt.hal.HalException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wiring file's device lines: tmp102 BUS ADDRESS and mcp3008 DEVICE VREF, and their mistakes named by file and line. */
class WiringDevicesTest {
    private static final BoardProfile VIRTUAL = BoardProfiles.builtIn().get("virtual");

    private static Wiring parse(String... lines) {
        return Wiring.parse("rig.wiring", List.of(lines), VIRTUAL);
    }

    private static String error(String... lines) {
        return assertThrows(HalException.class, () -> parse(lines)).getMessage();
    }

    @Test
    void devicesAreReadWithTheirBusesAddressesAndReference() {
        Wiring w = parse("tmp102 i2c-1 0x48   # on the header", "tmp102 i2c-1 73", "mcp3008 spi0.0 3.3", "led LED0 D17");
        assertEquals(Map.of("i2c-1", List.of(0x48, 0x49)), w.tmp102s);
        assertEquals(Map.of("spi0.0", 3.3), w.mcp3008s);
        assertEquals(Map.of("LED0", "D17"), w.leds, "the older lines still read");
    }

    @Test
    void aBusTheProfileDoesNotHaveIsNamedWithThoseItHas() {
        assertEquals("rig.wiring:2: board virtual has no I2C bus 'i2c-3'; it has i2c-1", error("", "tmp102 i2c-3 0x48"));
        assertEquals("rig.wiring:1: board virtual has no SPI device 'spi0.1'; it has spi0.0", error("mcp3008 spi0.1 3.3"));
    }

    @Test
    void badAddressesAreRefused() {
        assertEquals("rig.wiring:1: a TMP102 answers at 0x48 to 0x4b only (its ADD0 pin to GND, V+, SDA or SCL), not at 0x50",
                error("tmp102 i2c-1 0x50"));
        assertTrue(error("tmp102 i2c-1 0xZZ").contains("'0xZZ' is not an I2C address: write it in hex (0x48) or decimal (72)"));
        assertTrue(error("tmp102 i2c-1 0x100").contains("not a 7-bit I2C address"));
    }

    @Test
    void twoDevicesAtOneAddressOrOnOneChipSelectAreRefusedNamingTheFirstLine() {
        assertEquals("rig.wiring:3: a second device at 0x48 on i2c-1 (line 1 puts one there); each device on a bus needs an address of its own",
                error("tmp102 i2c-1 0x48", "tmp102 i2c-1 0x49", "tmp102 i2c-1 72"));
        assertEquals("rig.wiring:2: a second device on spi0.0 (line 1 puts one there); a chip select selects one chip",
                error("mcp3008 spi0.0 3.3", "mcp3008 spi0.0 5"));
    }

    @Test
    void aReferenceOutsideTheChipsRangeOrNotANumberIsRefused() {
        assertTrue(error("mcp3008 spi0.0 12").startsWith("rig.wiring:1: an MCP3008's reference is 0.25 to 5.5 V"));
        assertTrue(error("mcp3008 spi0.0 3,3").contains("'3,3' is not a voltage"));
        assertTrue(error("mcp3008 spi0.0 NaN").contains("not NaN"));
    }

    @Test
    void aLineWithTheWrongNumberOfWordsShowsItsForm() {
        assertEquals("rig.wiring:1: expected 'tmp102 BUS ADDRESS'", error("tmp102 i2c-1"));
        assertEquals("rig.wiring:1: expected 'mcp3008 DEVICE VREF'", error("mcp3008 spi0.0 3.3 extra"));
        assertTrue(error("bme280 i2c-1 0x76").contains("expected jumper, button, led, tmp102 or mcp3008"));
    }
}
