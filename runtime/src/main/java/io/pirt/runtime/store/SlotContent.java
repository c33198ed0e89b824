package io.pirt.runtime.store;

import java.util.regex.Pattern;

/**
 * What a slot holds, as told by an already-verified bundle's manifest.
 *
 * @param name         the application's name; not blank, no control characters
 * @param version      the application's version; not blank, no control characters
 * @param mainClass    the class whose {@code main} starts it; not blank, no control characters
 * @param mainPriority the main thread's priority
 * @param sha256       SHA-256 of the bundle file, 64 lower-case hex digits
 */
public record SlotContent(String name, String version, String mainClass, int mainPriority, String sha256) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** @throws IllegalArgumentException naming the field that is wrong */
    public SlotContent {
        requireText("name", name);
        requireText("version", version);
        requireText("mainClass", mainClass);
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, was " + sha256);
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(field + " must not contain control characters: " + value.strip());
        }
    }
}
