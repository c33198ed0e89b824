package io.pirt.hal;

/** How a GPIO pin is used: an input with or without a pull resistor, or an output. */
public enum PinMode {
    INPUT, INPUT_PULLUP, INPUT_PULLDOWN, OUTPUT;

    /** True for the three input modes. */
    public boolean isInput() {
        return this != OUTPUT;
    }
}
