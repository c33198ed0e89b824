package io.pirt.examples.hello;

import io.pirt.threading.Event;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hangs on purpose — waits for an event nobody sets — to show that `pirt test --timeout`
 * ends the run and the board gets its application back (tests/ checks it). Tagged so
 * `mvn test` leaves it out.
 */
@Tag("hangs-on-purpose")
class HangingOnPurposeTest {
    @Test
    void waitsForever() {
        System.out.println("about to wait for an event nobody sets");
        new Event().await();
    }
}
