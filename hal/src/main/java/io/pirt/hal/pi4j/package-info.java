/**
 * The real-board GPIO backend: {@link io.pirt.hal.pi4j.Pi4jGpio}, on Pi4J 3's gpiod
 * provider, bound to the GPIO chip the board profile names by label. Applications do not
 * use this package; {@link io.pirt.hal.Board} picks the backend from the profile.
 */
package io.pirt.hal.pi4j;
