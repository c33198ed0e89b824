package io.pirt.wire.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pwm command's answer: its JSON both ends read, and its text for a person. */
class PwmStatesTest {
    private static final PwmStates SIMULATED = new PwmStates(true, List.of(
            new PwmStates.Channel("PWM0", "D18", true, 40_000, 16_000, true,
                    List.of(new PwmStates.Change(2_500_000_000L, 1_000_000, 0, false), new PwmStates.Change(1_250_000, 40_000, 16_000, true)), 3),
            new PwmStates.Channel("PWM1", "D19", false, 1_000_000, 0, false, List.of(), 0)));

    @Test
    void theAnswerRoundTripsAsJson() throws Exception {
        assertEquals(SIMULATED, Messages.decode(Messages.encode(SIMULATED), PwmStates.class));
        assertEquals(PwmStates.class, Command.PWM.answerType("PWM0"));
    }

    @Test
    void aPersonReadsEachChannelWithItsChangesOldestFirst() {
        assertEquals(String.join("\n",
                "PWM0 on D18: on, 25000 Hz, duty 40.0 % (16000 of 40000 ns)",
                "  (3 earlier changes)",
                "      2.500 s ago  off, 1000 Hz, duty 0.0 %",
                "      0.001 s ago  on, 25000 Hz, duty 40.0 %",
                "PWM1 on D19: not open, off, 1000 Hz, duty 0.0 % (0 of 1000000 ns)"), AnswerText.of(SIMULATED));
    }

    @Test
    void aRealBoardSaysItKeepsNoTimelineOrThatNothingIsOpen() {
        assertEquals("no PWM channel is open (on a real board pirt sees the channels the application has open)",
                AnswerText.of(new PwmStates(false, List.of())));
        String text = AnswerText.of(new PwmStates(false, List.of(new PwmStates.Channel("PWM1", "D19", true, 3_000_000, 1_000_000, true, List.of(), 0))));
        assertEquals("PWM channels the application has open (a real board keeps no timeline):\n"
                + "PWM1 on D19: on, 333.333 Hz, duty 33.3 % (1000000 of 3000000 ns)", text);
    }
}
