package io.pirt.wire.message;

import java.util.Optional;

/**
 * Every request a tool may send (docs/protocol.md §5.4), by its name on the wire. The
 * answer to each, when the board runs it ({@code OK}), is the JSON of the record named
 * here; a {@code FAILED} answer is always a {@link Refusal}.
 */
public enum Command {
    /** No argument; answer {@link BoardInfo}. */
    INFO("info", BoardInfo.class),
    /** No argument; answer {@link ThreadList}. */
    PS("ps", ThreadList.class),
    /** Argument: the number of lines (default 20); answer {@link LogLines}. */
    LOGS("logs", LogLines.class),
    /** No argument; answer {@link StoreSlots}. */
    BUNDLES("bundles", StoreSlots.class),
    /** No argument; answer {@link Done}. */
    RESTART("restart", Done.class),
    /** No argument; answer {@link Done}. */
    STOP("stop", Done.class),
    /** No argument; answer {@link Done}. */
    ROLLBACK("rollback", Done.class),
    /** Argument {@code read PIN | write PIN 0|1 | press BUTTON | release BUTTON}; answer {@link PinLevel} for read and write, {@link Done} for press and release. */
    GPIO("gpio", Done.class),
    /** Argument {@code temperature BUS ADDRESS CELSIUS}: a simulated TMP102's temperature; answer {@link Done}. */
    I2C("i2c", Done.class),
    /** Argument {@code voltage DEVICE CHANNEL VOLTS}: a simulated MCP3008's input voltage; answer {@link Done}. */
    SPI("spi", Done.class),
    /** Argument: a channel or its pin, or none for all; answer {@link PwmStates}. */
    PWM("pwm", PwmStates.class),
    /** Argument {@code SHA256 TIMEOUTMS}; answer {@link InstallVerdict}. */
    INSTALL_WAIT("install-wait", InstallVerdict.class),
    /** Argument {@code SHA256}; answer {@link Done}. */
    ALLOW_DOWNGRADE("allow-downgrade", Done.class),
    /** Argument {@code SHA256 TIMEOUTMS [INCLUDE [EXCLUDE]]}; answer {@link TestRunStarted}. */
    TEST_RUN("test-run", TestRunStarted.class),
    /** No argument; answer {@link TestLibraries}. */
    TEST_LIBS("test-libs", TestLibraries.class),
    /** Argument {@code RUN}; answer {@link TestRunStatus}. */
    TEST_STATUS("test-status", TestRunStatus.class),
    /** Argument {@code RUN FROM}; answer {@link Done}, then the events again. */
    TEST_EVENTS("test-events", Done.class),
    /** No argument; answer {@link Done}. */
    TEST_STOP("test-stop", Done.class),
    /** Argument {@code ID ok|failed MESSAGE}; answer {@link Done}. */
    TEST_HOST_REPLY("test-host-reply", Done.class),
    /**
     * Argument: SHA-256s separated by spaces (at most {@link #LIBS_HAVE_BATCH}); answer {@link CachedLibraries}: those the
     * board's library cache holds, each then counted as used.
     */
    LIBS_HAVE("libs-have", CachedLibraries.class),
    /** No argument; answer {@link DoctorReport}: the checks of the board's setup (docs/protocol.md §5.4). */
    DOCTOR("doctor", DoctorReport.class),
    /** Argument {@code reset}: the periodic threads' figures start afresh; answer {@link Done}. */
    LATENCY("latency", Done.class),
    /** Argument: the rate; answer {@link Done} (docs/protocol.md §5.6). */
    BAUD("baud", Done.class),
    /** No argument; answer {@link AuthChallenge}: a fresh nonce for this session to sign (docs/protocol.md §5.7). */
    AUTH_CHALLENGE("auth-challenge", AuthChallenge.class),
    /** Argument {@code KEYID SIGNATURE} (the signature in base64) over {@link AuthChallenge#signedMessage()}; answer {@link Done}. */
    AUTH("auth", Done.class);

    /** The most SHA-256s one {@code libs-have} asks about: 65 bytes each, so a request stays within one frame. */
    public static final int LIBS_HAVE_BATCH = 14;

    private final String wireName;
    private final Class<?> answerType;

    Command(String wireName, Class<?> answerType) {
        this.wireName = wireName;
        this.answerType = answerType;
    }

    /** The record an OK answer to this command with {@code argument} is. */
    public Class<?> answerType(String argument) {
        if (this == GPIO && (argument.startsWith("read ") || argument.startsWith("write "))) return PinLevel.class;
        return answerType;
    }

    /**
     * Whether this command with {@code argument} changes the board (docs/protocol.md §5.7): a
     * board that is not in development mode runs it only for a session that proved a trusted
     * key, and its shell only when the board's configuration opens the shell. {@code gpio read}
     * and {@code pwm} do not change the board; {@code gpio write}, {@code press} and
     * {@code release} do, and so do {@code i2c} and {@code spi} (they set a simulated sensor).
     */
    public boolean changesBoard(String argument) {
        return switch (this) {
            case RESTART, STOP, ROLLBACK, ALLOW_DOWNGRADE, TEST_RUN, TEST_STOP, TEST_HOST_REPLY, I2C, SPI -> true;
            case GPIO -> !argument.strip().split("\\s+", 2)[0].equals("read");
            default -> false;
        };
    }

    /** The command's name in a REQUEST frame. */
    public String wireName() {
        return wireName;
    }

    /** The command of that wire name ({@code log} is taken for {@code logs}, as the shell takes it). */
    public static Optional<Command> of(String wireName) {
        if (wireName.equals("log")) return Optional.of(LOGS);
        for (Command c : values()) if (c.wireName.equals(wireName)) return Optional.of(c);
        return Optional.empty();
    }
}
