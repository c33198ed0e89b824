package io.pirt.tools.board;

import com.fasterxml.jackson.databind.JsonNode;
import io.pirt.tools.ToolException;
import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/** What the one-shot board commands share: connect, send one request, print its text or its JSON. */
final class OneShot {
    private OneShot() {
    }

    /**
     * Runs {@code command} on the board and prints the answer: as the board printed it, or
     * with {@code json} as {@code toJson} makes it.
     *
     * @return 0
     * @throws ToolException what went wrong, for the person
     */
    static int run(CommandSpec spec, PortOptions port, String command, String argument, boolean json,
                   Function<String, JsonNode> toJson) throws ToolException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        String text;
        try (BoardSession board = BoardSession.open(port.port(), port.baud(),
                BoardSession.clientOptions(port.timeoutMs(), port.timeoutMs()), (source, line) -> { })) {
            text = board.request(command, argument);
        }
        if (json) {
            JsonNode node;
            try {
                node = toJson.apply(text);
            } catch (IllegalArgumentException e) {
                throw ToolException.failure(e.getMessage() + "; the board's runtime may be newer than this tool");
            }
            out.println(BoardText.json(node));
        } else {
            out.print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
        }
        out.flush();
        return 0;
    }
}
