package io.pirt.runtime.supervisor;

/** An application that fails at once: a bundle that must not survive its trial. */
public final class CrashingApp {
    private CrashingApp() {
    }

    public static void main(String[] args) {
        throw new IllegalStateException("version 2 is broken");
    }
}
