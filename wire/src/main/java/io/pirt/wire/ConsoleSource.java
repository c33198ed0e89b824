package io.pirt.wire;

/** Where console output came from (docs/protocol.md §5.3), with its wire code. */
public enum ConsoleSource {
    /** Printed while no tool was attached, or by a source the sender did not name. */
    UNTAGGED(0),
    APP_STDOUT(1),
    APP_STDERR(2),
    RUNTIME_LOG(3),
    SHELL(4);

    private final int code;

    ConsoleSource(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The source with this code; {@link #UNTAGGED} for codes this version does not know. */
    public static ConsoleSource fromCode(int code) {
        return switch (code) {
            case 1 -> APP_STDOUT;
            case 2 -> APP_STDERR;
            case 3 -> RUNTIME_LOG;
            case 4 -> SHELL;
            default -> UNTAGGED;
        };
    }
}
