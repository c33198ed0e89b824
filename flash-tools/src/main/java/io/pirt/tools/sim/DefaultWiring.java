package io.pirt.tools.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The wiring a virtual board gets unless told otherwise: a button on BTN0, an LED on LED0, a
 * jumper D22 -> D23, a TMP102 at 0x48 on i2c-1, an MCP3008 on spi0.0. {@code pirt sim},
 * {@code pirt demo} and the JUnit extension's virtual board use it.
 */
public final class DefaultWiring {
    public static final String TEXT = """
            # The default wiring of the pirt virtual board (format: docs/hal.md).
            button BTN0 BTN0 low   # a push button that pulls BTN0 (D27) low: open it as INPUT_PULLUP
            led LED0 LED0          # an LED on LED0 (D17)
            jumper D22 D23         # a wire from D22 to D23
            tmp102 i2c-1 0x48      # a TMP102 temperature sensor on I2C bus i2c-1 (D2, D3): 25 °C until set
            mcp3008 spi0.0 3.3     # an MCP3008 ADC on spi0.0 (D8 to D11), its reference at 3.3 V: inputs at 0 V until set
            """;

    private DefaultWiring() {
    }

    /** Writes the default wiring to {@code dir/wiring} and returns its path. */
    public static Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("wiring"), TEXT);
    }
}
