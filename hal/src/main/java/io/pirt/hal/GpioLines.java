package io.pirt.hal;

import io.pirt.boards.Pin;

/**
 * The GPIO lines of one board, as a backend drives them: the simulated board's, or a real
 * board's through Pi4J. Applications do not use this: they use {@link Board} and
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
     * Calls {@code listener} on every level change of input {@code pin} until
     * {@link #release}. The listener runs on the backend's own thread and must return
     * quickly without blocking (GpioPin only records the event there).
     */
    void listen(Pin pin, LevelListener listener);

    /** Frees {@code pin}: no more events, the line goes back to the system. */
    void release(Pin pin);

    /** Frees every line. */
    @Override
    void close();

    /** Receives level changes of one input pin. */
    @FunctionalInterface
    interface LevelListener {
        /** {@code pin} went to {@code active} at {@code nanos} (System.nanoTime). */
        void levelChanged(boolean active, long nanos);
    }
}
