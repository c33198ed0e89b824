package io.pirt.wire.message;

import java.util.List;

/**
 * The answer to {@code pwm [CHANNEL]}: the board's PWM channels as the process that holds the
 * board has them (the application's while one runs, else the runtime's).
 *
 * @param simulated true on the simulated board, which has every channel of its profile and
 *                  records their changes; false on a real board, which reports the channels
 *                  the application has open, without changes
 * @param channels  in the profile's order (all of them, or the one asked for)
 */
public record PwmStates(boolean simulated, List<Channel> channels) {
    public PwmStates {
        channels = List.copyOf(channels);
    }

    /**
     * One channel.
     *
     * @param name           its profile name ({@code PWM0})
     * @param pin            the pin it drives ({@code D18})
     * @param open           whether an application (or the shell's process) has it open
     * @param periodNs       its period, positive
     * @param dutyNs         the active time in each period, 0 to {@code periodNs}
     * @param enabled        whether the output runs
     * @param recent         its latest changes, oldest first (empty on a real board)
     * @param earlierChanges how many changes before those the answer leaves out
     */
    public record Channel(String name, String pin, boolean open, long periodNs, long dutyNs, boolean enabled, List<Change> recent,
                          long earlierChanges) {
        public Channel {
            Required.of("PwmStates.Channel", "name", name, "pin", pin);
            recent = recent == null ? List.of() : List.copyOf(recent);
        }
    }

    /**
     * One change of a channel's output.
     *
     * @param agoNs how long before the answer it happened
     */
    public record Change(long agoNs, long periodNs, long dutyNs, boolean enabled) {
    }
}
