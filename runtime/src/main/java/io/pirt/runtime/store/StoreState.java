package io.pirt.runtime.store;

import java.util.LinkedHashMap;
import java.util.SequencedMap;

/**
 * What {@code state.properties} says (docs/store.md, version 1). Immutable; a change is a new
 * value written whole.
 *
 * @param committed       the slot that runs when no trial does; null when none
 * @param trial           the slot on trial; null when none
 * @param trialStartsLeft starts the trial may still have; 0 when there is no trial
 * @param previous        the slot committed before {@code committed}, kept for rollback; null when none
 * @param nextGeneration  the next install's generation; greater than every generation referenced here
 * @param lastRollback    why the last rollback happened; empty when never
 */
record StoreState(SlotRef committed, SlotRef trial, int trialStartsLeft, SlotRef previous,
                  long nextGeneration, String lastRollback) {
    static final int FORMAT = 1;
    static final StoreState EMPTY = new StoreState(null, null, 0, null, 1, "");

    StoreState {
        if (trial == null && trialStartsLeft != 0 || trialStartsLeft < 0) {
            throw new IllegalArgumentException("trialStartsLeft " + trialStartsLeft + " with trial " + trial);
        }
        if (same(committed, trial) || same(committed, previous) || same(trial, previous)) {
            throw new IllegalArgumentException("one slot named twice: committed " + committed
                    + ", trial " + trial + ", previous " + previous);
        }
        for (SlotRef ref : new SlotRef[] {committed, trial, previous}) {
            if (ref != null && ref.generation() >= nextGeneration) {
                throw new IllegalArgumentException(ref + " is not older than nextGeneration " + nextGeneration);
            }
        }
    }

    private static boolean same(SlotRef a, SlotRef b) {
        return a != null && b != null && a.slot() == b.slot();
    }

    /** True when the state names {@code slot} at all. */
    boolean names(SlotId slot) {
        return is(committed, slot) || is(trial, slot) || is(previous, slot);
    }

    static boolean is(SlotRef ref, SlotId slot) {
        return ref != null && ref.slot() == slot;
    }

    /** This state without any reference to {@code slot}. */
    StoreState without(SlotId slot) {
        SlotRef t = is(trial, slot) ? null : trial;
        return new StoreState(is(committed, slot) ? null : committed, t, t == null ? 0 : trialStartsLeft,
                is(previous, slot) ? null : previous, nextGeneration, lastRollback);
    }

    byte[] encode() {
        SequencedMap<String, String> e = new LinkedHashMap<>();
        e.put("format", Integer.toString(FORMAT));
        e.put("committed", SlotRef.format(committed));
        e.put("trial", SlotRef.format(trial));
        e.put("trialStartsLeft", Integer.toString(trialStartsLeft));
        e.put("previous", SlotRef.format(previous));
        e.put("nextGeneration", Long.toString(nextGeneration));
        e.put("lastRollback", lastRollback);
        return CheckedFile.encode(e);
    }

    static StoreState decode(byte[] bytes, String where) throws CheckedFile.Corrupt {
        SequencedMap<String, String> e = CheckedFile.decode(bytes, where);
        long format = CheckedFile.requireLong(e, "format", where);
        if (format != FORMAT) {
            throw new CheckedFile.Corrupt(where + " has format " + format + "; this runtime reads format " + FORMAT);
        }
        long left = CheckedFile.requireLong(e, "trialStartsLeft", where);
        try {
            return new StoreState(
                    SlotRef.parse(CheckedFile.require(e, "committed", where), where),
                    SlotRef.parse(CheckedFile.require(e, "trial", where), where),
                    Math.toIntExact(left),
                    SlotRef.parse(CheckedFile.require(e, "previous", where), where),
                    CheckedFile.requireLong(e, "nextGeneration", where),
                    CheckedFile.require(e, "lastRollback", where));
        } catch (IllegalArgumentException | ArithmeticException ex) {
            throw new CheckedFile.Corrupt(where + " is inconsistent: " + ex.getMessage());
        }
    }
}
