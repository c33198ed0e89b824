package io.pirt.bundle;

import java.util.Objects;

/**
 * A library jar that a bundle of format 2 names by SHA-256 and size instead of carrying it
 * (docs/bundle.md §3): a line {@code lib/NAME.jar} of the signed content list. The board
 * takes the jar from its library cache, checks it against this line, and puts it beside
 * the bundle's own jars as {@code NAME.jar}. Immutable.
 *
 * @param fileName  the jar's file name on the board's class path, {@code [A-Za-z0-9][A-Za-z0-9._-]{0,99}.jar}
 * @param sha256    its SHA-256, 64 lowercase hex digits
 * @param sizeBytes its size
 */
public record LibraryReference(String fileName, String sha256, long sizeBytes) {
    /** @throws IllegalArgumentException naming the field that is wrong */
    public LibraryReference {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(sha256, "sha256");
        if (!BundleLayout.LIB_JAR.matcher(BundleLayout.LIB_DIR + fileName).matches()) {
            throw new IllegalArgumentException("library '" + ShortText.of(fileName)
                    + "': a jar's file name must match [A-Za-z0-9][A-Za-z0-9._-]*.jar (at most 104 characters)");
        }
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("library " + fileName + ": '" + ShortText.of(sha256)
                    + "' is not a SHA-256 (64 lowercase hex digits)");
        }
        if (sizeBytes < 0) throw new IllegalArgumentException("library " + fileName + ": size " + sizeBytes + " < 0");
    }
}
