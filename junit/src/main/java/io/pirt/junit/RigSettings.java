package io.pirt.junit;

import io.pirt.tools.ToolException;
import io.pirt.tools.bundle.SigningKeyFiles;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.function.UnaryOperator;

/**
 * Which board a test run drives and how, from system properties and the environment
 * (a property wins over its variable): {@code pirt.port} / {@code PIRT_PORT} (none: a fresh
 * virtual board), {@code pirt.baud} / {@code PIRT_BAUD} (default 115200), {@code pirt.key} /
 * {@code PIRT_KEY} (default {@code ~/.pirt/signing.key}, as {@code pirt keygen} makes it).
 *
 * @param port        the board's serial port, or null for a virtual board
 * @param portOrigin  where {@code port} came from, for messages
 * @param baud        the port's baud rate; a virtual board's cable is paced at it
 * @param key         the private key bundles are signed with
 * @param keyOrigin   where {@code key} came from, for messages
 * @param keyExplicit whether {@code key} was named (else it is the default)
 */
record RigSettings(String port, String portOrigin, int baud, Path key, String keyOrigin, boolean keyExplicit) {
    static final int DEFAULT_BAUD = 115_200;

    /** The settings of this JVM. */
    static RigSettings fromEnvironment() {
        return from(System::getProperty, System::getenv, SigningKeyFiles.DEFAULT_PRIVATE_KEY);
    }

    /**
     * The settings in {@code properties} and {@code environment} (each null for an unset name).
     *
     * @throws IllegalArgumentException if the baud rate is not a positive number
     */
    static RigSettings from(UnaryOperator<String> properties, UnaryOperator<String> environment, Path defaultKey) {
        Setting port = Setting.of("pirt.port", "PIRT_PORT", properties, environment);
        Setting baud = Setting.of("pirt.baud", "PIRT_BAUD", properties, environment);
        Setting key = Setting.of("pirt.key", "PIRT_KEY", properties, environment);
        int rate = DEFAULT_BAUD;
        if (baud != null) {
            try {
                rate = Integer.parseInt(baud.value());
            } catch (NumberFormatException e) {
                rate = -1;
            }
            if (rate <= 0) {
                throw new IllegalArgumentException(baud.origin() + " is '" + baud.value() + "', not a baud rate such as 115200");
            }
        }
        return new RigSettings(port != null ? port.value() : null, port != null ? port.origin() : "none named",
                rate, key != null ? Path.of(key.value()) : defaultKey,
                key != null ? key.origin() : "the default", key != null);
    }

    boolean virtual() {
        return port == null;
    }

    /**
     * The key pair to sign bundles with.
     *
     * @throws IllegalStateException saying which file is missing and what to do
     */
    KeyPair readKey() {
        try {
            return SigningKeyFiles.read(key, null, keyOrigin, "set the system property pirt.key or the environment variable "
                    + "PIRT_KEY to the private key's path", "the public key must lie beside it as NAME.pub");
        } catch (ToolException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** One setting's value and where it came from. */
    private record Setting(String value, String origin) {
        static Setting of(String property, String variable, UnaryOperator<String> properties, UnaryOperator<String> environment) {
            String p = properties.apply(property);
            if (p != null && !p.isBlank()) return new Setting(p.strip(), "system property " + property);
            String v = environment.apply(variable);
            if (v != null && !v.isBlank()) return new Setting(v.strip(), "environment variable " + variable);
            return null;
        }
    }
}
