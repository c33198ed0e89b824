package io.pirt.threading.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The timed waits of a ping-pong thread that ran out, per iteration; JMH prints it as the
 * secondary result {@code <group>:timeouts}. The ping-pong benchmarks wait with a bound so
 * that a side whose partner has stopped (JMH stops threads independently) can look at
 * {@code Control.stopMeasurement} again; in a sound run no wait runs out and this is 0. A
 * non-zero count means some measured operation includes a {@link #TIMEOUT_MS} stall.
 */
@AuxCounters(AuxCounters.Type.EVENTS)
@State(Scope.Thread)
public class Timeouts {
    /** Far longer than a round trip (microseconds), short enough not to stall the end of an iteration. */
    static final long TIMEOUT_MS = 100;

    /** Read by JMH; must be public. */
    public long timeouts;

    @Setup(Level.Iteration)
    public void reset() {
        timeouts = 0;
    }
}
