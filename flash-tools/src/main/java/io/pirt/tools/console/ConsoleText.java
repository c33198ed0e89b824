package io.pirt.tools.console;

/**
 * A console line as a person sees it: the board's shell redraws its prompt line with CR and
 * erase-line sequences, which a terminal consumes and a log or a test must not keep; and an
 * application may print any escape sequence (a title-setting OSC, a hyperlink, a cursor move)
 * that must not reach the person's terminal from a board's output. Used by
 * {@code pirt console} and the JUnit extension. Stateless.
 */
public final class ConsoleText {
    private static final char ESC = '\u001b';
    private static final char BEL = '\u0007';

    private ConsoleText() {
    }

    /**
     * {@code raw} without terminal escape sequences and control characters (tab kept), and only
     * what follows its last CR. Removed: CSI ({@code ESC [} ... final byte), OSC, DCS, SOS, PM
     * and APC strings (up to BEL or {@code ESC \}, or the end of the line), every other
     * {@code ESC} sequence, their 8-bit C1 forms, and a lone ESC.
     */
    public static String clean(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        int i = 0;
        int n = raw.length();
        while (i < n) {
            char c = raw.charAt(i);
            if (c == ESC) {
                i = skipEscape(raw, i + 1);
            } else if (c == '\u009b') { // 8-bit CSI
                i = skipCsi(raw, i + 1);
            } else if (c == '\u0090' || c == '\u0098' || c == '\u009d' || c == '\u009e' || c == '\u009f') { // 8-bit DCS SOS OSC PM APC
                i = skipString(raw, i + 1);
            } else if (c == '\r') {
                out.setLength(0); // only what follows the last CR is seen
                i++;
            } else {
                if (c == '\t' || !Character.isISOControl(c)) out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** {@code i} just after an ESC: the index after the sequence it starts. */
    private static int skipEscape(String s, int i) {
        if (i >= s.length()) return i;
        char c = s.charAt(i);
        if (c == '[') return skipCsi(s, i + 1);
        if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') return skipString(s, i + 1);
        while (i < s.length() && s.charAt(i) >= 0x20 && s.charAt(i) <= 0x2f) i++; // intermediates
        if (i < s.length() && s.charAt(i) >= 0x30 && s.charAt(i) <= 0x7e) i++; // final byte
        return i;
    }

    /** Parameters and intermediates, then one final byte (0x40-0x7E); stops early at anything else. */
    private static int skipCsi(String s, int i) {
        while (i < s.length() && s.charAt(i) >= 0x20 && s.charAt(i) <= 0x3f) i++;
        if (i < s.length() && s.charAt(i) >= 0x40 && s.charAt(i) <= 0x7e) i++;
        return i;
    }

    /** A control string up to BEL, {@code ESC \} or ST (U+009C), which are removed with it; or to the end. */
    private static int skipString(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == BEL || c == '\u009c') return i + 1;
            if (c == ESC) return i + 1 < s.length() && s.charAt(i + 1) == '\\' ? i + 2 : i + 1;
            i++;
        }
        return i;
    }
}
