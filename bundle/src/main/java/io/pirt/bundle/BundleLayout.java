package io.pirt.bundle;

import java.util.regex.Pattern;

/** The entry names of a bundle (docs/bundle.md, section 1). */
final class BundleLayout {
    static final String MANIFEST = "pirt-bundle.properties";
    static final String CONTENT_LIST = "pirt-bundle.sha256";
    static final String SIGNATURE = "pirt-bundle.sig";
    static final String APP_DIR = "app/";
    static final Pattern APP_JAR = Pattern.compile("app/([A-Za-z0-9][A-Za-z0-9._-]{0,99}\\.jar)");

    private BundleLayout() {
    }
}
