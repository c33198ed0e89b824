package io.pirt.wire.message;

/** The answer to {@code gpio read PIN}. */
public record PinLevel(String pin, boolean high) {
    public PinLevel {
        Required.of("PinLevel", "pin", pin);
    }

}
