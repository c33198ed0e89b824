package io.pirt.hal;

/** Called on a pin's callback thread for each edge (after debouncing). */
@FunctionalInterface
public interface EdgeCallback {
    /**
     * The pin went to {@code active} (true: high on an active-high pin) at {@code nanos}
     * ({@link System#nanoTime()} when the backend saw the change).
     */
    void onEdge(boolean active, long nanos);
}
