package io.pirt.runtime.store;

/** One of the store's two slots. */
public enum SlotId {
    A, B;

    /** The other slot. */
    public SlotId other() {
        return this == A ? B : A;
    }

    /** The slot's directory name in the store, {@code slot-a} or {@code slot-b}. */
    String directoryName() {
        return "slot-" + name().toLowerCase(java.util.Locale.ROOT);
    }
}
