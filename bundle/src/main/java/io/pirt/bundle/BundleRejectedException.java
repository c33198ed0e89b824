package io.pirt.bundle;

import java.util.Objects;

/**
 * A bundle was refused. {@link #reason()} says which rule it broke (see docs/bundle.md,
 * section 5); the message says where (entry, field) and what to do about it. Nothing on
 * the board has been changed when this is thrown.
 */
public final class BundleRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a bundle was refused; each value is described in docs/bundle.md, section 5. */
    public enum Reason {
        UNSIGNED("unsigned"),
        UNKNOWN_KEY("signed by an unknown key"),
        CONTENT_CHANGED("content changed after signing"),
        TRUNCATED("truncated"),
        MALFORMED_ARCHIVE("malformed archive"),
        OVERSIZED("oversized"),
        UNSAFE_PATH("unsafe entry path"),
        SYMLINK("not a regular file"),
        DUPLICATE_ENTRY("duplicate entry"),
        COMPRESSION_BOMB("compression bomb"),
        MALFORMED_MANIFEST("malformed manifest"),
        WRONG_BOARD("wrong board"),
        RUNTIME_TOO_OLD("runtime too old"),
        DOWNGRADE("downgrade");

        /** The words a message starts with, so a person sees the reason first. */
        private final String words;

        Reason(String words) {
            this.words = words;
        }
    }

    private final Reason reason;

    BundleRejectedException(Reason reason, String detail) {
        super("bundle refused (" + reason.words + "): " + detail);
        this.reason = Objects.requireNonNull(reason);
    }

    BundleRejectedException(Reason reason, String detail, Throwable cause) {
        this(reason, detail);
        initCause(cause);
    }

    /** The rule the bundle broke. */
    public Reason reason() {
        return reason;
    }
}
