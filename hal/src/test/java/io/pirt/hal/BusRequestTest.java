package io.pirt.hal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The grammar of the shell's i2c, spi and pwm commands, which the runtime and the application's process both parse. */
class BusRequestTest {
    private static Optional<BusRequest> parse(String line) {
        return BusRequest.parse(line.trim().split("\\s+"));
    }

    @Test
    void eachFormOfTheGrammarParses() {
        assertEquals(Optional.of(new BusRequest.SetTemperature("i2c-1", 0x48, 31.5)), parse("i2c temperature i2c-1 0x48 31.5"));
        assertEquals(Optional.of(new BusRequest.SetTemperature("i2c-1", 72, -10)), parse("i2c temperature i2c-1 72 -10"));
        assertEquals(Optional.of(new BusRequest.SetVoltage("spi0.0", 0, 1.65)), parse("spi voltage spi0.0 0 1.65"));
        assertEquals(Optional.of(new BusRequest.ReadPwm(Optional.empty())), parse("pwm"));
        assertEquals(Optional.of(new BusRequest.ReadPwm(Optional.of("PWM0"))), parse("pwm PWM0"));
    }

    @Test
    void wordsOutsideTheGrammarAreRefused() {
        for (String line : new String[] {"i2c", "i2c temperature i2c-1 0x48", "i2c temp i2c-1 0x48 20", "i2c temperature i2c-1 0x80 20",
                "i2c temperature i2c-1 0xZZ 20", "i2c temperature i2c-1 0x48 warm", "i2c temperature i2c-1 0x48 NaN",
                "spi voltage spi0.0 -1 1", "spi voltage spi0.0 one 1", "spi voltage spi0.0 0", "spi volts spi0.0 0 1",
                "pwm PWM0 PWM1", "gpio read D17"}) {
            assertTrue(parse(line).isEmpty(), line);
        }
    }

    @Test
    void theCommandLineParsesBackToTheSameRequest() {
        for (String line : new String[] {"i2c temperature i2c-1 0x48 31.5", "i2c temperature i2c-1 0x4b -0.0625", "spi voltage spi0.0 7 3.3",
                "pwm", "pwm D18"}) {
            BusRequest request = parse(line).orElseThrow();
            assertEquals(line, request.commandLine());
            assertEquals(Optional.of(request), parse(request.commandLine()));
        }
    }

    @Test
    void eachCommandHasItsUsage() {
        assertEquals("i2c temperature BUS ADDRESS CELSIUS", BusRequest.usage("i2c"));
        assertEquals("spi voltage DEVICE CHANNEL VOLTS", BusRequest.usage("spi"));
        assertEquals("pwm [CHANNEL]", BusRequest.usage("pwm"));
    }
}
