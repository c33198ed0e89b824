package io.pirt.wire.message;

/** The answer to a command that acts (restart, stop, rollback, gpio write, ...): what the board did, for a person. */
public record Done(String message) {
    public Done {
        Required.of("Done", "message", message);
    }

}
