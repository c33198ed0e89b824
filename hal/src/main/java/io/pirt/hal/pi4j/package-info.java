/**
 * The real-board GPIO backend: {@link io.pirt.hal.pi4j.Pi4jGpio}, on the GPIO chip the board
 * profile names by label: outputs through Pi4J 3's gpiod provider, inputs and their edge
 * events through the chip's uAPI v2 line requests, read by the pin's callback thread. Applications do not
 * use this package; {@link io.pirt.hal.Board} picks the backend from the profile.
 */
package io.pirt.hal.pi4j;
