package io.pirt.runtime.endpoint;

import io.pirt.wire.*;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The board's side of a baud switch (docs/protocol.md §5.6): it accepts or refuses a rate,
 * switches its port, and goes back to the port's own rate (the home rate) by itself
 * unless a tool proves within {@link #CONFIRM_MS} that it speaks the new one, and again
 * as soon as the session at the new rate ends. So a failed switch never leaves the
 * console at a rate nobody speaks, and the next session starts at the home rate.
 *
 * <p>Implementation notes. Three states, guarded by {@code lock}: HOME; TRIAL (switched,
 * waiting for a HELLO at the new rate until {@code deadlineNanos}); CONFIRMED (a HELLO
 * arrived at the new rate: stay while its session lasts). When a confirmed session ends
 * the state is TRIAL again with a short deadline, {@link #REVERT_DELAY_MS}, so the BYE
 * reply still leaves at the new rate, and a tool that says hello again at once keeps it.
 * One thread ({@code pirt-baud-revert}, started at the first switch) waits for the
 * deadline and switches back.
 */
final class RateSwitch implements AutoCloseable {
    /** The request that asks for a switch; its argument is the rate in baud. */
    static final String COMMAND = "baud";
    /** How long the board waits at a new rate for a HELLO before it goes back. */
    static final long CONFIRM_MS = 2_000;
    /** After the session at the new rate ended, how long before going back (its last frames leave first). */
    static final long REVERT_DELAY_MS = 50;
    /** Lets the acknowledgement's bytes leave the UART before the rate changes under them. */
    private static final long DRAIN_MS = 10;
    /** Rates a Linux UART driver takes by name (termios Bxxx); anything else is refused. */
    private static final int[] RATES = {9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600,
            1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000};

    private enum State { HOME, TRIAL, CONFIRMED }

    private final LineRate port;
    private final int homeBaud;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private State state = State.HOME;
    /** TRIAL: when to go back home. Guarded by lock. */
    private long deadlineNanos;
    /** Started at the first switch; guarded by lock. */
    private Thread reverter;
    private boolean closed;

    RateSwitch(LineRate port) {
        this.port = port;
        this.homeBaud = port.baud();
    }

    /**
     * The rate {@code argument} asks for.
     *
     * @throws IllegalArgumentException saying why it is refused (not a number, not a rate this UART takes)
     */
    int parse(String argument) {
        int baud;
        try {
            baud = Integer.parseInt(argument.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + COMMAND + "' takes a rate in baud, not '" + argument + "'");
        }
        if (Arrays.stream(RATES).noneMatch(r -> r == baud)) {
            throw new IllegalArgumentException(baud + " baud is not a rate this board's UART takes; it takes "
                    + Arrays.toString(RATES).replaceAll("[\\[\\]]", ""));
        }
        return baud;
    }

    /** What the board says when it accepts {@code baud}. */
    String acceptance(int baud) {
        return "switching to " + baud + " baud; back to " + homeBaud + " unless a HELLO arrives at " + baud + " within "
                + CONFIRM_MS + " ms";
    }

    /**
     * Switches the port to {@code baud}, on trial. The session that asked is over by now; the
     * tool says hello again at the new rate.
     */
    void switchTo(int baud) throws InterruptedException {
        synchronized (lock) {
            if (closed) return;
            lock.wait(DRAIN_MS); // the line drains; nothing notifies this wait but close()
            if (closed) return;
            try {
                port.setBaud(baud);
            } catch (IOException e) {
                return; // the port said why (the console logs it); still at the old rate: the tool finds no board at the new one and comes back
            }
            state = State.TRIAL;
            deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONFIRM_MS);
            if (reverter == null) {
                reverter = new Thread(this::revertLoop, "pirt-baud-revert");
                reverter.setDaemon(true);
                reverter.start();
            }
            lock.notifyAll();
        }
    }

    /** Reader thread: a valid HELLO arrived, so the tool speaks the rate the port is at. */
    void helloArrived() {
        synchronized (lock) {
            if (state == State.TRIAL) state = State.CONFIRMED;
        }
    }

    /** The session ended (BYE, or the tool went silent): the new rate goes with it. */
    void sessionEnded() {
        synchronized (lock) {
            if (state != State.CONFIRMED) return;
            state = State.TRIAL;
            deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REVERT_DELAY_MS);
            lock.notifyAll();
        }
    }

    private void revertLoop() {
        synchronized (lock) {
            try {
                while (!closed) {
                    long left = deadlineNanos - System.nanoTime();
                    if (state != State.TRIAL) {
                        lock.wait();
                    } else if (left > 0) {
                        lock.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                    } else {
                        state = State.HOME;
                        try {
                            port.setBaud(homeBaud);
                        } catch (IOException e) {
                            // The port refuses the rate it was opened at: it is failing, and the
                            // console's reader sees that too and reopens it (at the home rate).
                        }
                    }
                }
            } catch (InterruptedException e) {
                // close(): nothing left to do
            }
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            t = reverter;
        }
        if (t != null) t.interrupt();
    }
}
