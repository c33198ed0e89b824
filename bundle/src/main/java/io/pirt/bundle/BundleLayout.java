package io.pirt.bundle;

import java.util.regex.Pattern;

/** The entry names of a bundle (docs/bundle.md, section 1). */
final class BundleLayout {
    static final String MANIFEST = "pirt-bundle.properties";
    static final String CONTENT_LIST = "pirt-bundle.sha256";
    static final String SIGNATURE = "pirt-bundle.sig";
    static final String APP_DIR = "app/";
    static final Pattern APP_JAR = Pattern.compile("app/([A-Za-z0-9][A-Za-z0-9._-]{0,99}\\.jar)");
    /** A library the bundle references by SHA-256 instead of carrying (format 2): a line of the list, never an entry. */
    static final String LIB_DIR = "lib/";
    static final Pattern LIB_JAR = Pattern.compile("lib/([A-Za-z0-9][A-Za-z0-9._-]{0,99}\\.jar)");

    private BundleLayout() {
    }
}
