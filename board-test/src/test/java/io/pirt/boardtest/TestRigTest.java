package io.pirt.boardtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pirt.hal.PwmChannel;
import io.pirt.hal.sim.PwmState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The rig's sensor and PWM calls in a process no runtime supervises, on the simulated board
 * (as a test runs on the host with mvn test): what needs the host is skipped with the reason,
 * what the process can read itself is read.
 */
class TestRigTest {
    @BeforeAll
    static void theVirtualBoard() {
        System.setProperty("pirt.board", "virtual"); // Board.current() of this JVM: nothing else here opens it
    }

    @Test
    void settingASensorWithoutAHostIsSkippedWithTheReason() {
        TestAbortedException e = assertThrows(TestAbortedException.class, () -> TestRig.setTemperature("i2c-1", 0x48, 31.5));
        assertEquals("this rig cannot 'i2c temperature i2c-1 0x48 31.5': no pirt runtime supervises this process, so there is no host to ask",
                e.getMessage());
        e = assertThrows(TestAbortedException.class, () -> TestRig.setVoltage("spi0.0", 0, 1.65));
        assertTrue(e.getMessage().startsWith("this rig cannot 'spi voltage spi0.0 0 1.65'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TestRig.setTemperature("i2c-1", 0x80, 20), "not a 7-bit address");
    }

    @Test
    void aPwmChannelIsReadFromTheSimulatedBoardOfThisProcess() {
        try (PwmChannel fan = TestRig.board().pwm("PWM0")) {
            fan.write(40_000, 30_000);
            PwmState s = TestRig.pwm("D18");
            assertTrue(s.open() && s.enabled());
            assertEquals(0.75, s.duty(), 1e-9);
            assertEquals(25_000, s.frequencyHz(), 1e-6);
        }
        assertFalse(TestRig.pwm("PWM0").enabled(), "closed: off");
    }
}
