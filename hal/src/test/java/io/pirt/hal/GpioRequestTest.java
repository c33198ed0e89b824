package io.pirt.hal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.hal.GpioRequest.Action;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GpioRequestTest {
    private static Optional<GpioRequest> parse(String line) {
        return GpioRequest.parse(line.trim().split("\\s+"));
    }

    @Test
    void eachFormOfTheGrammarParses() {
        assertEquals(Optional.of(new GpioRequest(Action.READ, "D17", false)), parse("gpio read D17"));
        assertEquals(Optional.of(new GpioRequest(Action.WRITE, "LED0", true)), parse("gpio write LED0 1"));
        assertEquals(Optional.of(new GpioRequest(Action.WRITE, "LED0", false)), parse("gpio write LED0 0"));
        assertEquals(Optional.of(new GpioRequest(Action.PRESS, "BUTTON0", false)), parse("gpio press BUTTON0"));
        assertEquals(Optional.of(new GpioRequest(Action.RELEASE, "BUTTON0", false)), parse("gpio release BUTTON0"));
    }

    @Test
    void wordsOutsideTheGrammarAreRefused() {
        for (String line : new String[] {"gpio", "gpio read", "gpio read D17 1", "gpio write D17", "gpio write D17 2",
                "gpio write D17 high", "gpio press", "gpio toggle D17", "gpio press B0 now", "ps read D17"}) {
            assertTrue(parse(line).isEmpty(), line);
        }
    }

    @Test
    void theCommandLineParsesBackToTheSameRequest() {
        for (String line : new String[] {"gpio read D17", "gpio write D17 1", "gpio write D17 0", "gpio press B0",
                "gpio release B0"}) {
            GpioRequest request = parse(line).orElseThrow();
            assertEquals(line, request.commandLine());
            assertEquals(Optional.of(request), parse(request.commandLine()));
        }
    }
}
