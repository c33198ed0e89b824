package io.pirt.tests.pi3;

import io.pirt.hal.Board;
import io.pirt.hal.GpioPin;
import io.pirt.hal.PinMode;
import io.pirt.hal.Supervisor;
import io.pirt.threading.Thread;
import io.pirt.threading.Threading;

/**
 * The application of tests/pi3/run.sh's GPIO step, on the emulated Raspberry Pi 3 B: through
 * pirt's board API (Pi4J's gpiod provider on the kernel's pinctrl-bcm2835 driver) it drives
 * header pin D22 (pin 15) high and low, reads each level back, prints what it read, says it is
 * healthy, and keeps the line requested (so `gpioinfo` shows it held as {@code pirt-D22} and a
 * second request for it is refused as busy). Exits 1 when a level read back differs.
 */
public final class GpioCheck {
    private GpioCheck() {
    }

    public static void main(String[] args) {
        GpioPin pin = Board.current().pin("D22", PinMode.OUTPUT);
        boolean ok = true;
        for (boolean level : new boolean[] {true, false, true}) {
            pin.write(level);
            boolean read = pin.read();
            System.out.println("gpio-check: D22 (line " + pin.line() + ") wrote " + (level ? 1 : 0) + ", read back " + (read ? 1 : 0));
            ok &= read == level;
        }
        if (!ok) {
            System.out.println("gpio-check: FAILED: a level read back differs from the one written");
            System.exit(1);
        }
        System.out.println("gpio-check: D22 held high by this application");
        Supervisor.markHealthy();
        Threading.thread(() -> {
            for (int n = 1; ; n++) {
                System.out.println("gpio-check: alive #" + n + ", D22 reads " + (pin.read() ? 1 : 0));
                Threading.sleep(5000);
            }
        }, Thread.PRIO_NORMAL);
    }
}
