package io.pirt.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fails on purpose, to show what a failure looks like in `pirt test`'s output, its exit code
 * and its reports (tests/ checks them). Tagged so `mvn test` leaves it out.
 */
@Tag("fails-on-purpose")
class FailingOnPurposeTest {
    @Test
    void passes() {
        System.out.println("this line is captured with the test's result");
        assertEquals(4, 2 + 2);
    }

    @Test
    void failsOnPurpose() {
        assertEquals(5, 2 + 2, "two and two make four, not five: this test fails on purpose");
    }
}
