package io.pirt.tools.test;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pirt.tools.test.TestCommand.HostRequest;
import io.pirt.wire.message.Command;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a test on the board may ask the host ({@code TestRig.askHost}), and the board request each becomes. */
class HostActionTest {
    @Test
    void buttonsAndPinsGoToTheBoardsGpio() {
        assertEquals(Optional.of(new HostRequest(Command.GPIO, "press BTN0")), TestCommand.boardRequest("press BTN0"));
        assertEquals(Optional.of(new HostRequest(Command.GPIO, "release BTN0")), TestCommand.boardRequest(" release  BTN0 "));
        assertEquals(Optional.of(new HostRequest(Command.GPIO, "write D22 1")), TestCommand.boardRequest("set D22 1"),
                "the rig's 'set' is gpio's 'write'");
    }

    @Test
    void sensorsAndPwmGoToTheBoardsCommandsOfTheirNames() {
        assertEquals(Optional.of(new HostRequest(Command.I2C, "temperature i2c-1 0x48 31.5")),
                TestCommand.boardRequest("i2c temperature i2c-1 0x48 31.5"));
        assertEquals(Optional.of(new HostRequest(Command.SPI, "voltage spi0.0 0 1.65")), TestCommand.boardRequest("spi voltage spi0.0 0 1.65"));
        assertEquals(Optional.of(new HostRequest(Command.PWM, "")), TestCommand.boardRequest("pwm"));
        assertEquals(Optional.of(new HostRequest(Command.PWM, "PWM0")), TestCommand.boardRequest("pwm PWM0"));
    }

    @Test
    void anythingElseIsNotThisHostsToDo() {
        for (String action : new String[] {"reboot", "press", "set D22 high", "gpio read D5", "heat 40"}) {
            assertEquals(Optional.empty(), TestCommand.boardRequest(action), action);
        }
    }
}
