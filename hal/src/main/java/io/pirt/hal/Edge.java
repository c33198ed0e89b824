package io.pirt.hal;

/** Which level changes of an input pin call its edge callback. */
public enum Edge {
    /** Inactive to active (low to high on an active-high pin). */
    RISING,
    /** Active to inactive. */
    FALLING,
    /** Either. */
    BOTH;

    /** True if a change to {@code active} is this edge. */
    boolean matches(boolean active) {
        return this == BOTH || (this == RISING) == active;
    }
}
