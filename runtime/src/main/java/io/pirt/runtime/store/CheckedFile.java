package io.pirt.runtime.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The text encoding shared by {@code state.properties} and {@code slot.properties}
 * (docs/store.md, "Checked key-value files"): UTF-8 lines {@code key=value} in a fixed
 * order, ended by {@code checksum=<sha256 of every byte before that line>}.
 */
final class CheckedFile {
    private static final String CHECKSUM = "checksum=";

    /** A file that is not intact or does not say what it must; the message says what and where. */
    static final class Corrupt extends Exception {
        Corrupt(String message) {
            super(message);
        }
    }

    private CheckedFile() {}

    static byte[] encode(SequencedMap<String, String> entries) {
        StringBuilder text = new StringBuilder();
        entries.forEach((key, value) -> {
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new IllegalArgumentException(key + " must not contain a line break");
            }
            text.append(key).append('=').append(value).append('\n');
        });
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        String tail = CHECKSUM + sha256(body) + "\n";
        byte[] all = new byte[body.length + tail.length()];
        System.arraycopy(body, 0, all, 0, body.length);
        System.arraycopy(tail.getBytes(StandardCharsets.US_ASCII), 0, all, body.length, tail.length());
        return all;
    }

    /** The entries in file order. {@code where} names the file in messages. */
    static SequencedMap<String, String> decode(byte[] bytes, String where) throws Corrupt {
        int end = bytes.length;
        if (end == 0 || bytes[end - 1] != '\n') {
            throw new Corrupt(where + " is cut short (no final line break)");
        }
        int lastLineStart = end - 1;
        while (lastLineStart > 0 && bytes[lastLineStart - 1] != '\n') {
            lastLineStart--;
        }
        String last = new String(bytes, lastLineStart, end - 1 - lastLineStart, StandardCharsets.UTF_8);
        if (!last.startsWith(CHECKSUM)) {
            throw new Corrupt(where + " has no checksum line at its end");
        }
        byte[] body = java.util.Arrays.copyOf(bytes, lastLineStart);
        if (!last.substring(CHECKSUM.length()).equals(sha256(body))) {
            throw new Corrupt(where + " does not match its checksum (damaged or cut short)");
        }
        SequencedMap<String, String> entries = new LinkedHashMap<>();
        for (String line : new String(body, StandardCharsets.UTF_8).split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new Corrupt(where + ": line without key=value: " + line);
            }
            if (entries.putIfAbsent(line.substring(0, eq), line.substring(eq + 1)) != null) {
                throw new Corrupt(where + ": key " + line.substring(0, eq) + " appears twice");
            }
        }
        return entries;
    }

    static String require(Map<String, String> entries, String key, String where) throws Corrupt {
        String value = entries.get(key);
        if (value == null) {
            throw new Corrupt(where + " lacks " + key);
        }
        return value;
    }

    static long requireLong(Map<String, String> entries, String key, String where) throws Corrupt {
        String value = require(entries, key, where);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new Corrupt(where + ": " + key + " is not a number: " + value);
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
