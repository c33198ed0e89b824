package io.pirt.tests;

import io.pirt.hal.Supervisor;
import io.pirt.threading.Event;
import io.pirt.threading.ThreadInterruptedException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The application of {@link KillDuringInstallTest}'s bundles. It proves that the bundle it
 * came from is whole: it hashes its padding resource and prints one line naming its version,
 * the pid of the runtime that started it and that hash, then says it is healthy and waits to
 * be stopped.
 */
public final class KillTestApp {
    /** The padding resource in every bundle jar, incompressible so transfers take time. */
    static final String PADDING = "padding.bin";

    private KillTestApp() {
    }

    public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = KillTestApp.class.getClassLoader().getResourceAsStream(PADDING)) {
            if (in == null) throw new IllegalStateException(PADDING + " is missing from the bundle's jar");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        }
        long runtimePid = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        System.out.println(line(System.getProperty("pirt.bundle.version"), runtimePid, HexFormat.of().formatHex(sha.digest())));
        Supervisor.markHealthy();
        try {
            new Event().await();
        } catch (ThreadInterruptedException e) {
            System.out.println("kill-test app stopping");
        }
    }

    /** The line the application prints once it has checked its padding. */
    static String line(String version, long runtimePid, String paddingSha256) {
        return "kill-test app " + version + " under runtime " + runtimePid + " padding sha256 " + paddingSha256;
    }
}
