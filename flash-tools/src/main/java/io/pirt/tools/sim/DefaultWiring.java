package io.pirt.tools.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The wiring a virtual board gets unless told otherwise: a button on BTN0, an LED on LED0, a
 * jumper D22 -> D23. {@code pirt sim}, {@code pirt demo} and the JUnit extension's virtual
 * board use it.
 */
public final class DefaultWiring {
    public static final String TEXT = """
            # The default wiring of the pirt virtual board (format: docs/hal.md).
            button BTN0 BTN0 low   # a push button that pulls BTN0 (D27) low: open it as INPUT_PULLUP
            led LED0 LED0          # an LED on LED0 (D17)
            jumper D22 D23         # a wire from D22 to D23
            """;

    private DefaultWiring() {
    }

    /** Writes the default wiring to {@code dir/wiring} and returns its path. */
    public static Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("wiring"), TEXT);
    }
}
