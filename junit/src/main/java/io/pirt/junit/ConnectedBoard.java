package io.pirt.junit;

import io.pirt.wire.Response;
import io.pirt.wire.ProtocolException;
import io.pirt.wire.message.AnswerText;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.InstallVerdict;
import io.pirt.wire.message.Messages;
import io.pirt.wire.message.PinLevel;
import io.pirt.wire.message.Refusal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * A board a host-side test drives, as {@link BoardExtension} hands it to a test: flash a
 * bundle and get the board's verdict, type into its console, expect console output within a
 * timeout, read and set pins and work buttons through the shell's {@code gpio} command, run
 * shell requests. The same calls drive a virtual board and a real one.
 *
 * <p><b>Expectations.</b> Each handle reads the console from where it was made (the test
 * method's handle: when the test started; a {@code @BeforeAll} method's: when that ran) and
 * {@link #expect} moves past the line that matched, so two expectations in a row match two
 * lines in order, and output printed before the test cannot satisfy it. Lines are the
 * console's text as a person sees it: {@code [app] main: demo 1.0.0 starting},
 * {@code [pirt] bundle demo 1.0.0 committed ...}.
 *
 * <p><b>Failures.</b> An expectation not met in time, or a request the board answers with an
 * error, throws {@link AssertionError} (a test failure) whose message shows the last console
 * lines; a board that cannot be reached throws {@link java.io.UncheckedIOException}. Every
 * call is bounded by a timeout and can be interrupted.
 *
 * <p>Thread-safe, but a board is one device: tests that use it must not run in parallel.
 */
public final class ConnectedBoard {
    /** Console lines an error message shows. */
    private static final int SHOWN_LINES = 25;

    private final BoardConnection connection;
    /** The number of the first console line this handle has not yet matched past. Guarded by this. */
    private long cursor;

    ConnectedBoard(BoardConnection connection) {
        this.connection = connection;
        this.cursor = connection.console().end();
    }

    /** True on the virtual board started for this run, false on a real board named by {@code pirt.port}/{@code PIRT_PORT}. */
    public boolean isVirtual() {
        return connection.isVirtual();
    }

    /** The serial port the board is on (on a virtual board: the host end of its cable). */
    public String port() {
        return connection.port();
    }

    /** The board's name, as it says in its HELLO (e.g. {@code virtual}, {@code rpi-4b}). */
    public String boardName() {
        return connection.boardName();
    }

    /**
     * A signed bundle of {@code jars} (the application's jar and its libraries), for any
     * board, main thread at normal priority, written into a directory that lives as long as
     * the board. Signed with the key {@code pirt.key}/{@code PIRT_KEY} names, by default
     * {@code ~/.pirt/signing.key}; a virtual board signs with its own key unless one is named.
     *
     * @param version {@code MAJOR.MINOR.PATCH[-QUALIFIER]}
     * @throws IllegalArgumentException if a name, version or class name is malformed
     * @throws IllegalStateException if the key is missing (the message says where it was looked for)
     */
    public Path bundle(String name, String version, String mainClass, List<Path> jars) {
        return connection.bundle(name, version, mainClass, jars);
    }

    /**
     * Sends {@code bundle} to the board and returns its verdict once the new application was
     * tried: {@linkplain InstallVerdict#committed() committed}, rolled back (and why: it
     * crashed, exited, hung...) or refused (and why: signature, board, version...). Waits up
     * to a minute for the trial.
     *
     * @throws java.io.UncheckedIOException if the line failed
     */
    public InstallVerdict flash(Path bundle) throws InterruptedException {
        return connection.flash(bundle);
    }

    /** Types {@code line} and Enter into the board's console shell, as a person at the console would. */
    public void send(String line) throws InterruptedException {
        connection.type(line + "\n");
    }

    /** {@link #expect(Pattern, Duration)} with {@code regex} compiled. */
    public MatchResult expect(String regex, Duration timeout) throws InterruptedException {
        return expect(Pattern.compile(regex), timeout);
    }

    /**
     * Waits for a console line in which {@code pattern} is found ({@link java.util.regex.Matcher#find()}),
     * among the lines after this handle's last match, and returns the match.
     *
     * @throws AssertionError if none came within {@code timeout}; the message shows the lines that did
     */
    public MatchResult expect(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long from;
        synchronized (this) {
            from = cursor;
        }
        ConsoleRecord.Found found = connection.console().await(from, pattern, deadline);
        if (found == null) {
            throw new AssertionError("no console line matching /" + pattern + "/ within " + timeout.toMillis() + " ms on "
                    + connection.describe() + ". " + shown(from));
        }
        synchronized (this) {
            cursor = Math.max(cursor, found.number() + 1);
        }
        return found.match();
    }

    /**
     * Runs a shell command through the protocol ({@code info}, {@code ps}, {@code logs 50},
     * {@code bundles}, {@code gpio read D17}...) and returns its answer as a person reads it.
     * For the answer as data, use {@link #ask}.
     *
     * @param argument the rest of the command line, {@code ""} for none
     * @throws AssertionError with the board's reason if the board refuses it
     */
    public String request(String command, String argument) throws InterruptedException {
        Command c = Command.of(command).orElseThrow(() -> new AssertionError("'" + command + "' is not a board command; "
                + "the commands: info, ps, logs, bundles, restart, stop, rollback, gpio"));
        return AnswerText.of(ask(c, argument, c.answerType(argument)));
    }

    /**
     * Runs a command and returns the board's answer record ({@code BoardInfo} for {@code info},
     * {@code ThreadList} for {@code ps}, ...; see {@link Command}).
     *
     * @throws AssertionError with the board's reason if the board refuses it, or the answer is not a {@code type}
     */
    public <T> T ask(Command command, String argument, Class<T> type) throws InterruptedException {
        Response r = connection.request(command.wireName(), argument);
        try {
            return Messages.answer(r, type);
        } catch (Refusal.RefusedException e) {
            String hint = command == Command.GPIO && (argument.startsWith("press") || argument.startsWith("release")) && !isVirtual()
                    ? " (press and release work the buttons of a virtual board's wiring; on a real rig wire the button's pin "
                    + "to one the test drives with writePin)" : "";
            throw new AssertionError("the board answered '" + (command.wireName() + " " + argument).strip() + "' with "
                    + e.refusal().code() + ": " + e.refusal().message() + hint + "; on " + connection.describe() + ". "
                    + shown(connectionStart()));
        } catch (ProtocolException e) {
            throw new AssertionError("the board's answer to '" + (command.wireName() + " " + argument).strip() + "' is not understood: "
                    + e.getMessage() + "; on " + connection.describe(), e);
        }
    }

    /** The level of {@code pin} (a profile name: {@code D17}, {@code LED0}), read through {@code gpio read}. */
    public boolean readPin(String pin) throws InterruptedException {
        return ask(Command.GPIO, "read " + pin, PinLevel.class).high();
    }

    /** Drives {@code pin} high or low through {@code gpio write}; the board refuses a pin the application owns. */
    public void writePin(String pin, boolean high) throws InterruptedException {
        request("gpio", "write " + pin + (high ? " 1" : " 0"));
    }

    /** Presses a button of the virtual board's wiring ({@code BTN0}): it stays pressed until {@link #releaseButton}. */
    public void pressButton(String button) throws InterruptedException {
        request("gpio", "press " + button);
    }

    /** Releases a button {@link #pressButton} pressed. */
    public void releaseButton(String button) throws InterruptedException {
        request("gpio", "release " + button);
    }

    private synchronized long connectionStart() {
        return cursor;
    }

    /** The console lines from {@code from} on, for a message. */
    private String shown(long from) {
        List<String> lines = connection.console().since(from, SHOWN_LINES);
        String since = "since the test began or its last expectation was met";
        if (lines.isEmpty()) return "The board printed nothing on its console " + since + ".";
        StringBuilder s = new StringBuilder(lines.size() == SHOWN_LINES ? "The last " + SHOWN_LINES + " console lines " + since + ":"
                : "The console lines " + since + ":");
        for (String line : lines) s.append("\n  | ").append(line);
        return s.toString();
    }
}
