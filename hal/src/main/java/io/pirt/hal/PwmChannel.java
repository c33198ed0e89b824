package io.pirt.hal;

import io.pirt.boards.PwmChannelSpec;

/**
 * One hardware PWM channel of the board, by its profile name ({@code PWM0}) or its pin
 * ({@code D18}), opened with {@link Board#pwm(String)}: a period (or frequency), a duty
 * (as a fraction or in nanoseconds), on or off. On a Raspberry Pi it is the kernel's
 * {@code /sys/class/pwm/pwmchipN/pwmM} (with {@code dtoverlay=pwm-2chan}); on the simulated
 * board every change is recorded in a timeline that the shell's {@code pwm} command and
 * tests read (docs/hal.md).
 *
 * <p>It opens off, with duty 0 and a period of {@link #DEFAULT_PERIOD_NS} (1 kHz). While it
 * is open its pin is taken: {@link Board#pin} refuses it. The duty is kept as nanoseconds; a
 * new period keeps the duty's fraction. Thread-safe.
 */
public final class PwmChannel implements AutoCloseable {
    /** The period a channel opens with: 1 ms, 1 kHz. */
    public static final long DEFAULT_PERIOD_NS = 1_000_000;
    private static final double NANOS_PER_SECOND = 1e9;

    private final Board board;
    private final PwmChannelSpec spec;
    private final Buses.PwmOutput output;
    /** What the output is set to now: 0 < periodNs, 0 <= dutyNs <= periodNs. Guarded by this. */
    private long periodNs = DEFAULT_PERIOD_NS;
    private long dutyNs;
    private boolean enabled;
    private volatile boolean closed;

    PwmChannel(Board board, PwmChannelSpec spec, Buses.PwmOutput output) {
        this.board = board;
        this.spec = spec;
        this.output = output;
    }

    /** The channel's name in the board profile ({@code PWM0}). */
    public String name() {
        return spec.name();
    }

    /** The pin the channel drives ({@code D18}). */
    public String pin() {
        return spec.pin();
    }

    /**
     * Sets the period, keeping the duty's fraction of it.
     *
     * @throws IllegalArgumentException if {@code periodNs} is not positive
     */
    public synchronized void setPeriodNanos(long periodNs) {
        if (periodNs <= 0) throw new IllegalArgumentException("a PWM period must be positive, not " + periodNs + " ns");
        long duty = Math.round((double) dutyNs * periodNs / this.periodNs);
        apply(periodNs, Math.min(duty, periodNs), enabled);
    }

    /** Sets the frequency ({@code 1e9 / hz} ns period), keeping the duty's fraction. */
    public void setFrequencyHz(double hz) {
        if (!(hz > 0) || hz > NANOS_PER_SECOND) throw new IllegalArgumentException("a PWM frequency is above 0 and at most 1 GHz, not " + hz + " Hz");
        setPeriodNanos(Math.max(1, Math.round(NANOS_PER_SECOND / hz)));
    }

    /** Sets the duty as a fraction of the period, 0 (always inactive) to 1 (always active). */
    public synchronized void setDuty(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) throw new IllegalArgumentException("a PWM duty is a fraction from 0 to 1, not " + fraction);
        apply(periodNs, Math.round(fraction * periodNs), enabled);
    }

    /** Sets the duty as the active time in each period, 0 to the period. */
    public synchronized void setDutyNanos(long dutyNs) {
        if (dutyNs < 0 || dutyNs > periodNs) {
            throw new IllegalArgumentException("a PWM duty is 0 to the period (" + periodNs + " ns), not " + dutyNs + " ns");
        }
        apply(periodNs, dutyNs, enabled);
    }

    /**
     * Zerynth's {@code pwm.write}: sets the period and the active time in it, and starts the
     * output.
     */
    public synchronized void write(long periodNs, long pulseNs) {
        if (periodNs <= 0) throw new IllegalArgumentException("a PWM period must be positive, not " + periodNs + " ns");
        if (pulseNs < 0 || pulseNs > periodNs) {
            throw new IllegalArgumentException("a PWM pulse is 0 to the period (" + periodNs + " ns), not " + pulseNs + " ns");
        }
        apply(periodNs, pulseNs, true);
    }

    /** Starts the output. */
    public synchronized void enable() {
        apply(periodNs, dutyNs, true);
    }

    /** Stops the output (the pin goes inactive); period and duty are kept. */
    public synchronized void disable() {
        apply(periodNs, dutyNs, false);
    }

    public synchronized long periodNanos() {
        return periodNs;
    }

    public synchronized double frequencyHz() {
        return NANOS_PER_SECOND / periodNs;
    }

    public synchronized long dutyNanos() {
        return dutyNs;
    }

    /** The duty as a fraction of the period. */
    public synchronized double duty() {
        return (double) dutyNs / periodNs;
    }

    public synchronized boolean isEnabled() {
        return enabled;
    }

    /** Guarded by this: the backend first, so a refused change leaves the fields as the output is. */
    private void apply(long periodNs, long dutyNs, boolean enabled) {
        checkOpen();
        output.set(periodNs, dutyNs, enabled);
        this.periodNs = periodNs;
        this.dutyNs = dutyNs;
        this.enabled = enabled;
    }

    private void checkOpen() {
        if (closed) throw new HalException("PWM channel " + spec.name() + " was closed; open it again with Board.pwm()");
    }

    /** Stops the output and gives the channel and its pin back. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        try {
            output.close();
        } finally {
            board.released(this);
        }
    }

    @Override
    public String toString() {
        return "PwmChannel[" + spec.name() + " on " + spec.pin() + "]";
    }
}
