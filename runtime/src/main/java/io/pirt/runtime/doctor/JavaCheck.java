package io.pirt.runtime.doctor;

import io.pirt.wire.message.DoctorReport;
import java.util.Optional;

/** The version of the Java pirt-runtime runs on, from its home's {@code release} file (JAVA_VERSION), as the launcher reads it. */
final class JavaCheck extends Check {
    static final int MIN_JAVA = 21;
    private static final String INSTALL = "install Java 21 or newer (sudo apt install openjdk-21-jre-headless, or Temurin 21 from "
            + "Adoptium's apt repository on arm64) and choose it with sudo update-alternatives --config java, or set "
            + "JAVA_HOME=/usr/lib/jvm/... in /etc/pirt/pirt.conf; then sudo systemctl restart pirt-runtime";

    JavaCheck() {
        super("java", "Java version");
    }

    @Override
    DoctorReport.Check run(Examination e) {
        Optional<Examination.JavaLocation> java = e.java();
        if (java.isEmpty()) return fail("no /usr/bin/java and no JAVA_HOME in /" + Examination.PIRT_CONF, INSTALL);
        Examination.JavaLocation j = java.get();
        if (!e.files().exists(j.binary())) {
            return fail("/" + j.binary() + " does not exist (" + j.how() + ")", INSTALL);
        }
        Optional<String> version = releaseValue(e, j.home(), "JAVA_VERSION");
        if (version.isEmpty()) {
            return warn("/" + j.home() + "/release has no JAVA_VERSION (" + j.how() + ")", "check with: /" + j.binary() + " -version "
                    + "(pirt needs " + MIN_JAVA + " or newer)");
        }
        int feature;
        try {
            String v = version.get();
            feature = Integer.parseInt(v.startsWith("1.") ? v.substring(2).split("\\D", 2)[0] : v.split("\\D", 2)[0]);
        } catch (NumberFormatException ex) {
            return warn("JAVA_VERSION=\"" + version.get() + "\" in /" + j.home() + "/release is not a version", "check with: /" + j.binary()
                    + " -version (pirt needs " + MIN_JAVA + " or newer)");
        }
        String found = "Java " + version.get() + " at /" + j.home() + " (" + j.how() + ")";
        if (feature < MIN_JAVA) return fail(found + "; pirt needs " + MIN_JAVA + " or newer", INSTALL);
        return ok(found);
    }

    /** A {@code KEY="VALUE"} of a Java home's release file; empty when the file or the key is missing. */
    static Optional<String> releaseValue(Examination e, String home, String key) {
        for (String line : e.files().read(home + "/release").orElse("").split("\n")) {
            if (line.startsWith(key + "=")) return Optional.of(line.substring(key.length() + 1).strip().replace("\"", ""));
        }
        return Optional.empty();
    }
}
