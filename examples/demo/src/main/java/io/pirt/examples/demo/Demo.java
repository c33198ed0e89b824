package io.pirt.examples.demo;

import io.pirt.hal.Board;
import io.pirt.hal.Edge;
import io.pirt.hal.GpioPin;
import io.pirt.hal.PinMode;
import io.pirt.hal.Supervisor;
import io.pirt.threading.Lock;
import io.pirt.threading.Periodic;
import io.pirt.threading.Thread;
import io.pirt.threading.Threading;

/**
 * The demo application: three threads of different priorities take turns printing under a
 * Lock, a periodic blinker thread drives the status LED, and the button's falling edge (a press: the
 * button pulls its pin low) is handled by a callback at top priority. Runs unchanged on the
 * virtual board and on a Raspberry Pi with an LED on LED0 and a button on BTN0.
 */
public final class Demo {
    private static final Lock PRINT = new Lock();

    private Demo() {
    }

    public static void main(String[] args) {
        // The runtime tells an application which bundle it came in; run by hand it is "dev".
        String version = System.getProperty("pirt.bundle.version", "dev");
        say("demo " + version + " starting on " + Board.current().profile().name());

        GpioPin led = Board.current().pin("LED0", PinMode.OUTPUT);
        GpioPin button = Board.current().pin("BTN0", PinMode.INPUT_PULLUP);
        int[] presses = {0};
        button.onEdge(Edge.FALLING, 20, (active, nanos) -> say("button pressed (" + ++presses[0] + "), handled at priority "
                + Thread.current().getEffectivePriority()));

        // A periodic thread: the LED toggles on a fixed 500 ms schedule that never drifts; `ps` shows
        // how late each wake-up was and whether a deadline was ever missed.
        Thread blinker = new Thread(() -> {
            Periodic every = Periodic.everyMicros(500_000);
            for (;;) {
                every.waitNext();
                led.toggle();
            }
        }, "blinker");
        blinker.start(Thread.PRIO_HIGH);

        String[] words = {"low", "normal", "high"};
        int[] prios = {Thread.PRIO_LOW, Thread.PRIO_NORMAL, Thread.PRIO_HIGH};
        for (int i = 0; i < 3; i++) {
            String word = words[i];
            Thread t = new Thread(() -> {
                for (int n = 1; ; n++) {
                    say(word + " #" + n);
                    Threading.sleep(1000);
                }
            }, "printer-" + word);
            t.start(prios[i]);
        }
        Supervisor.markHealthy();
    }

    /** Prints one line while holding the lock, so lines from different threads never mix. */
    static void say(String line) {
        PRINT.acquire();
        try {
            System.out.println(Thread.current().getName() + ": " + line);
        } finally {
            PRINT.release();
        }
    }
}
