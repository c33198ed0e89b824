package io.pirt.examples.thermostat;

/**
 * How fast the fan runs for a temperature: off at or below {@link #OFF_CELSIUS}, full at or
 * above {@link #FULL_CELSIUS}, in proportion between them.
 */
final class FanLaw {
    static final double OFF_CELSIUS = 25.0;
    static final double FULL_CELSIUS = 35.0;

    private FanLaw() {
    }

    /** The fan's duty, 0 to 1, for {@code celsius}. */
    static double dutyFor(double celsius) {
        double duty = (celsius - OFF_CELSIUS) / (FULL_CELSIUS - OFF_CELSIUS);
        return Math.max(0, Math.min(1, duty));
    }
}
