package io.pirt.bundle;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version {@code MAJOR.MINOR.PATCH[-QUALIFIER]}, compared numerically part by part; with
 * equal numbers a version with a qualifier is older than one without, and qualifiers
 * compare as ASCII strings (docs/bundle.md, section 2). Immutable.
 *
 * @param qualifier empty when there is none
 */
public record Version(int major, int minor, int patch, String qualifier) implements Comparable<Version> {
    private static final String NUMBER = "(0|[1-9][0-9]{0,8})";
    private static final Pattern FORM =
            Pattern.compile(NUMBER + "\\." + NUMBER + "\\." + NUMBER + "(?:-([0-9A-Za-z.-]{1,64}))?");

    public Version {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers must not be negative: " + major + "." + minor + "." + patch);
        }
        Objects.requireNonNull(qualifier, "qualifier (empty when there is none)");
        if (!qualifier.isEmpty() && !qualifier.matches("[0-9A-Za-z.-]{1,64}")) {
            throw new IllegalArgumentException("version qualifier '" + qualifier + "' must match [0-9A-Za-z.-]{1,64}");
        }
    }

    /**
     * Parses {@code 1.4.0} or {@code 0.1.0-SNAPSHOT}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Version parse(String text) {
        Matcher m = FORM.matcher(Objects.requireNonNull(text, "text"));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + ShortText.of(text)
                    + "' is not a version: expected MAJOR.MINOR.PATCH or MAJOR.MINOR.PATCH-QUALIFIER, e.g. 1.4.0");
        }
        return new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), m.group(4) == null ? "" : m.group(4));
    }

    @Override
    public int compareTo(Version o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) c = Integer.compare(minor, o.minor);
        if (c == 0) c = Integer.compare(patch, o.patch);
        if (c != 0) return c;
        if (qualifier.isEmpty() || o.qualifier.isEmpty()) {
            return Boolean.compare(qualifier.isEmpty(), o.qualifier.isEmpty());
        }
        return qualifier.compareTo(o.qualifier);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (qualifier.isEmpty() ? "" : "-" + qualifier);
    }
}
