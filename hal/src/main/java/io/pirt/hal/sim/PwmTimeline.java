package io.pirt.hal.sim;

import io.pirt.boards.PwmChannelSpec;
import io.pirt.hal.PwmChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated PWM channel: its output now and a ring of its last changes, which records
 * without allocating and never grows. Not thread-safe: the {@link SimulatedBuses} that holds
 * it calls it with its lock held.
 */
final class PwmTimeline {
    private final PwmChannelSpec spec;
    /** The ring: entry i of each array is one change; the next goes to (recorded % capacity). */
    private final long[] nanos;
    private final long[] periods;
    private final long[] duties;
    private final boolean[] enables;
    /** Changes ever recorded; the ring holds the last min(recorded, capacity). */
    private long recorded;
    private boolean open;
    /** The output now: 0 < periodNs, 0 <= dutyNs <= periodNs. */
    private long periodNs = PwmChannel.DEFAULT_PERIOD_NS;
    private long dutyNs;
    private boolean enabled;

    PwmTimeline(PwmChannelSpec spec, int capacity) {
        this.spec = spec;
        nanos = new long[capacity];
        periods = new long[capacity];
        duties = new long[capacity];
        enables = new boolean[capacity];
    }

    boolean isOpen() {
        return open;
    }

    /** Taken: off, duty 0, the default period. */
    void open() {
        open = true;
        set(PwmChannel.DEFAULT_PERIOD_NS, 0, false);
    }

    void set(long periodNs, long dutyNs, boolean enabled) {
        this.periodNs = periodNs;
        this.dutyNs = dutyNs;
        this.enabled = enabled;
        int i = (int) (recorded % nanos.length);
        nanos[i] = System.nanoTime();
        periods[i] = periodNs;
        duties[i] = dutyNs;
        enables[i] = enabled;
        recorded++;
    }

    /** Given back: the output stops, period and duty as they were. */
    void close() {
        set(periodNs, dutyNs, false);
        open = false;
    }

    PwmState state() {
        int held = (int) Math.min(recorded, nanos.length);
        List<PwmState.Change> changes = new ArrayList<>(held);
        for (long n = recorded - held; n < recorded; n++) {
            int i = (int) (n % nanos.length);
            changes.add(new PwmState.Change(nanos[i], periods[i], duties[i], enables[i]));
        }
        return new PwmState(spec.name(), spec.pin(), open, periodNs, dutyNs, enabled, changes, recorded - held);
    }
}
