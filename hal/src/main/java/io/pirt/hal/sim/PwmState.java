package io.pirt.hal.sim;

import java.util.List;
import java.util.Objects;

/**
 * A simulated PWM channel as {@link SimulatedBuses#pwm(String)} sees it at one moment: what
 * its output is set to, and the changes that led there. Immutable.
 *
 * @param channel        the channel's profile name ({@code PWM0})
 * @param pin            the pin it drives ({@code D18})
 * @param open           whether it is taken (opened with {@code Board.pwm} and not closed)
 * @param periodNs       the period it is set to (the last one set; 1 ms before it was ever opened)
 * @param dutyNs         the active time in each period, 0 to {@code periodNs}
 * @param enabled        whether the output runs
 * @param changes        the last changes, oldest first, at most {@link SimulatedBuses#PWM_TIMELINE_CAPACITY}
 * @param earlierChanges how many changes before the first of {@code changes} the timeline no longer holds
 */
public record PwmState(String channel, String pin, boolean open, long periodNs, long dutyNs, boolean enabled, List<Change> changes,
                       long earlierChanges) {
    public PwmState {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(pin, "pin");
        changes = List.copyOf(changes);
    }

    /** The frequency in Hz. */
    public double frequencyHz() {
        return 1e9 / periodNs;
    }

    /** The duty as a fraction of the period, 0 to 1. */
    public double duty() {
        return (double) dutyNs / periodNs;
    }

    /**
     * One change of the output: its opening, a set, its closing (recorded disabled).
     *
     * @param nanos when, on the {@link System#nanoTime()} clock of the process that holds the board
     */
    public record Change(long nanos, long periodNs, long dutyNs, boolean enabled) {
        /** The duty as a fraction of the period. */
        public double duty() {
            return (double) dutyNs / periodNs;
        }
    }
}
