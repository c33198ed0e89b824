package io.pirt.tools.board;

import io.pirt.tools.ToolException;
import io.pirt.wire.message.AnswerText;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.Messages;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A one-shot board command ({@code pirt info|ps|logs|bundles|restart|rollback}): connect,
 * send one request, print the answer as a person reads it ({@link AnswerText}) or, with
 * {@code --json}, the answer record as JSON (docs/tool.md, "JSON answers"). The JSON is the
 * board's record, never its text re-read. A subclass names its request; picocli takes the
 * options declared here for each.
 */
abstract class OneShot implements Callable<Integer> {
    /** The exit codes every one-shot command documents. */
    static final String EXIT_OK = "0:ok";
    static final String EXIT_FAILURE = "1:failure: no such port, port busy, the board did not answer, or the command failed on it";
    static final String EXIT_USAGE = "2:usage error (also: no --port and not exactly one likely board)";

    @Spec
    CommandSpec spec;

    @Mixin
    PortOptions port;

    @Mixin
    ProofKeyOptions key;

    @Option(names = "--json", description = "Print the board's answer record as JSON (docs/tool.md, \"JSON answers\").")
    boolean json;

    /** The request this command sends. */
    abstract Command command();

    /** Its argument; none by default. @throws ToolException (usage) for a bad option */
    String argument() throws ToolException {
        return "";
    }

    /** The exit code once the answer is printed: 0 by default. */
    int exitCode(Object answer) {
        return 0;
    }

    /**
     * Runs the request on the board and prints the answer.
     *
     * @return {@link #exitCode} of the answer, 0 but for {@code doctor}
     * @throws ToolException what went wrong, for the person
     */
    @Override
    public Integer call() throws ToolException, InterruptedException {
        String argument = argument();
        PrintWriter out = spec.commandLine().getOut();
        Object answer;
        try (BoardSession board = BoardSession.open(port.port(), port.link(),
                BoardSession.clientOptions(port.timeoutMs(), port.timeoutMs()).withKeyProof(key.proof()), (source, line) -> { })) {
            answer = board.ask(command(), argument);
        }
        String text = json ? Messages.pretty(answer) : AnswerText.of(answer);
        out.print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
        out.flush();
        return exitCode(answer);
    }
}
