package io.pirt.examples.thermostat;

import io.pirt.hal.Board;
import io.pirt.hal.I2cBus;
import io.pirt.hal.PwmChannel;
import io.pirt.threading.Periodic;
import io.pirt.threading.Thread;
import io.pirt.threading.ThreadInterruptedException;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A thermostat: reads a TMP102 on I2C bus {@code i2c-1} every half second and drives a fan on
 * PWM channel {@code PWM0} (pin D18) at 25 kHz with a duty in proportion to the temperature
 * ({@link FanLaw}), and prints the state when it changes. On the virtual board the TMP102 is
 * simulated (the shell's {@code i2c temperature i2c-1 0x48 30} warms it, {@code pwm} shows the
 * fan); on a Raspberry Pi wire a TMP102 breakout to header pins 3/5 and a fan's PWM input to
 * header pin 12, with {@code dtparam=i2c_arm=on} and {@code dtoverlay=pwm-2chan} in config.txt.
 */
public final class Thermostat {
    static final String BUS = "i2c-1";
    static final String FAN = "PWM0";
    /** 25 kHz: the PWM frequency 4-pin PC fans expect (Intel's fan specification), above hearing. */
    static final double FAN_HZ = 25_000;
    static final long PERIOD_MICROS = 500_000;

    private final Tmp102 sensor;
    private final PwmChannel fan;

    /** What one control step saw and did. */
    record Step(double celsius, double duty) {
        String describe() {
            return String.format(Locale.ROOT, "temperature %.2f °C, fan %.0f %%", celsius, duty * 100);
        }
    }

    Thermostat(I2cBus bus, int address, PwmChannel fan) {
        this.sensor = new Tmp102(bus, address);
        this.fan = fan;
        fan.setFrequencyHz(FAN_HZ);
        fan.setDuty(0);
        fan.enable();
    }

    /** One control step: reads the temperature and sets the fan's duty for it. */
    Step step() {
        double celsius = sensor.celsius();
        double duty = FanLaw.dutyFor(celsius);
        fan.setDuty(duty);
        return new Step(celsius, duty);
    }

    /**
     * Runs {@link #step()} every {@link #PERIOD_MICROS} on a thread at PRIO_HIGH, giving each
     * step to {@code onStep}, until the thread is interrupted (then it says so and ends).
     */
    Thread start(Consumer<Step> onStep) {
        Thread loop = new Thread(() -> {
            Periodic every = Periodic.everyMicros(PERIOD_MICROS);
            try {
                while (true) {
                    onStep.accept(step());
                    every.waitNext();
                }
            } catch (ThreadInterruptedException e) { // how a pirt thread is told to end
                System.out.println("thermostat stopped");
            }
        }, "thermostat");
        loop.start(Thread.PRIO_HIGH);
        return loop;
    }

    public static void main(String[] args) {
        Board board = Board.current();
        Thermostat thermostat = new Thermostat(board.i2c(BUS), Tmp102.DEFAULT_ADDRESS, board.pwm(FAN));
        System.out.println("thermostat on " + board.profile().id() + ": TMP102 at 0x48 on " + BUS + ", fan on " + FAN
                + "; fan off at " + FanLaw.OFF_CELSIUS + " °C, full at " + FanLaw.FULL_CELSIUS + " °C");
        String[] last = {""};
        thermostat.start(step -> {
            String now = step.describe();
            if (!now.equals(last[0])) System.out.println(now);
            last[0] = now;
        });
    }
}
