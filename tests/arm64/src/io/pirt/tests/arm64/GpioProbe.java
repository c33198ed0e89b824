package io.pirt.tests.arm64;

import io.pirt.hal.Board;
import io.pirt.hal.HalException;
import io.pirt.hal.PinMode;
import io.pirt.hal.Supervisor;
import io.pirt.threading.Thread;
import io.pirt.threading.Threading;

/**
 * An application for a board whose GPIO chip is missing (tests/arm64/run.sh, the rpi-4b run
 * in an emulated userland): it asks for a pin twice, prints how each call failed, says it is
 * healthy, and keeps printing. Proves that a GPIO call fails with the board's message instead
 * of hanging, and that the application and the runtime's store go on.
 */
public final class GpioProbe {
    private GpioProbe() {
    }

    public static void main(String[] args) {
        for (int attempt = 1; attempt <= 2; attempt++) {
            long t0 = System.nanoTime();
            try {
                Board.current().pin("LED0", PinMode.OUTPUT);
                System.out.println("gpio-probe: UNEXPECTED: LED0 opened on a machine without a GPIO chip");
            } catch (HalException e) {
                System.out.println("gpio-probe: GPIO call " + attempt + " failed in " + (System.nanoTime() - t0) / 1_000_000
                        + " ms: " + e.getMessage());
            }
        }
        Supervisor.markHealthy();
        Threading.thread(() -> {
            for (int n = 1; ; n++) {
                System.out.println("gpio-probe: alive #" + n);
                Threading.sleep(2000);
            }
        }, Thread.PRIO_NORMAL);
    }
}
