package io.pirt.tools.console;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConsoleTextTest {
    @Test
    void everyEscapeSequenceFromTheBoardIsStrippedOscToo() {
        assertEquals("[app] hi", ConsoleText.clean("[app] \u001b]0;pwned title\u0007hi"), "OSC ended by BEL");
        assertEquals("[app] link", ConsoleText.clean("[app] \u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\"), "OSC ended by ESC \\");
        assertEquals("[app] ", ConsoleText.clean("[app] \u001b]52;c;c2VjcmV0"), "an OSC left open runs to the end of the line");
        assertEquals("[app] red", ConsoleText.clean("[app] \u001b[1;31mred\u001b[0m"), "CSI");
        assertEquals("[app] x", ConsoleText.clean("[app] \u001bP1$qm\u001b\\\u001b(B\u001bcx"), "DCS, charset, reset");
        assertEquals("[app] a b", ConsoleText.clean("[app] a\u009b2J\u009d0;t\u009c b\u0008\u001b"), "C1 forms, BS, a lone ESC");
        assertEquals("pirt> info", ConsoleText.clean("pirt> \rpirt> info\u001b[K"), "a prompt redraw");
        assertEquals("[app] a\tb", ConsoleText.clean("[app] a\tb"), "tab kept");
    }
}
