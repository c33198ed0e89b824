package io.pirt.bundle;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The strict {@code key=value} text of {@code pirt-bundle.properties} and
 * {@code pirt-bundle.sig} (docs/bundle.md, section 2): UTF-8, one pair a line, {@code #}
 * comments and blank lines ignored, no escapes; every expected key exactly once and no
 * other key.
 */
final class KeyValueText {
    private KeyValueText() {
    }

    /**
     * @param entry named in messages
     * @param keys  the keys that must each appear exactly once, and no others
     * @throws BundleRejectedException {@code MALFORMED_MANIFEST} naming the entry, line and key
     */
    static Map<String, String> parse(String entry, byte[] bytes, List<String> keys) throws BundleRejectedException {
        return parse(entry, bytes, keys, List.of());
    }

    /** As {@link #parse(String, byte[], List)}, with keys that may also appear, at most once each. */
    static Map<String, String> parse(String entry, byte[] bytes, List<String> keys, List<String> optionalKeys)
            throws BundleRejectedException {
        String text = utf8(entry, bytes);
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
            int eq = line.indexOf('=');
            String where = entry + " line " + (i + 1);
            if (eq < 0) {
                throw malformed(where + ": '" + ShortText.of(trimmed) + "' is not key=value");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (!keys.contains(key) && !optionalKeys.contains(key)) {
                throw malformed(where + ": unknown key '" + ShortText.of(key) + "'; the keys are " + keys
                        + (optionalKeys.isEmpty() ? "" : " and optionally " + optionalKeys));
            }
            if (values.putIfAbsent(key, value) != null) {
                throw malformed(where + ": key '" + key + "' appears twice");
            }
        }
        for (String key : keys) {
            if (!values.containsKey(key)) {
                throw malformed(entry + ": the required key '" + key + "' is missing");
            }
        }
        return values;
    }

    /** Formats pairs in the given order, one {@code key=value\n} each. */
    static byte[] format(Map<String, String> values) {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String utf8(String entry, byte[] bytes) throws BundleRejectedException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BundleRejectedException(BundleRejectedException.Reason.MALFORMED_MANIFEST,
                    entry + " is not UTF-8 text", e);
        }
    }

    static BundleRejectedException malformed(String detail) {
        return new BundleRejectedException(BundleRejectedException.Reason.MALFORMED_MANIFEST, detail);
    }
}
