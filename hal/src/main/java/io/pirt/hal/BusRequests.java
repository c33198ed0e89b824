package io.pirt.hal;

import io.pirt.hal.sim.PwmState;
import io.pirt.hal.sim.SimulatedBuses;
import java.util.List;

/**
 * Carries out a {@link BusRequest} on a board, in whichever process holds it: the runtime's
 * shell on its own board while no application runs, the application's process (over the
 * supervision link, docs/runtime.md) while one does. The answer is one line of text, the
 * link's reply: {@code ok MESSAGE}, {@code error MESSAGE} (it failed: what and why), or
 * {@code unsupported MESSAGE} (this board cannot: setting a sensor of a board that is not
 * simulated). For {@code pwm} the message is {@code simulated} or {@code real} followed by one
 * tab-separated field per channel, {@code NAME|PIN|OPEN|PERIOD_NS|DUTY_NS|ENABLED|EARLIER|CHANGES}
 * (flags 1 or 0; CHANGES the last {@value #RECENT_CHANGES} as {@code AGO_NS,PERIOD_NS,DUTY_NS,ENABLED}
 * separated by {@code ;}, oldest first; EARLIER how many older ones are left out). A real
 * board reports the channels the process has open, without changes. Stateless; thread-safe.
 */
public final class BusRequests {
    /** How many of a channel's latest changes a {@code pwm} answer carries. */
    public static final int RECENT_CHANGES = 10;

    private BusRequests() {
    }

    /** Carries out a command line split into words, on the process's board ({@link Board#current()}); for the supervision link. */
    static String answer(String[] words) {
        BusRequest request = BusRequest.parse(words).orElse(null);
        if (request == null) return "error usage: " + BusRequest.usage(words[0]);
        try {
            return answer(request, Board.current());
        } catch (HalException e) { // no board for this process
            return "error " + e.getMessage();
        }
    }

    /**
     * Carries out {@code request} on {@code board}.
     *
     * @return the reply line (class comment); never throws for a request the board refuses
     */
    public static String answer(BusRequest request, Board board) {
        SimulatedBuses sim = board.simulatedBuses().orElse(null);
        try {
            return switch (request) {
                case BusRequest.SetTemperature t -> {
                    if (sim == null) yield "unsupported only the simulated board has simulated sensors; this board's TMP102 measures the real temperature";
                    sim.setTemperature(t.bus(), t.address(), t.celsius());
                    yield "ok the TMP102 at " + I2cBus.formatAddress(t.address()) + " on " + t.bus() + " measures " + t.celsius() + " °C";
                }
                case BusRequest.SetVoltage v -> {
                    if (sim == null) yield "unsupported only the simulated board has simulated sensors; this board's MCP3008 converts real voltages";
                    sim.setVoltage(v.device(), v.channel(), v.volts());
                    yield "ok channel " + v.channel() + " of the MCP3008 on " + v.device() + " is at " + v.volts() + " V";
                }
                case BusRequest.ReadPwm p -> "ok " + (sim != null ? simulated(sim, p) : real(board, p));
            };
        } catch (HalException | IllegalArgumentException e) { // no such device or channel, a value out of the device's range
            return "error " + e.getMessage();
        }
    }

    private static String simulated(SimulatedBuses sim, BusRequest.ReadPwm request) {
        List<PwmState> states = request.channel().map(c -> List.of(sim.pwm(c))).orElseGet(sim::pwmStates);
        long now = System.nanoTime();
        StringBuilder out = new StringBuilder("simulated");
        for (PwmState s : states) {
            List<PwmState.Change> changes = s.changes();
            int from = Math.max(0, changes.size() - RECENT_CHANGES);
            field(out, s.channel(), s.pin(), s.open(), s.periodNs(), s.dutyNs(), s.enabled(), s.earlierChanges() + from);
            for (int i = from; i < changes.size(); i++) {
                PwmState.Change c = changes.get(i);
                if (i > from) out.append(';');
                out.append(now - c.nanos()).append(',').append(c.periodNs()).append(',').append(c.dutyNs()).append(',')
                        .append(c.enabled() ? 1 : 0);
            }
        }
        return out.toString();
    }

    private static String real(Board board, BusRequest.ReadPwm request) {
        StringBuilder out = new StringBuilder("real");
        for (PwmChannel c : board.openPwmChannels()) {
            if (request.channel().isPresent() && !request.channel().get().equals(c.name()) && !request.channel().get().equals(c.pin())) continue;
            field(out, c.name(), c.pin(), true, c.periodNanos(), c.dutyNanos(), c.isEnabled(), 0);
        }
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String pin, boolean open, long periodNs, long dutyNs, boolean enabled,
                              long earlier) {
        out.append('\t').append(name).append('|').append(pin).append('|').append(open ? 1 : 0).append('|').append(periodNs).append('|')
                .append(dutyNs).append('|').append(enabled ? 1 : 0).append('|').append(earlier).append('|');
    }
}
