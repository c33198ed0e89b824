package io.pirt.tools.client;

import io.pirt.wire.Hello;
import io.pirt.wire.LineRate;
import io.pirt.wire.ProtocolException;
import io.pirt.wire.Response;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.Messages;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The host's side of a baud switch (docs/protocol.md §5.6): asks the board for a faster
 * rate, switches its own port with it, and says hello at the new rate; if nobody answers
 * there it goes back to the old rate and says hello again, where the board, which goes
 * back by itself, answers. The session is a new one either way; nothing is lost but time.
 */
public final class RateChange {
    /**
     * How the attempt ended; {@code message} says it for a person.
     */
    public enum Outcome {
        /** Both ends are at the new rate. */
        SWITCHED,
        /** The board's port has no rate to switch (a USB gadget port): nothing was tried. */
        NOT_OFFERED,
        /** The board refused the rate (it has no such rate, or is busy); still at the old rate. */
        REFUSED,
        /** The switch was tried and nobody answered at the new rate; both ends are back at the old one. */
        FELL_BACK
    }

    /** @param baud the rate both ends are at now */
    public record Result(Outcome outcome, int baud, String message) {
    }

    /** How long the host says hello at the new rate before it goes back. */
    static final long NEW_RATE_HELLO_MS = 1_000;
    /**
     * How long the host says hello at the old rate after going back: the board's trial at
     * the new rate (2 s) plus, if it heard the host's HELLO there but the host never heard
     * its answer, its idle timeout (3 s), and a second more.
     */
    static final long FALLBACK_HELLO_MS = 6_000;

    private RateChange() {
    }

    /**
     * Switches {@code client}'s session and {@code port} to {@code baud}.
     *
     * @throws ProtocolException if the board answers at neither rate (the message says what was tried)
     * @throws IOException if this port refuses the rate
     */
    public static Result to(BoardClient client, LineRate port, int baud) throws IOException, InterruptedException {
        int old = port.baud();
        if (baud == old) return new Result(Outcome.SWITCHED, old, "already at " + old + " baud");
        Hello board = client.board();
        if ((board.capabilities() & Hello.BAUD) == 0) {
            return new Result(Outcome.NOT_OFFERED, old, "the board's console has no baud rate to switch (a USB gadget port, "
                    + "or a runtime without the baud request); staying at " + old + " baud");
        }
        Response r = client.request(Command.BAUD.wireName(), Integer.toString(baud));
        if (r.status() != Response.Status.OK) {
            return new Result(Outcome.REFUSED, old, "the board refused " + baud + " baud (" + Messages.refusalIn(r).message()
                    + "); staying at " + old + " baud");
        }
        // The link acknowledges the answer right after delivering it; the board switches once
        // that acknowledgement arrived, so it must leave the port at the old rate first. A
        // serial port has no event for "drained": allow the acknowledgement's time on the line
        // (a few dozen bytes) and the adapter's latency, as esptool does after CHANGE_BAUDRATE.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(30) + TimeUnit.SECONDS.toNanos(10) * 64 / old);
        if (Thread.interrupted()) throw new InterruptedException();
        port.setBaud(baud);
        try {
            client.helloAgain(NEW_RATE_HELLO_MS);
            return new Result(Outcome.SWITCHED, baud, "switched to " + baud + " baud");
        } catch (ProtocolException atNewRate) {
            port.setBaud(old);
            try {
                client.helloAgain(FALLBACK_HELLO_MS);
            } catch (ProtocolException atOldRate) {
                atOldRate.addSuppressed(atNewRate);
                throw new ProtocolException("switched to " + baud + " baud, no answer there, went back to " + old
                        + " baud and no answer there either: " + atOldRate.getMessage(), atOldRate);
            }
            return new Result(Outcome.FELL_BACK, old, "no answer at " + baud + " baud (the cable, the adapter or the board's "
                    + "UART cannot carry it); both ends went back to " + old + " baud");
        }
    }
}
