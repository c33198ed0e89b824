package io.pirt.virtualboard;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the virtual cable delivers when the two ends of a UART line listen at different rates. */
class UartResampleTest {
    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(3).nextBytes(b);
        return b;
    }

    private static byte[] heard(byte[] sent, int sendBaud, int receiveBaud) {
        byte[] out = new byte[VirtualCable.resampledCapacity(sent.length, sendBaud, receiveBaud)];
        int n = VirtualCable.resample(sent, sent.length, sendBaud, receiveBaud, out);
        return Arrays.copyOf(out, n);
    }

    @Test
    void aReceiverWithinTwoPercentOfTheRateReadsEveryByteSent() {
        byte[] sent = random(64);
        assertArrayEquals(sent, heard(sent, 115_200, 117_500));
        assertArrayEquals(sent, heard(sent, 115_200, 113_000));
    }

    @Test
    void aReceiverAtEightTimesTheRateReadsMoreBytesAndNoneOfTheData() {
        byte[] sent = random(64);
        byte[] heard = heard(sent, 115_200, 921_600);
        assertTrue(heard.length > sent.length, "each slow start bit and each run of zeros reads as a byte: " + heard.length);
        assertFalse(Arrays.equals(sent, Arrays.copyOf(heard, sent.length)));
    }

    @Test
    void aReceiverAtAnEighthOfTheRateReadsFewBytesOfGarbage() {
        byte[] sent = random(64);
        byte[] heard = heard(sent, 921_600, 115_200);
        assertTrue(heard.length > 0 && heard.length <= sent.length / 7 + 1, "one byte per eight or so: " + heard.length);
    }

    @Test
    void anIdleLineReadsNothing() {
        assertArrayEquals(new byte[0], heard(new byte[0], 921_600, 115_200));
    }
}
