/**
 * The real-board backend of I2C, SPI and PWM: {@link io.pirt.hal.linux.KernelBuses}, on the
 * kernel's i2c-dev and spidev character devices and its sysfs PWM class, through JNA.
 * Applications do not use this package; {@link io.pirt.hal.Board} picks the backend from the
 * profile.
 */
package io.pirt.hal.linux;
