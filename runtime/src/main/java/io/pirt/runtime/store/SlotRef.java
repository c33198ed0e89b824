package io.pirt.runtime.store;

/**
 * A reference from the state file to a slot's content: the slot and the generation it must
 * hold ({@code A@7}). A slot rewritten by a later install has another generation, so it never
 * matches a reference meant for its earlier content.
 */
record SlotRef(SlotId slot, long generation) {
    static final String NONE = "none";

    /** Parses {@code A@7} or {@code none} (null). */
    static SlotRef parse(String text, String where) throws CheckedFile.Corrupt {
        if (text.equals(NONE)) {
            return null;
        }
        int at = text.indexOf('@');
        try {
            return new SlotRef(SlotId.valueOf(text.substring(0, Math.max(at, 0))), Long.parseLong(text.substring(at + 1)));
        } catch (IllegalArgumentException e) {
            throw new CheckedFile.Corrupt(where + ": not a slot reference (A@7 or none): " + text);
        }
    }

    static String format(SlotRef ref) {
        return ref == null ? NONE : ref.slot + "@" + ref.generation;
    }
}
