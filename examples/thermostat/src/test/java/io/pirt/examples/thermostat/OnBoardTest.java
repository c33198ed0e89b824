package io.pirt.examples.thermostat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pirt.boardtest.TestRig;
import io.pirt.hal.HalException;
import io.pirt.hal.I2cBus;
import io.pirt.hal.PwmChannel;
import io.pirt.hal.sim.PwmState;
import io.pirt.threading.Event;
import io.pirt.threading.Thread;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The thermostat on the board (`pirt test`, docs/testing.md): the rig sets the simulated
 * TMP102's temperature through the host, the test reads the fan's PWM output back. Where
 * there is no host (`mvn test` on a laptop) or the board is real, the rig's steps skip the
 * tests with the reason.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OnBoardTest {
    @Test
    void theFansDutyFollowsTheTemperature() {
        TestRig.setTemperature(Thermostat.BUS, Tmp102.DEFAULT_ADDRESS, 20); // skips the test where nobody can
        try (I2cBus bus = TestRig.board().i2c(Thermostat.BUS); PwmChannel fan = TestRig.board().pwm(Thermostat.FAN)) {
            Thermostat thermostat = new Thermostat(bus, Tmp102.DEFAULT_ADDRESS, fan);
            double[][] celsiusAndDuty = {{20, 0}, {25, 0}, {27.5, 0.25}, {30, 0.5}, {34.25, 0.925}, {35, 1}, {41, 1}, {-10.5, 0}};
            for (double[] expected : celsiusAndDuty) {
                TestRig.setTemperature(Thermostat.BUS, Tmp102.DEFAULT_ADDRESS, expected[0]);
                Thermostat.Step step = thermostat.step();
                assertEquals(expected[0], step.celsius(), 0.0625, "the sensor's reading (a 0.0625 °C step)");
                PwmState output = TestRig.pwm(Thermostat.FAN);
                assertTrue(output.enabled(), output.toString());
                assertEquals(Thermostat.FAN_HZ, output.frequencyHz(), 1e-6);
                assertEquals(expected[1], output.duty(), 1e-6, "the fan's duty at " + expected[0] + " °C: " + output);
            }
        }
    }

    @Test
    void theControlLoopSeesAWarmerRoomWithinAFewPeriods() {
        TestRig.setTemperature(Thermostat.BUS, Tmp102.DEFAULT_ADDRESS, 22);
        try (I2cBus bus = TestRig.board().i2c(Thermostat.BUS); PwmChannel fan = TestRig.board().pwm(Thermostat.FAN)) {
            Thermostat thermostat = new Thermostat(bus, Tmp102.DEFAULT_ADDRESS, fan);
            Event cool = new Event();
            Event warm = new Event();
            Thread loop = thermostat.start(step -> {
                if (step.duty() == 0) cool.set();
                if (Math.abs(step.duty() - 0.8) < 1e-9) warm.set();
            });
            try {
                assertTrue(cool.await(5_000), "the loop ran and left the fan off at 22 °C");
                TestRig.setTemperature(Thermostat.BUS, Tmp102.DEFAULT_ADDRESS, 33);
                assertTrue(warm.await(5_000), "at 33 °C the fan went to 80 % within 5 s (a step every 500 ms)");
                assertEquals(0.8, TestRig.pwm(Thermostat.FAN).duty(), 1e-6);
            } finally {
                loop.interrupt();
                loop.join(5_000);
            }
        }
    }

    @Test
    void aSensorThatDoesNotAnswerIsReportedWithItsBusAndAddress() {
        assumeTrue(TestRig.board().simulatedBuses().isPresent(), "on a real board 0x4f may well answer");
        try (I2cBus bus = TestRig.board().i2c(Thermostat.BUS)) {
            HalException e = assertThrows(HalException.class, () -> new Tmp102(bus, 0x4f).celsius());
            assertTrue(e.getMessage().contains("i2c-1") && e.getMessage().contains("0x4f"), e.getMessage());
        }
    }
}
