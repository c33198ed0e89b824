package io.pirt.junit;

/** An application that fails at once: the board rolls it back. */
public final class CrashingApp {
    private CrashingApp() {
    }

    public static void main(String[] args) {
        System.out.println("crashing app starting");
        System.exit(3);
    }
}
