package io.pirt.tools.board;

import io.pirt.wire.message.AnswerText;
import io.pirt.wire.message.Command;
import io.pirt.wire.message.Messages;
import io.pirt.tools.ToolException;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the one-shot board commands share: connect, send one request, print the answer as a
 * person reads it ({@link AnswerText}) or, with {@code --json}, the answer record as JSON
 * (docs/tool.md, "JSON answers"). The JSON is the board's record, never its text re-read.
 */
final class OneShot {
    private OneShot() {
    }

    /**
     * Runs {@code command} on the board and prints the answer.
     *
     * @return 0
     * @throws ToolException what went wrong, for the person
     */
    static int run(CommandSpec spec, PortOptions port, Command command, String argument, boolean json)
            throws ToolException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Object answer;
        try (BoardSession board = BoardSession.open(port.port(), port.baud(),
                BoardSession.clientOptions(port.timeoutMs(), port.timeoutMs()), (source, line) -> { })) {
            answer = board.ask(command, argument);
        }
        String text = json ? Messages.pretty(answer) : AnswerText.of(answer);
        out.print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
        out.flush();
        return 0;
    }
}
