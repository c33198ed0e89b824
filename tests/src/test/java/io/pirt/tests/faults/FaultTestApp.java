package io.pirt.tests.faults;

import io.pirt.hal.Supervisor;
import io.pirt.threading.Event;
import io.pirt.threading.ThreadInterruptedException;

/**
 * The application of {@link FaultInjectionTest}'s bundles: says which version of it runs under
 * which runtime, prints {@value #HUGE_LINES} lines of 1 MiB and then {@value #FLOOD_LINES} short
 * ones (the runtime cuts the first at 4 KiB, and its own lines must survive the flood in
 * {@code log}), says it is healthy (so its install commits at once), and waits to be stopped.
 */
public final class FaultTestApp {
    static final int HUGE_LINES = 2;
    static final int FLOOD_LINES = 3_000;

    private FaultTestApp() {
    }

    public static void main(String[] args) {
        long runtimePid = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        System.out.println(line(System.getProperty("pirt.bundle.version"), runtimePid));
        String mebibyte = "h".repeat(1 << 20);
        for (int i = 0; i < HUGE_LINES; i++) System.out.println("huge " + i + " " + mebibyte);
        for (int i = 0; i < FLOOD_LINES; i++) System.out.println("flood " + i);
        Supervisor.markHealthy();
        try {
            new Event().await();
        } catch (ThreadInterruptedException e) {
            System.out.println("fault-test app stopping");
        }
    }

    /** The line the application prints first. */
    static String line(String version, long runtimePid) {
        return "fault-test app " + version + " runs under runtime " + runtimePid;
    }
}
