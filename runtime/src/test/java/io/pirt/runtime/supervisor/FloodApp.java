package io.pirt.runtime.supervisor;

import io.pirt.threading.Event;

/** An application that prints 20,000 lines as fast as it can, says so, then waits. */
public final class FloodApp {
    private FloodApp() {
    }

    public static void main(String[] args) {
        for (int i = 0; i < 20_000; i++) System.out.println("flood line " + i);
        System.out.println("flood done");
        new Event().await();
    }
}
