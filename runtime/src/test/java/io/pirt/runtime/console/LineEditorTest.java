package io.pirt.runtime.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineEditorTest {
    private final LineEditor editor = new LineEditor();
    private final List<String> lines = new ArrayList<>();

    private String type(String typed) {
        StringBuilder echo = new StringBuilder();
        for (char c : typed.toCharArray()) editor.type(c, echo, lines::add);
        return echo.toString();
    }

    @Test
    void outputWhileACommandRunsShowsNoPromptSoTheAnswerHasALineOfItsOwn() {
        assertEquals("gpio read D5\r\n", type("gpio read D5\r"));
        assertEquals(List.of("gpio read D5"), lines);
        StringBuilder out = new StringBuilder();
        editor.printAbove("[app] running", out);
        assertEquals("\r\033[K[app] running\r\n\r\033[K", out.toString(), "no prompt while the command is unanswered");
        out.setLength(0);
        editor.answer("D5=0", out);
        assertEquals("D5=0\r\n\r\033[Kpirt> ", out.toString());
    }

    @Test
    void textTypedAheadWhileACommandRunsIsClearedBeforeTheAnswerAndShownAgainAfter() {
        type("ps\r");
        assertEquals("in", type("in"));
        StringBuilder out = new StringBuilder();
        editor.answer("threads", out);
        assertEquals("\r\033[Kthreads\r\n\r\033[Kpirt> in", out.toString());
    }

    @Test
    void withNothingRunningOutputIsWrittenAboveThePromptAndTheLineBeingTyped() {
        type("inf");
        StringBuilder out = new StringBuilder();
        editor.printAbove("[app] tick", out);
        assertEquals("\r\033[K[app] tick\r\n\r\033[Kpirt> inf", out.toString());
    }

    @Test
    void ctrlCWhileACommandRunsShowsNoPrompt() {
        type("restart\r");
        assertEquals("ab^C\r\n", type("ab\u0003"));
        StringBuilder out = new StringBuilder();
        editor.answer("", out);
        assertEquals("\r\033[Kpirt> ", out.toString());
    }

    @Test
    void aDiscardedLineIsNotHandedOnAndTheNextLineStartsClean() {
        type("t0.1.0_"); // the tail of a tool's frame whose start was lost
        StringBuilder out = new StringBuilder();
        editor.discardLine(out);
        assertEquals("\r\033[Kpirt> ", out.toString());
        type("info\r");
        assertEquals(List.of("info"), lines);
    }

    @Test
    void discardingAnEmptyLineShowsNothing() {
        StringBuilder out = new StringBuilder();
        editor.discardLine(out);
        assertEquals("", out.toString());
    }
}
