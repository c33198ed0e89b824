package io.pirt.bundle;

/** Text from a bundle made safe to quote in a message: bounded, control characters escaped. */
final class ShortText {
    private static final int MAX_CHARS = 80;

    private ShortText() {
    }

    static String of(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < MAX_CHARS; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        if (b.length() >= MAX_CHARS && s.length() > MAX_CHARS) b.append("...");
        return b.toString();
    }
}
