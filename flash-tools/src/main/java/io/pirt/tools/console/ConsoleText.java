package io.pirt.tools.console;

/**
 * A console line as a person sees it: the board's shell redraws its prompt line with CR and
 * erase-line sequences, which a terminal consumes and a log or a test must not keep.
 * Used by {@code pirt console} and the JUnit extension. Stateless.
 */
public final class ConsoleText {
    private ConsoleText() {
    }

    /** {@code raw} without terminal control sequences, and only what follows its last CR. */
    public static String clean(String raw) {
        String s = raw.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "");
        int cr = s.lastIndexOf('\r');
        return cr >= 0 ? s.substring(cr + 1) : s;
    }
}
