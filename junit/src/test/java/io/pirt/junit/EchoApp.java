package io.pirt.junit;

import io.pirt.hal.Board;
import io.pirt.hal.Edge;
import io.pirt.hal.PinMode;
import io.pirt.hal.Supervisor;
import io.pirt.threading.Thread;
import io.pirt.threading.Threading;

/** A small application for the extension's tests: says its version, ticks, answers BTN0. */
public final class EchoApp {
    private EchoApp() {
    }

    public static void main(String[] args) {
        System.out.println("echo app " + System.getProperty("pirt.bundle.version", "dev") + " starting");
        Board.current().pin("BTN0", PinMode.INPUT_PULLUP)
                .onEdge(Edge.FALLING, 20, (active, nanos) -> System.out.println("pressed on BTN0"));
        Threading.thread(() -> {
            for (int n = 1; ; n++) {
                System.out.println("tick " + n);
                Threading.sleep(200);
            }
        }, Thread.PRIO_NORMAL);
        Supervisor.markHealthy();
    }
}
