/**
 * GPIO, I2C, SPI, PWM and UART for applications: {@link io.pirt.hal.Board} gives pins by
 * profile name (D17, LED0), buses and channels ({@code i2c-1}, {@code spi0.0}, {@code PWM0})
 * and serial ports (SERIAL0); {@link io.pirt.hal.Pins} has the Zerynth-style
 * shorthands. The backend (simulated board, or Pi4J on a real one) is chosen from the
 * board profile.
 */
package io.pirt.hal;
