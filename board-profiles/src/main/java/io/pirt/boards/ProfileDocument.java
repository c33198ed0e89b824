package io.pirt.boards;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One profile file, read and checked on its own (types, ranges, names, unknown fields)
 * but not yet combined with the profiles it extends. Fields a file does not set are null
 * (or empty collections); whether they are required is decided on the resolved profile.
 *
 * @param file      label used in messages: a class-path resource or a file path
 * @param path      the file on disk, or null for a built-in (class-path) profile
 * @param pins      in file order; names unique within the file
 * @param leds      LED-class LEDs by name, in file order
 * @param i2c       I2C buses by name, in file order; each located at its entry ({@code i2c.NAME})
 * @param spi       SPI devices by name, in file order; each located at its entry ({@code spi.NAME})
 * @param pwm       PWM channels by name, in file order; each located at its entry ({@code pwm.NAME})
 * @param sources   in file order
 */
record ProfileDocument(
        String file,
        Path path,
        String id,
        String name,
        String extendsId,
        List<String> match,
        Located<String> soc,
        Located<Integer> cpuCores,
        Located<String> chipLabel,
        Located<String> provider,
        List<Located<Pin>> pins,
        Map<String, Located<LedClassDevice>> leds,
        Map<String, Located<String>> aliases,
        Map<String, Located<SerialPortSpec>> serial,
        Map<String, Located<I2cBusSpec>> i2c,
        Map<String, Located<SpiDeviceSpec>> spi,
        Map<String, Located<PwmChannelSpec>> pwm,
        Located<String> console,
        Located<StatusLedSpec> statusLed,
        Map<String, Located<Integer>> priorities,
        Located<List<Integer>> cpus,
        Located<Integer> dmaLatency,
        Located<String> collector,
        Located<Integer> heapMb,
        List<String> sources) {

    /**
     * {@code chosen.statusLed} as written.
     *
     * @param ref  alias or pin name, or null for "no LED pirt can drive"
     * @param note explanation; non-empty when {@code ref} is null
     */
    record StatusLedSpec(String ref, String note) {
    }
}
