package io.pirt.hal;

/** Called on a pin's callback thread for each edge (after debouncing). */
@FunctionalInterface
public interface EdgeCallback {
    /**
     * The pin went to {@code active} (true: high on an active-high pin) at {@code nanos}, on
     * the {@link System#nanoTime()} clock: on a Raspberry Pi the kernel's timestamp of the
     * edge, taken in its interrupt handler; on the simulated board the time of the write.
     */
    void onEdge(boolean active, long nanos);
}
