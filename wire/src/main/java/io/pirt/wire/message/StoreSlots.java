package io.pirt.wire.message;

import java.util.List;

/**
 * The answer to {@code bundles}: the bundle store's slots (docs/store.md).
 *
 * @param slots        slot A, then B
 * @param lastRollback why the last rollback happened, or null if none
 */
public record StoreSlots(List<SlotState> slots, String lastRollback) {
    public StoreSlots {
        slots = List.copyOf(slots);
    }

    /** What a slot holds for the store. */
    public enum Role { FREE, COMMITTED, TRIAL, PREVIOUS }

    /**
     * One slot.
     *
     * @param slot             A or B
     * @param name             the bundle's name; null when free
     * @param version          its version; null when free
     * @param generation       the store's generation of the slot's content; 0 when free
     * @param trialStartsLeft  starts left on trial; null unless {@code role} is TRIAL
     */
    public record SlotState(String slot, Role role, String name, String version, long generation, Integer trialStartsLeft) {
        public SlotState {
            Required.of("SlotState", "slot", slot, "role", role);
        }
    }
}
