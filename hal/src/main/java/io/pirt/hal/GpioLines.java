package io.pirt.hal;

import io.pirt.boards.Pin;

/**
 * The GPIO lines of one board, as a backend drives them: the simulated board's, or a real
 * board's through the GPIO character device (Pi4J for outputs). Applications do not use this: they use {@link Board} and
 * {@link GpioPin}, which claim pins, check capabilities and run callbacks on threads of
 * their priority.
 *
 * <p>Levels are logical: {@code true} is "active" ({@code high} for an active-high pin; the
 * backend inverts for a pin whose profile says {@code activeLow}). Implementations are
 * thread-safe. Errors are {@link HalException}s naming the pin and what to do.
 */
public interface GpioLines extends AutoCloseable {
    /** Sets {@code pin} up in {@code mode}; an output starts inactive. */
    void configure(Pin pin, PinMode mode);

    /** The level of {@code pin}, configured before. */
    boolean read(Pin pin);

    /** Drives output {@code pin} to {@code active}. */
    void write(Pin pin, boolean active);

    /**
     * Starts watching input {@code pin}: its level changes from now on, in order, until the
     * returned watch is closed. One thread takes them (the pin's callback thread, at the
     * callback's priority): on a real board that thread blocks on the kernel's event queue
     * itself, so no other thread stands between the kernel and the callback. Read the pin's
     * level after this returns to know the level the changes start from.
     *
     * @throws HalException if the pin is not a configured input, or its events cannot be read
     */
    LevelChanges watch(Pin pin);

    /** Frees {@code pin}: no more events, the line goes back to the system. */
    void release(Pin pin);

    /** Frees every line. */
    @Override
    void close();

    /**
     * The level changes of one watched input pin, taken by one thread. Levels are logical;
     * times are {@link System#nanoTime()} nanoseconds (CLOCK_MONOTONIC on Linux): on a real
     * board the kernel's own timestamp of the edge, taken in its interrupt handler.
     */
    interface LevelChanges extends AutoCloseable {
        /**
         * Waits for the next level change, at most {@code timeoutMs} (negative: without
         * bound). True if one was taken: then {@link #level()} and {@link #nanos()} are it.
         * False on timeout, or at once after {@link #wakeUp()}. Only the watching thread calls this.
         *
         * @throws io.pirt.threading.ThreadInterruptedException if the thread is interrupted while it waits
         * @throws HalException if the events cannot be read (the message names the pin)
         */
        boolean take(long timeoutMs);

        /** The level of the change {@link #take} took last. */
        boolean level();

        /** When that change happened, System.nanoTime nanoseconds. */
        long nanos();

        /**
         * How many level changes were lost since the last call (a queue overflowed because
         * they came faster than they were taken), and resets the count. Only the watching thread calls this.
         */
        long takeDropped();

        /** Makes a {@link #take} in progress, and every later one, return false promptly. Any thread. */
        void wakeUp();

        /** Stops the watch and frees what it holds (the pin stays configured). Only the watching thread, once it stopped taking. */
        @Override
        void close();
    }
}
